#!/usr/bin/env bash
# Runs the official Agentuity CLI (`agentuity coder ...`) against a local Hub on 127.0.0.1 and
# prints pass/fail per command. bun and @agentuity/cli are installed from the npm registry into a
# temporary directory (AGENTUITY_CLI_VERSION picks the CLI version, default latest); when either
# cannot be installed the check is skipped with exit 0. Exits 1 when a command fails.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/official-cli-check.XXXXXX")
HUB_PID=""
cleanup() {
	if [ -n "$HUB_PID" ]; then kill "$HUB_PID" 2>/dev/null; wait "$HUB_PID" 2>/dev/null; fi
	rm -rf "$WORK"
}
trap cleanup EXIT

skip() {
	echo "SKIP: $1"
	exit 0
}

echo "Installing bun and @agentuity/cli@${AGENTUITY_CLI_VERSION:-latest} into $WORK ..."
(
	cd "$WORK" &&
		echo '{"name":"official-cli-check","private":true}' >package.json &&
		npm install --no-audit --no-fund --loglevel=error bun "@agentuity/cli@${AGENTUITY_CLI_VERSION:-latest}" >install.log 2>&1
) || {
	tail -5 "$WORK/install.log" 2>/dev/null | sed 's/^/  npm: /'
	skip "could not install bun and @agentuity/cli from the npm registry (npm's last lines above)"
}
export PATH="$WORK/node_modules/.bin:$PATH"
bun --version >/dev/null 2>&1 || skip "bun installed but does not run on this machine"
[ -x "$WORK/node_modules/.bin/agentuity" ] || skip "the @agentuity/cli package has no agentuity command"
echo "bun $(bun --version), agentuity $(agentuity --version 2>/dev/null | tail -1)"

if [ ! -f "$ROOT/dist/cli/main.js" ]; then
	(cd "$ROOT" && npx tsc -p tsconfig.json) || { echo "FAIL: cannot build coder-sessions"; exit 1; }
fi

cat >"$WORK/fixtures.yaml" <<'YAML'
users:
  - { displayName: Ada Lovelace, email: ada@example.com }
skills:
  - { repo: agentuity/skills, skillId: review, name: Review }
buckets:
  - { name: Reviewers, savedSkillIds: [review] }
workspaces:
  - { name: Fixture workspace, repos: [{ fullName: agentuity/sdk }], skillBucketIds: [Reviewers] }
agents:
  - { slug: reviewer, displayName: Reviewer, instructions: Review the change, published: true }
YAML

cat >"$WORK/github-repos.yaml" <<'YAML'
- { account: agentuity, type: Organization, repos: [sdk, docs] }
YAML

TOKEN="official-cli-check-key"
node "$ROOT/dist/cli/main.js" hub serve --port 0 --host 127.0.0.1 --no-state --token "$TOKEN" \
	--simulate-activity --fixtures "$WORK/fixtures.yaml" --github-repos "$WORK/github-repos.yaml" \
	>"$WORK/hub.out" 2>"$WORK/hub.err" &
HUB_PID=$!
URL=""
for _ in $(seq 1 100); do
	URL=$(sed -n 's/^Local Hub listening on //p' "$WORK/hub.out" 2>/dev/null)
	[ -n "$URL" ] && break
	kill -0 "$HUB_PID" 2>/dev/null || break
	sleep 0.2
done
[ -n "$URL" ] || { echo "FAIL: the local Hub did not start"; cat "$WORK/hub.err"; exit 1; }
echo "Local Hub at $URL"

# The official CLI reads its key, user and org from these, and the Hub URL through the SDK.
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config"
mkdir -p "$XDG_CONFIG_HOME"
export AGENTUITY_CODER_URL="$URL" AGENTUITY_CLI_API_KEY="$TOKEN" AGENTUITY_USER_ID=user_local
export AGENTUITY_CLOUD_ORG_ID=default AGENTUITY_SKIP_VERSION_CHECK=1 NO_COLOR=1 CI=1

PASSED=0
FAILED=0
OUT="$WORK/last.out"
# run NAME ARGS...: one CLI command, bounded; its output is kept in $OUT for the next step.
run() {
	local name=$1
	shift
	if timeout 120 agentuity "$@" >"$OUT" 2>"$WORK/last.err" </dev/null; then
		PASSED=$((PASSED + 1))
		echo "PASS  $name"
		return 0
	fi
	FAILED=$((FAILED + 1))
	echo "FAIL  $name: agentuity $*"
	sed 's/^/      /' "$WORK/last.err" "$OUT" | tail -15
	return 1
}
# run_fails NAME ARGS...: a command that must fail (exit non-zero).
run_fails() {
	local name=$1
	shift
	if timeout 120 agentuity "$@" >"$OUT" 2>"$WORK/last.err" </dev/null; then
		FAILED=$((FAILED + 1))
		echo "FAIL  $name: agentuity $* succeeded"
		return 1
	fi
	PASSED=$((PASSED + 1))
	echo "PASS  $name"
}
# field KEY: a top-level string field of the JSON in $OUT.
field() {
	node -e 'const v=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const x=Array.isArray(v)?v[0]:v;process.stdout.write(String((x&&(x[process.argv[2]]??x.workspace?.[process.argv[2]]??x.bucket?.[process.argv[2]]??x.skill?.[process.argv[2]]))??""))' "$OUT" "$1" 2>/dev/null
}
# expect_in TEXT: the last command's output mentions TEXT.
expect_in() {
	if grep -q -- "$1" "$OUT"; then return 0; fi
	PASSED=$((PASSED - 1))
	FAILED=$((FAILED + 1))
	echo "FAIL  (previous command's output lacks \"$1\")"
}

run "coder create" coder create "Check the official CLI" --label cli-check --tags a,b --json &&
	SESSION=$(field sessionId)
SESSION=${SESSION:-missing}
run "coder list" coder list --json && expect_in "$SESSION"
run "coder get" coder get "$SESSION" --json && expect_in cli-check
run "coder update" coder update "$SESSION" --label renamed --tags x,y --json && expect_in renamed
run "coder participants" coder participants "$SESSION" --json && expect_in lead
run "coder events" coder events "$SESSION" --limit 10 --json && expect_in task_start
run "coder replay" coder replay "$SESSION" --json && expect_in "$SESSION"
run "coder loop" coder loop "$SESSION" --json && expect_in standard
run "coder users" coder users --json && expect_in ada@example.com

run "coder workspace list" coder workspace list --json && expect_in "Fixture workspace"
run "coder workspace create" coder workspace create cli-workspace --repo https://github.com/agentuity/sdk --description "From the CLI" --json &&
	WORKSPACE=$(field id)
WORKSPACE=${WORKSPACE:-missing}
run "coder workspace get" coder workspace get "$WORKSPACE" --json && expect_in cli-workspace
run "coder workspace update" coder workspace update "$WORKSPACE" --description Changed --dependency jq --json && expect_in Changed
run "coder workspace refresh" coder workspace refresh "$WORKSPACE" --json && expect_in ready
run "coder workspace validate-dependencies" coder workspace validate-dependencies jq,curl --json && expect_in curl
run "coder workspace delete" coder workspace delete "$WORKSPACE" --json

run "coder skill list" coder skill list --json && expect_in review
run "coder skill save" coder skill save --repo agentuity/skills --skill-id lint --name Lint --json &&
	SKILL=$(field id)
SKILL=${SKILL:-missing}
run "coder skill create" coder skill create --skill-id mine --name Mine --content "# Mine" --json && expect_in custom
run "coder skill buckets" coder skill buckets --json && expect_in Reviewers
run "coder skill buckets --create" coder skill buckets --create "CLI bucket" --description "From the CLI" --json &&
	BUCKET=$(field id)
BUCKET=${BUCKET:-missing}
run "coder skill buckets --delete" coder skill buckets --delete "$BUCKET" --json
run "coder skill delete" coder skill delete "$SKILL" --json

run "coder archive" coder archive "$SESSION" --json
run "coder delete" coder delete "$SESSION" --json
run_fails "coder get of a deleted session fails" coder get "$SESSION" --json

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]

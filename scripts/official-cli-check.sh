#!/usr/bin/env bash
# Runs the official Agentuity CLI (`agentuity coder ...`) against a strict local Hub on 127.0.0.1
# and checks what each command prints: labels, counts, statuses and ids, not only its exit code.
# bun and @agentuity/cli are installed from the npm registry into a temporary directory, the CLI
# pinned to the version of @agentuity/core in package.json (the SDK the tool is built on;
# AGENTUITY_CLI_VERSION overrides it). When either cannot be installed the check is skipped with
# exit 0. Exits 1 when a command fails or prints something else than the Hub holds.
# Last, coder-sessions applies the team setup in examples/team/coder.yaml (agents, workspaces,
# saved skills, skill buckets) to the same Hub, and the official CLI's list commands must show
# what it made, as they show the Hub's fixtures.
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

PINNED=$(node -p "require('$ROOT/package.json').dependencies['@agentuity/core']")
VERSION=${AGENTUITY_CLI_VERSION:-$PINNED}
echo "Installing bun and @agentuity/cli@$VERSION into $WORK ..."
(
	cd "$WORK" &&
		echo '{"name":"official-cli-check","private":true}' >package.json &&
		npm install --no-audit --no-fund --loglevel=error bun "@agentuity/cli@$VERSION" >install.log 2>&1
) || {
	tail -5 "$WORK/install.log" 2>/dev/null | sed 's/^/  npm: /'
	skip "could not install bun and @agentuity/cli from the npm registry (npm's last lines above)"
}
export PATH="$WORK/node_modules/.bin:$PATH"
bun --version >/dev/null 2>&1 || skip "bun installed but does not run on this machine"
[ -x "$WORK/node_modules/.bin/agentuity" ] || skip "the @agentuity/cli package has no agentuity command"
INSTALLED=$(agentuity --version 2>/dev/null | tail -1)
echo "bun $(bun --version), agentuity $INSTALLED"
[ "$INSTALLED" = "$VERSION" ] || { echo "FAIL: asked for @agentuity/cli@$VERSION, got $INSTALLED"; exit 1; }

if [ ! -f "$ROOT/dist/bin/coder-sessions.js" ]; then
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
  # Not `reviewer`: the team setup applied at the end makes that one.
  - { slug: fixture-reviewer, displayName: Fixture reviewer, instructions: Review the change, published: true }
YAML

cat >"$WORK/github-repos.yaml" <<'YAML'
- { account: agentuity, type: Organization, repos: [sdk, docs] }
YAML

TOKEN="official-cli-check-key"
# Strict (the default), and a new session is creating, then provisioning, for 2 s; a workspace snapshot is ready at once.
node "$ROOT/dist/bin/coder-sessions.js" hub serve --port 0 --host 127.0.0.1 --no-state --token "$TOKEN" \
	--activate-after-ms 2000 --snapshot-ready-after-ms 0 --simulate-activity --fixtures "$WORK/fixtures.yaml" \
	--github-repos "$WORK/github-repos.yaml" \
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
# The last command passed and no check of its output has failed yet.
LAST_COUNTED=0
# A check of the last command's output failed: it counts as failed (once).
fail_last() {
	if [ "$LAST_COUNTED" -eq 1 ]; then
		PASSED=$((PASSED - 1))
		FAILED=$((FAILED + 1))
		LAST_COUNTED=0
	fi
	echo "FAIL  (previous command) $1"
}
# run NAME ARGS...: one CLI command, bounded; its output is kept in $OUT for the checks after it.
run() {
	local name=$1
	shift
	LAST_COUNTED=0
	if timeout 120 agentuity "$@" >"$OUT" 2>"$WORK/last.err" </dev/null; then
		PASSED=$((PASSED + 1))
		LAST_COUNTED=1
		echo "PASS  $name"
		return 0
	fi
	FAILED=$((FAILED + 1))
	echo "FAIL  $name: agentuity $*"
	sed 's/^/      /' "$WORK/last.err" "$OUT" | tail -15
	return 1
}
# run_fails NAME TEXT ARGS...: a command that must fail (exit non-zero), saying TEXT.
run_fails() {
	local name=$1 text=$2
	shift 2
	LAST_COUNTED=0
	if timeout 120 agentuity "$@" >"$OUT" 2>"$WORK/last.err" </dev/null; then
		FAILED=$((FAILED + 1))
		echo "FAIL  $name: agentuity $* succeeded"
		return 1
	fi
	if ! grep -q -- "$text" "$WORK/last.err" "$OUT"; then
		FAILED=$((FAILED + 1))
		echo "FAIL  $name: its error lacks \"$text\""
		sed 's/^/      /' "$WORK/last.err" | tail -5
		return 1
	fi
	PASSED=$((PASSED + 1))
	echo "PASS  $name"
}
# value EXPR: a JavaScript expression over `v`, the JSON the last command printed.
value() {
	node -e 'const v=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const r=eval(process.argv[2]);process.stdout.write(typeof r==="string"?r:JSON.stringify(r))' "$OUT" "$1" 2>/dev/null
}
# check WHAT EXPR EXPECTED: the last command printed JSON in which EXPR is EXPECTED.
check() {
	local got
	got=$(value "$2")
	if [ "$got" = "$3" ]; then return 0; fi
	fail_last "$1: $2 is $got, expected $3"
}
# says WHAT TEXT: the last command's text output holds TEXT.
says() {
	if grep -q -- "$2" "$OUT"; then return 0; fi
	fail_last "$1: its output lacks \"$2\""
	sed 's/^/      /' "$OUT" | head -20
}

# lists WHAT EXPR NAME...: EXPR, over the last command's JSON, is a list holding each NAME.
lists() {
	local what=$1 expr=$2
	shift 2
	local listed
	listed=$(node -e 'const v=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));const l=eval(process.argv[2]);const miss=process.argv.slice(3).filter(n=>!l.includes(n));process.stdout.write(miss.join(", "))' "$OUT" "$expr" "$@" 2>/dev/null) && [ -z "$listed" ] && return 0
	fail_last "$what: $expr lacks ${listed:-its names}"
}
# The official CLI of the pinned version has no agent commands (agentuity coder --help); a later
# one may.
AGENT_COMMAND=""
if timeout 60 agentuity coder --help 2>&1 </dev/null | grep -qE '^ +agents? '; then AGENT_COMMAND=agent; fi
# library WHAT WORKSPACE BUCKET AGENT SKILL...: the official CLI's list commands show them by name
# (the agent by slug).
library() {
	local what=$1 workspace=$2 bucket=$3 agent=$4
	shift 4
	run "coder workspace list ($what)" coder workspace list --json &&
		lists "workspace" 'v.map(w=>w.name)' "$workspace"
	run "coder skill buckets ($what)" coder skill buckets --json &&
		lists "bucket" 'v.map(b=>b.name)' "$bucket"
	run "coder skill list ($what)" coder skill list --json && lists "skills" 'v.map(s=>s.name)' "$@"
	if [ -n "$AGENT_COMMAND" ]; then
		run "coder agent list ($what)" coder agent list --json &&
			lists "agent" '(Array.isArray(v)?v:v.agents).map(a=>a.slug)' "$agent"
	elif [[ " lead scout builder reviewer " == *" $agent "* ]]; then
		echo "SKIP: coder agent list ($what): agentuity $INSTALLED has no coder agent command"
	else
		# Without an agent command: a workspace enabling the agent is taken only while the Hub
		# holds it as a custom agent (a built-in name is always taken, so proves nothing).
		echo "(agentuity $INSTALLED has no coder agent command: the agent is checked through a workspace)"
		run "coder workspace create --enabled-agents ($what)" coder workspace create "Agent probe" \
			--enabled-agents "$agent" --json && check "agent" 'v.enabledAgents.join()' "$agent"
		local probe
		probe=$(value 'v.id')
		[ -n "$probe" ] && run "coder workspace delete (agent probe)" coder workspace delete "$probe" --json
		run_fails "coder workspace create --enabled-agents (unknown agent)" "no-such-agent" \
			coder workspace create "Agent probe" --enabled-agents no-such-agent --json
	fi
}

# The fixtures, before anything changes them.
library fixtures "Fixture workspace" Reviewers fixture-reviewer Review

# Sessions: the seed's lifecycle (creating, provisioning, then active), labels, tags, activity.
run "coder create" coder create "Check the official CLI" --label cli-check --tags a,b --json &&
	check "starts creating" 'v.status' creating
SESSION=$(value 'v.sessionId')
SESSION=${SESSION:-missing}
run "coder get (new)" coder get "$SESSION" --json &&
	check "label" 'v.label' cli-check &&
	check "tags" 'v.tags.join()' a,b &&
	check "still provisioning" 'v.bucket' provisioning
run "coder list (new)" coder list --json &&
	check "one session" 'v.length' 1 &&
	check "its id" 'v[0].sessionId' "$SESSION" &&
	check "its label" 'v[0].label' cli-check
for _ in $(seq 1 30); do
	timeout 60 agentuity coder get "$SESSION" --json >"$OUT" 2>/dev/null </dev/null
	[ "$(value 'v.status')" = active ] && break
	sleep 0.5
done
run "coder get" coder get "$SESSION" && says "status" "Status: active" && says "label" "Session: cli-check"
run "coder list" coder list && says "label" "Label:       cli-check" && says "status" "Status:      active"
run "coder update" coder update "$SESSION" --label renamed --tags x,y --json &&
	check "label" 'v.label' renamed && check "tags" 'v.tags.join()' x,y
run "coder participants" coder participants "$SESSION" --json &&
	check "connected only (the observer left)" 'v.participants.map(p=>p.role).join()' lead
run "coder events" coder events "$SESSION" --limit 10 --json &&
	check "four events, newest first" 'v.events.map(e=>e.id).join()' 4,3,2,1
run "coder events (table)" coder events "$SESSION" --limit 2 &&
	says "the newest event" task_complete
run "coder replay" coder replay "$SESSION" --json &&
	check "entries" 'v.entries.length' 2 && check "their source" 'v.entriesSource' session_entries
run "coder loop" coder loop "$SESSION" --json &&
	check "standard mode" 'v.workflowMode' standard && check "no loop" 'v.loop' null
run "coder users" coder users --json &&
	check "one user" 'v.length' 1 && check "email" 'v[0].email' ada@example.com

# Workspaces.
run "coder workspace list" coder workspace list --json &&
	check "the fixture" 'v.map(w=>w.name).join()' "Fixture workspace" &&
	check "selections" 'v[0].selectionCount' 2
run "coder workspace create" coder workspace create cli-workspace --repo https://github.com/agentuity/sdk --description "From the CLI" --json &&
	check "name" 'v.name' cli-workspace && check "repos" 'v.repoCount' 1
WORKSPACE=$(value 'v.id')
WORKSPACE=${WORKSPACE:-missing}
run "coder workspace get" coder workspace get "$WORKSPACE" --json &&
	check "description" 'v.description' "From the CLI"
run "coder workspace update" coder workspace update "$WORKSPACE" --description Changed --dependency jq --json &&
	check "description" 'v.description' Changed && check "dependencies" 'v.dependencies.join()' jq
run "coder workspace refresh" coder workspace refresh "$WORKSPACE" --json &&
	check "snapshot" 'v.snapshot.status' ready
run "coder workspace validate-dependencies" coder workspace validate-dependencies jq,curl --json &&
	check "valid" 'v.valid.join()' jq,curl && check "invalid" 'v.invalid.length' 0
run "coder workspace delete" coder workspace delete "$WORKSPACE" --json
run "coder workspace list (after delete)" coder workspace list --json && check "one left" 'v.length' 1

# Skills and buckets.
run "coder skill list" coder skill list --json && check "the fixture" 'v.map(s=>s.skillId).join()' review
run "coder skill save" coder skill save --repo agentuity/skills --skill-id lint --name Lint --json &&
	check "skill" 'v.skillId' lint && check "source" 'v.source' registry
SKILL=$(value 'v.id')
SKILL=${SKILL:-missing}
run "coder skill create" coder skill create --skill-id mine --name Mine --content "# Mine" --json &&
	check "source" 'v.source' custom
run "coder skill buckets" coder skill buckets --json &&
	check "the fixture" 'v.map(b=>b.name).join()' Reviewers && check "its skills" 'v[0].skillCount' 1
run "coder skill buckets --create" coder skill buckets --create "CLI bucket" --description "From the CLI" --json &&
	check "name" 'v.name' "CLI bucket" && check "empty" 'v.skillCount' 0
BUCKET=$(value 'v.id')
BUCKET=${BUCKET:-missing}
run "coder skill buckets --delete" coder skill buckets --delete "$BUCKET" --json
run "coder skill delete" coder skill delete "$SKILL" --json
run "coder skill list (after delete)" coder skill list --json &&
	check "review and mine" 'v.map(s=>s.skillId).sort().join()' mine,review

# Archive: history, no longer listed by default, not writable; then delete.
run "coder archive" coder archive "$SESSION" --json && check "status" 'v.status' archived
run_fails "coder update of an archived session is refused" "archived" coder update "$SESSION" --label late --json
run "coder list (archived hidden)" coder list --json && check "none" 'v.length' 0
run "coder delete" coder delete "$SESSION" --json
run_fails "coder get of a deleted session fails" "not found" coder get "$SESSION" --json

# The team setup, applied by coder-sessions to the same Hub, then read back by the official CLI.
# No repo check: the GitHub fixture above lists two repositories only, and that check has tests
# of its own.
TEAM_SPEC="$ROOT/examples/team/coder.yaml"
if [ -f "$TEAM_SPEC" ]; then
	if (cd "$WORK" && AGENTUITY_SDK_KEY="$TOKEN" timeout 300 node "$ROOT/dist/bin/coder-sessions.js" apply \
		--auto-approve --no-repo-check --no-color --url "$URL" --org default -f "$TEAM_SPEC" \
		>"$WORK/apply.out" 2>&1 </dev/null); then
		PASSED=$((PASSED + 1))
		echo "PASS  coder-sessions apply examples/team/coder.yaml"
		library "team setup" "Docs workspace" "Docs kit" reviewer "Style guide" "Release notes"
	else
		FAILED=$((FAILED + 1))
		echo "FAIL  coder-sessions apply examples/team/coder.yaml"
		sed 's/^/      /' "$WORK/apply.out" | tail -20
	fi
else
	echo "SKIP: team setup (examples/team/coder.yaml not present)"
fi

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]

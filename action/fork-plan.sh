#!/usr/bin/env bash
# A workflow_run job of the base repository, after the pull_request run of a fork's pull
# request: plans the spec files that run uploaded, with this repository's secrets and its own
# pinned coder-sessions, and leaves the pull request's number for the comment step.
#
# What comes from the fork is data, never code: only the files the `files` input names are
# taken from the artifact (regular files, at those paths), and they are read by the CLI this
# action installed, over a checkout of the base repository. The fork's run (its workflow file,
# its scripts) is the fork's to change, so nothing it reports is believed: the files are
# validated and format-checked again here, and the pull request is found through the API by the
# run's head commit and head repository, which GitHub sets. The plan runs with only what reaches
# the Hub in its environment (never CODER_SESSIONS_ENV_KEY or the env secrets, which a spec's
# ${VAR} could otherwise read), with --allow-missing-env; plans only read the Hub.
#
# Records `stage` (find, fetch, validate, fmt, plan), `exitcode`, `pr`, and `skipped=true` when
# there is nothing to plan (the run was not a fork's pull request, or the pull request moved on).
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out="${RUNNER_TEMP:?}/coder-sessions-out"
mkdir -p "$out"
rm -rf "$out/plan.json" "$out/plan.md" "$out/fork-spec"
# Artifacts of a spec run are a few small YAML files; anything far larger is not read.
MAX_ARTIFACT_BYTES=$((16 * 1024 * 1024))

skip() {
	echo "skipped=true" >> "$GITHUB_OUTPUT"
	echo "coder-sessions: nothing to plan: $1"
	echo "Nothing to plan: $1" >> "$GITHUB_STEP_SUMMARY"
	exit 0
}
fail() {
	echo "exitcode=${2:-1}" >> "$GITHUB_OUTPUT"
	echo "::error::coder-sessions: $1"
	echo "$1" >> "$GITHUB_STEP_SUMMARY"
	exit 0
}

echo "stage=find" >> "$GITHUB_OUTPUT"
[ "${RUN_EVENT:-}" = pull_request ] || skip "the run was started by ${RUN_EVENT:-no event}, not by a pull request"
[[ "${RUN_ID:-}" =~ ^[0-9]+$ ]] || fail "no workflow_run id"
[[ "${HEAD_SHA:-}" =~ ^[0-9a-f]{40}$ ]] || fail "the run's head commit is not a commit sha"
[[ "${HEAD_REPO:-}" =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] || fail "the run's head repository is not OWNER/NAME"
self=$(lower "${GITHUB_REPOSITORY:?}")
if [ "$(lower "$HEAD_REPO")" = "$self" ]; then
	skip "the pull request comes from a branch of $GITHUB_REPOSITORY, whose own plan job planned it"
fi
echo "run-url=${GITHUB_SERVER_URL:-https://github.com}/$GITHUB_REPOSITORY/actions/runs/$RUN_ID" >> "$GITHUB_OUTPUT"

# The open pull request whose head is that commit of that repository.
pr=$(gh api "repos/$GITHUB_REPOSITORY/pulls?state=open&per_page=100" --paginate \
	--jq ".[] | select(.head.sha == \"$HEAD_SHA\" and ((.head.repo.full_name // \"\") | ascii_downcase) == \"$(lower "$HEAD_REPO")\") | .number" 2> /dev/null | head -n 1)
[[ "${pr:-}" =~ ^[0-9]+$ ]] || skip "no open pull request from $HEAD_REPO has the head ${HEAD_SHA:0:12} (it was closed, or moved on to a newer commit, which its own run plans)"
echo "pr=$pr" >> "$GITHUB_OUTPUT"

if [ "${RUN_CONCLUSION:-}" != success ]; then
	echo "stage=fork-checks" >> "$GITHUB_OUTPUT"
	fail "the run of the fork's pull request #$pr ended as ${RUN_CONCLUSION:-unknown}: its spec was not planned"
fi

echo "stage=fetch" >> "$GITHUB_OUTPUT"
while IFS= read -r entry; do
	[ -n "$entry" ] || continue
	case "/$entry/" in
		*/../* | //*) fail "the files input names $entry: only paths inside the working directory are taken from a fork" ;;
	esac
done <<< "${FILES:-sessions.yaml}"
name="${SPEC_ARTIFACT:-coder-sessions-spec}"
size=$(gh api "repos/$GITHUB_REPOSITORY/actions/runs/$RUN_ID/artifacts?per_page=100" \
	--jq "[.artifacts[] | select(.name == \"$name\" and .expired == false)][0].size_in_bytes // empty" 2> /dev/null)
[[ "${size:-}" =~ ^[0-9]+$ ]] || fail "the run of pull request #$pr uploaded no artifact $name (the spec files of a fork's pull request)"
[ "$size" -le "$MAX_ARTIFACT_BYTES" ] || fail "the artifact $name of pull request #$pr holds $size bytes; spec files are read up to $MAX_ARTIFACT_BYTES"
if ! gh run download "$RUN_ID" --repo "$GITHUB_REPOSITORY" --name "$name" --dir "$out/fork-spec" > /dev/null 2>&1; then
	fail "the artifact $name of pull request #$pr could not be downloaded"
fi

# Fails when a folder on the way to a path of the artifact is a link: a file would be read
# through it from outside the artifact.
no_linked_folder() {
	local at="$out/fork-spec" part parts
	IFS=/ read -ra parts <<< "$(dirname "$1")"
	for part in "${parts[@]}"; do
		[ -n "$part" ] && [ "$part" != . ] || continue
		at="$at/$part"
		[ -L "$at" ] && fail "the fork's ${at#"$out/fork-spec/"} is a link, not a folder"
	done
	return 0
}

# Each spec path the workflow names takes the fork's version (or is gone, as in the fork).
take() {
	local path="$1" from="$out/fork-spec/$1"
	no_linked_folder "$path"
	if [ -L "$from" ] || { [ -e "$from" ] && [ ! -f "$from" ]; }; then
		fail "the fork's $path is not a regular file"
	fi
	mkdir -p "$(dirname "$path")"
	if [ -f "$from" ]; then cp "$from" "$path"; else rm -f "$path"; fi
}
while IFS= read -r entry; do
	[ -n "$entry" ] || continue
	if [ -d "$entry" ] || [ -d "$out/fork-spec/$entry" ]; then
		# -f DIR reads the *.yaml and *.yml files directly inside: those of the fork, only.
		no_linked_folder "${entry%/}/"
		[ -L "$out/fork-spec/$entry" ] && fail "the fork's $entry is not a directory"
		mkdir -p "$entry"
		rm -f "${entry%/}"/*.yaml "${entry%/}"/*.yml
		for from in "$out/fork-spec/${entry%/}"/*.yaml "$out/fork-spec/${entry%/}"/*.yml; do
			[ -e "$from" ] || [ -L "$from" ] || continue
			take "${entry%/}/$(basename "$from")"
		done
	else
		take "$entry"
	fi
done <<< "${FILES:-sessions.yaml}"

# The CLI sees what reaches the Hub and the run's own GitHub variables, nothing else.
clean=(env -i "PATH=$PATH" "HOME=${HOME:-/tmp}" "RUNNER_TEMP=$RUNNER_TEMP" "NO_COLOR=1")
for var in AGENTUITY_SDK_KEY AGENTUITY_CLI_KEY AGENTUITY_CODER_URL AGENTUITY_REGION \
	CODER_SESSIONS_REQUEST_TIMEOUT GITHUB_SERVER_URL GITHUB_REPOSITORY GITHUB_RUN_ID \
	GITHUB_STEP_SUMMARY HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy \
	NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR; do
	if [ -n "${!var:-}" ]; then clean+=("$var=${!var}"); fi
done
cs() { "${clean[@]}" node "${CODER_SESSIONS:?}" "$@"; }

spec_files
echo "stage=validate" >> "$GITHUB_OUTPUT"
cs validate "${files[@]}" || fail "the spec files of pull request #$pr are not valid (see the log)" "$?"
if [ "${CHECK_FORMAT:-true}" = true ]; then
	echo "stage=fmt" >> "$GITHUB_OUTPUT"
	formatted=()
	while IFS= read -r file; do formatted+=(-f "$file"); done < <(spec_paths)
	cs fmt --check --diff "${formatted[@]}" || fail "the spec files of pull request #$pr are not in fmt's layout (the diff is in the log)" "$?"
fi

echo "stage=plan" >> "$GITHUB_OUTPUT"
if ! extra_args plan; then
	echo "exitcode=1" >> "$GITHUB_OUTPUT"
	exit 0
fi
# Compared with the base repository's own version of the files (the checkout), so the comment
# leads with the fork's own changes.
base=(--base "${BASE:-HEAD}")
cs plan "${files[@]}" "${base[@]}" "${extra[@]}" --allow-missing-env --format markdown \
	--out "$out/plan.json" --detailed-exitcode > "$out/plan.md"
code=$?
echo "exitcode=$code" >> "$GITHUB_OUTPUT"
if [ "$code" -eq 0 ] || [ "$code" -eq 2 ]; then
	echo "fingerprint=$(fingerprint_of "$out/plan.json")" >> "$GITHUB_OUTPUT"
fi
exit 0

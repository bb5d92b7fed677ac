#!/usr/bin/env bash
# Shared by the action's step scripts (sourced, never run): the spec files, the extra arguments
# of the `args` input, and the check of the approval environment. Functions hand their results
# to the sourcing script in variables (files, extra, approval_check, approval_note).
# shellcheck disable=SC2034

ACTION_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# GitHub compares owner/name case-insensitively (bash 3.2 on macOS has no ${var,,}).
lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }

fingerprint_of() {
	node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).plan.fingerprint)' "$1"
}

# The `files` input (one per line) as `-f FILE` arguments, in the array `files`.
spec_files() {
	files=()
	local file
	while IFS= read -r file; do
		[ -n "$file" ] && files+=(-f "$file")
	done <<< "${FILES:-sessions.yaml}"
}

# The spec files themselves, one per line: each `files` entry, or the *.yaml and *.yml files
# directly inside an entry that is a directory (as `-f DIR` reads them).
spec_paths() {
	local file found
	while IFS= read -r file; do
		[ -n "$file" ] || continue
		if [ -d "$file" ]; then
			for found in "${file%/}"/*.yaml "${file%/}"/*.yml; do
				[ -f "$found" ] && printf '%s\n' "$found"
			done
		else
			printf '%s\n' "$file"
		fi
	done <<< "${FILES:-sessions.yaml}"
}

# The `args` input split into words (quotes as in a shell, nothing expanded, never through a
# shell) and kept to those COMMAND takes, in the array `extra`. COMMAND: plan, apply (of a saved
# plan) or drift. Fails, saying why, on a flag the action sets itself or does not know.
extra_args() {
	extra=()
	local list arg
	list="${RUNNER_TEMP:?}/coder-sessions-args-$1"
	if ! node "$ACTION_DIR/args.cjs" "$1" > "$list" 2> "$list.notes"; then
		echo "::error::coder-sessions: $(head -n 1 "$list.notes")"
		rm -f "$list" "$list.notes"
		return 1
	fi
	cat "$list.notes" >&2
	while IFS= read -r -d '' arg; do
		extra+=("$arg")
	done < "$list"
	rm -f "$list" "$list.notes"
}

# Whether the environment behind the approval job (APPROVAL_ENVIRONMENT, default
# coder-sessions-apply) makes someone approve, asked of the GitHub API. Sets `approval_check`
# to `reviewers` (it has required reviewers), `none` (it has none, or does not exist: GitHub
# creates it on first use, without reviewers) or `unknown` (the API did not tell: no `gh`, a
# token without actions: read, a network error), and `approval_note` to a sentence saying so.
check_approval_environment() {
	local name="${APPROVAL_ENVIRONMENT:-coder-sessions-apply}" answer
	if ! command -v gh > /dev/null 2>&1; then
		approval_check=unknown
		approval_note="could not check the environment $name: gh is not on this runner's PATH"
		return 0
	fi
	if answer=$(gh api "repos/${GITHUB_REPOSITORY:?}/environments/$name" \
		--jq '[.protection_rules[]? | select(.type == "required_reviewers") | (.reviewers // [] | length)] | add // 0' 2>&1); then
		if [[ "$answer" =~ ^[0-9]+$ ]] && [ "$answer" -gt 0 ]; then
			approval_check=reviewers
			approval_note="the environment $name has required reviewers ($answer listed): the apply-approved job waits for one of them to approve"
		else
			approval_check=none
			approval_note="the environment $name has no required reviewers: its job would apply the plan with no one approving it"
		fi
	elif [[ "$answer" == *"HTTP 404"* ]]; then
		approval_check=none
		approval_note="there is no environment $name: GitHub creates it on first use without required reviewers, so its job would apply the plan with no one approving it"
	else
		approval_check=unknown
		approval_note="could not check the environment $name through the API ($(printf '%s' "$answer" | head -n 1 | cut -c 1-200)); make sure it has required reviewers"
	fi
}

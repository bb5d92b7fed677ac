#!/usr/bin/env bash
# Push to main or workflow_dispatch. Plans main (the checked-out commit) and applies that plan
# only when its fingerprint equals the plan reviewed on the merged pull request. Otherwise (no
# pull request behind the push, no successful plan run, a plan that differs, or an apply that
# went stale or ran in part) it saves a fresh plan of main and sets approval-required=true, for
# the job behind the approval environment to apply. Never re-plans an old commit.
set -uo pipefail

out="${RUNNER_TEMP:?}/coder-sessions-out"
mkdir -p "$out"
rm -f "$out/main-plan.json" "$out/main-plan.md"
# The step summary is written here, once: the CLI is not told where it is.
cs() { env -u GITHUB_STEP_SUMMARY node "${CODER_SESSIONS:?}" "$@"; }
say() { echo "$1" | tee -a "$GITHUB_STEP_SUMMARY"; }
# GitHub compares owner/name case-insensitively (bash 3.2 on macOS has no ${var,,}).
lower() { printf '%s' "$1" | tr '[:upper:]' '[:lower:]'; }
fingerprint_of() {
	node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).plan.fingerprint)' "$1"
}

files=()
while IFS= read -r file; do
	[ -n "$file" ] && files+=(-f "$file")
done <<< "${FILES:-sessions.yaml}"
base=()
[ -n "${BASE:-}" ] && base=(--base "$BASE")

# Plans main into main-plan.json; returns plan's exit code (0 no changes, 2 changes).
plan_main() {
	cs plan "${files[@]}" "${base[@]}" --format markdown --out "$out/main-plan.json" \
		--detailed-exitcode > "$out/main-plan.md"
}

request_approval() {
	echo "approval-required=true" >> "$GITHUB_OUTPUT"
	echo "fingerprint=$(fingerprint_of "$out/main-plan.json")" >> "$GITHUB_OUTPUT"
	say "**Approval required** to apply this plan of main ($GITHUB_SHA): $1"
	say "Approve the coder-sessions-apply deployment of this run to apply it, or reject it."
	cat "$out/main-plan.md" >> "$GITHUB_STEP_SUMMARY"
	echo "::notice::coder-sessions: approval required: $1"
}

# The plan reviewed on the pull request merged as $GITHUB_SHA, downloaded into $out/reviewed;
# prints why not when there is none. Only a plan made by this repository's own workflow file, run
# by the pull_request event for a pull request from a branch of this repository, is trusted: a
# fork's pull request runs the workflow file as the fork wrote it, and could upload any plan.
fetch_reviewed_plan() {
	if [ "$GITHUB_EVENT_NAME" != push ]; then
		echo "run by $GITHUB_EVENT_NAME, not by a merged pull request"
		return 1
	fi
	local self pull head head_repo workflow run
	self=$(lower "${GITHUB_REPOSITORY:?}")
	pull=$(gh api "repos/$GITHUB_REPOSITORY/commits/$GITHUB_SHA/pulls" \
		--jq "[.[] | select(.merged_at != null and .merge_commit_sha == \"$GITHUB_SHA\")][0] // empty | \"\\(.head.sha) \\(.head.repo.full_name // \"(deleted)\")\"" 2> /dev/null)
	read -r head head_repo <<< "$pull"
	if ! [[ "${head:-}" =~ ^[0-9a-f]{40}$ ]]; then
		echo "$GITHUB_SHA was pushed directly, not merged from a pull request"
		return 1
	fi
	if [ "$(lower "$head_repo")" != "$self" ]; then
		echo "the merged pull request came from $head_repo, not from a branch of $GITHUB_REPOSITORY: the plan run of a fork's pull request is never trusted"
		return 1
	fi
	workflow="${GITHUB_WORKFLOW_REF#"$GITHUB_REPOSITORY"/}"
	workflow="${workflow%%@*}"
	# The query narrows the list; the filter decides: this workflow file of this repository, run
	# by pull_request for the pull request's last commit from a branch of this repository.
	run=$(gh api "repos/$GITHUB_REPOSITORY/actions/runs?head_sha=$head&event=pull_request&status=success" \
		--jq "[.workflow_runs[] | select(.event == \"pull_request\" and .conclusion == \"success\" and .head_sha == \"$head\" and .path == \"$workflow\" and (.repository.full_name | ascii_downcase) == \"$self\" and ((.head_repository.full_name // \"\") | ascii_downcase) == \"$self\")][0].id // empty" 2> /dev/null)
	if ! [[ "${run:-}" =~ ^[0-9]+$ ]]; then
		echo "no successful plan run of $workflow for the pull request's last commit ${head:0:12} from a branch of $GITHUB_REPOSITORY"
		return 1
	fi
	rm -rf "$out/reviewed"
	if ! gh run download "$run" --repo "$GITHUB_REPOSITORY" --name "${ARTIFACT:?}" --dir "$out/reviewed" > /dev/null 2>&1; then
		echo "the plan of run $run could not be downloaded (expired or never uploaded)"
		return 1
	fi
	echo "run $run"
}

plan_main
code=$?
if [ "$code" -eq 0 ]; then
	say "No changes: the Hub matches main ($GITHUB_SHA)."
	echo "exitcode=0" >> "$GITHUB_OUTPUT"
	exit 0
elif [ "$code" -ne 2 ]; then
	echo "::error::coder-sessions plan of main failed (exit $code)"
	echo "exitcode=$code" >> "$GITHUB_OUTPUT"
	echo "failed=true" >> "$GITHUB_OUTPUT"
	exit 0
fi

if ! reviewed=$(fetch_reviewed_plan); then
	request_approval "no reviewed plan: $reviewed."
	exit 0
fi
main_fp=$(fingerprint_of "$out/main-plan.json")
reviewed_fp=$(fingerprint_of "$out/reviewed/plan.json")
if [ "$main_fp" != "$reviewed_fp" ]; then
	request_approval "the plan of main ($main_fp) differs from the plan reviewed on the pull request ($reviewed, $reviewed_fp): another change was merged or made on the Hub since the review."
	exit 0
fi

say "The plan of main equals the reviewed plan ($main_fp, $reviewed): applying it."
cs apply "$out/main-plan.json"
code=$?
echo "exitcode=$code" >> "$GITHUB_OUTPUT"
case "$code" in
	0)
		say "Applied."
		exit 0
		;;
	4 | 5)
		# Stale (the Hub moved between plan and apply) or applied in part: plan main again and
		# hand what is left to the approval job.
		echo "::error::coder-sessions apply exited $code (4: the Hub moved since the plan, nothing applied; 5: applied in part)"
		echo "failed=true" >> "$GITHUB_OUTPUT"
		plan_main
		again=$?
		if [ "$again" -eq 2 ]; then
			request_approval "apply of the reviewed plan exited $code; this is a fresh plan of what is left."
		elif [ "$again" -eq 0 ]; then
			say "After apply exited $code, main plans no changes: the Hub matches main."
		else
			echo "::error::coder-sessions plan of main failed (exit $again)"
		fi
		;;
	*)
		# 3: a safety rail refused the plan; 1: an error. Nothing to hand over.
		echo "::error::coder-sessions apply exited $code"
		echo "failed=true" >> "$GITHUB_OUTPUT"
		;;
esac
exit 0

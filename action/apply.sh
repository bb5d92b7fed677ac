#!/usr/bin/env bash
# Push to main, workflow_dispatch, or a merge queue's merge_group. Plans the checked-out commit
# (main, or the commit the queue would merge) and applies that plan only when its fingerprint
# equals the plan reviewed on the pull request behind it. Otherwise (no pull request behind the
# push, no successful plan run, a plan that differs, or an apply that went stale or ran in
# part) it saves a fresh plan and sets approval-required=true, for the job behind the approval
# environment to apply, once it has checked that the environment makes someone approve. Never
# re-plans an old commit.
#
# In a merge queue the apply is the queue entry's required check: an apply that fails, or a
# plan that needs an approval nobody can give, fails the entry, so main never holds a spec that
# did not apply.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out="${RUNNER_TEMP:?}/coder-sessions-out"
mkdir -p "$out"
rm -f "$out/main-plan.json" "$out/main-plan.md" "$out/main-plan-summary.md"
# The CLI's own step summary (the whole plan) goes to a file of its own: it joins the step
# summary below this script's verdict, and only for a plan handed to approval. The CLI leaves
# 8 KiB of the summary's 1 MiB for the lines written here.
cs() { GITHUB_STEP_SUMMARY="$out/main-plan-summary.md" node "${CODER_SESSIONS:?}" "$@"; }
say() { echo "$1" | tee -a "$GITHUB_STEP_SUMMARY"; }
queued=false
[ "${GITHUB_EVENT_NAME:-}" = merge_group ] && queued=true
what="main"
$queued && what="the queued commit"

spec_files
if ! extra_args plan; then
	echo "exitcode=1" >> "$GITHUB_OUTPUT"
	echo "failed=true" >> "$GITHUB_OUTPUT"
	exit 0
fi
plan_args=("${extra[@]}")
extra_args apply || exit 1
apply_args=("${extra[@]}")
base=()
[ -n "${BASE:-}" ] && base=(--base "$BASE")

# Plans the commit into main-plan.json; returns plan's exit code (0 no changes, 2 changes).
plan_main() {
	rm -f "$out/main-plan-summary.md"
	cs plan "${files[@]}" "${base[@]}" "${plan_args[@]}" --format markdown \
		--out "$out/main-plan.json" --detailed-exitcode > "$out/main-plan.md"
}

request_approval() {
	check_approval_environment
	if [ "$approval_check" = none ] && [ "${REQUIRE_REVIEWERS:-true}" = true ]; then
		say "**Not applied, and not handed to approval:** $approval_note. The plan of $what ($GITHUB_SHA) needed an approval because $1"
		say "Add required reviewers to the environment (Settings → Environments), then run this workflow again; or set the action's require-reviewers: 'false' to let its job apply without anyone approving."
		cat "$out/main-plan-summary.md" >> "$GITHUB_STEP_SUMMARY" 2> /dev/null
		echo "::error::coder-sessions: $approval_note; the plan that needs approval was not handed over"
		echo "failed=true" >> "$GITHUB_OUTPUT"
		return 0
	fi
	echo "approval-required=true" >> "$GITHUB_OUTPUT"
	echo "fingerprint=$(fingerprint_of "$out/main-plan.json")" >> "$GITHUB_OUTPUT"
	say "**Approval required** to apply this plan of $what ($GITHUB_SHA): $1"
	case "$approval_check" in
		reviewers) say "Approval: $approval_note." ;;
		none) say "**No one approves:** $approval_note (require-reviewers: 'false')." ;;
		*) say "Approval: $approval_note." ;;
	esac
	say "Approve the ${APPROVAL_ENVIRONMENT:-coder-sessions-apply} deployment of this run to apply it, or reject it."
	cat "$out/main-plan-summary.md" >> "$GITHUB_STEP_SUMMARY" 2> /dev/null
	echo "::notice::coder-sessions: approval required: $1"
	[ "$approval_check" = reviewers ] || echo "::warning::coder-sessions: $approval_note"
}

# The pull request merged as $GITHUB_SHA (a push), or queued as it (a merge_group), as
# "HEAD_SHA HEAD_REPO"; nothing when there is none.
pull_request_of_commit() {
	if $queued; then
		# gh-readonly-queue/main/pr-42-<base sha>: the last pull request of the queued group.
		local number
		number=$(printf '%s' "${MERGE_GROUP_HEAD_REF:-}" | sed -n 's|.*/pr-\([0-9][0-9]*\)-[0-9a-f]*$|\1|p')
		[ -n "$number" ] || return 0
		gh api "repos/$GITHUB_REPOSITORY/pulls/$number" \
			--jq '"\(.head.sha) \(.head.repo.full_name // "(deleted)")"' 2> /dev/null
	else
		gh api "repos/$GITHUB_REPOSITORY/commits/$GITHUB_SHA/pulls" \
			--jq "[.[] | select(.merged_at != null and .merge_commit_sha == \"$GITHUB_SHA\")][0] // empty | \"\\(.head.sha) \\(.head.repo.full_name // \"(deleted)\")\"" 2> /dev/null
	fi
}

# The plan reviewed on the pull request behind $GITHUB_SHA, downloaded into $out/reviewed;
# prints why not when there is none. Only a plan made by this repository's own workflow file, run
# by the pull_request event for a pull request from a branch of this repository, is trusted: a
# fork's pull request runs the workflow file as the fork wrote it, and could upload any plan.
fetch_reviewed_plan() {
	if [ "$GITHUB_EVENT_NAME" != push ] && ! $queued; then
		echo "run by $GITHUB_EVENT_NAME, not by a merged or queued pull request"
		return 1
	fi
	local self pull head head_repo workflow run
	self=$(lower "${GITHUB_REPOSITORY:?}")
	pull=$(pull_request_of_commit)
	read -r head head_repo <<< "$pull"
	if ! [[ "${head:-}" =~ ^[0-9a-f]{40}$ ]]; then
		if $queued; then
			echo "no pull request found behind the queued commit $GITHUB_SHA (${MERGE_GROUP_HEAD_REF:-no head ref})"
		else
			echo "$GITHUB_SHA was pushed directly, not merged from a pull request"
		fi
		return 1
	fi
	if [ "$(lower "$head_repo")" != "$self" ]; then
		echo "the pull request came from $head_repo, not from a branch of $GITHUB_REPOSITORY: the plan run of a fork's pull request is never trusted"
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
	say "No changes: the Hub matches $what ($GITHUB_SHA)."
	echo "exitcode=0" >> "$GITHUB_OUTPUT"
	exit 0
elif [ "$code" -ne 2 ]; then
	echo "::error::coder-sessions plan of $what failed (exit $code)"
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
	request_approval "the plan of $what ($main_fp) differs from the plan reviewed on the pull request ($reviewed, $reviewed_fp): another change was merged or made on the Hub since the review."
	exit 0
fi

say "The plan of $what equals the reviewed plan ($main_fp, $reviewed): applying it."
cs apply "$out/main-plan.json" "${apply_args[@]}"
code=$?
echo "exitcode=$code" >> "$GITHUB_OUTPUT"
case "$code" in
	0)
		say "Applied."
		exit 0
		;;
	4 | 5)
		# Stale (the Hub moved between plan and apply) or applied in part.
		echo "::error::coder-sessions apply exited $code (4: the Hub moved since the plan, nothing applied; 5: applied in part)"
		echo "failed=true" >> "$GITHUB_OUTPUT"
		if $queued; then
			# The entry leaves the queue: what is left is not handed over, as main will not hold
			# this commit. Queue the pull request again to plan it afresh.
			say "Apply exited $code: this queue entry fails and is not merged. Queue the pull request again: its plan then shows what is left (after approval, as it differs from the reviewed one)."
			exit 0
		fi
		# Plan main again and hand what is left to the approval job.
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

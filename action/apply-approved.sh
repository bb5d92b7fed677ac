#!/usr/bin/env bash
# Applies the plan that a reviewer approved through the environment. It first asks the API
# whether the environment makes someone approve: when it has no required reviewers, this job
# ran without anyone approving, and the plan is not applied (unless require-reviewers is
# 'false'). apply refuses the plan (exit 4) when the Hub moved since it was made: then nothing
# was written, and running the workflow again plans afresh for another approval.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

check_approval_environment
case "$approval_check" in
	reviewers) echo "coder-sessions: $approval_note." ;;
	none)
		if [ "${REQUIRE_REVIEWERS:-true}" = true ]; then
			echo "::error::coder-sessions: $approval_note, so nobody approved this job; nothing was applied. Add required reviewers to the environment (Settings → Environments), then run this workflow again."
			echo "Not applied: $approval_note, so nobody approved this job." >> "$GITHUB_STEP_SUMMARY"
			echo "exitcode=1" >> "$GITHUB_OUTPUT"
			exit 1
		fi
		echo "::warning::coder-sessions: $approval_note (require-reviewers: 'false'): applying without an approval."
		;;
	*) echo "::warning::coder-sessions: $approval_note." ;;
esac

extra_args apply || exit 1
node "${CODER_SESSIONS:?}" apply "${PLAN:?}" "${extra[@]}"
code=$?
echo "exitcode=$code" >> "$GITHUB_OUTPUT"
case "$code" in
	0) echo "Applied the approved plan." >> "$GITHUB_STEP_SUMMARY" ;;
	4)
		echo "::error::The Hub moved since the approved plan was made; nothing was applied. Run this workflow again (Run workflow on main, or queue the pull request again) to plan afresh."
		;;
	5)
		echo "::error::The approved plan was applied in part (exit 5). Run this workflow again (Run workflow on main): it plans what is left for approval."
		;;
	*) echo "::error::coder-sessions apply exited $code." ;;
esac
exit "$code"

#!/usr/bin/env bash
# Applies the plan of main that a reviewer approved through the environment. apply refuses it
# (exit 4) when the Hub moved since it was made: then nothing was written, and running the
# workflow again plans main afresh for another approval.
set -uo pipefail

node "${CODER_SESSIONS:?}" apply "${PLAN:?}"
code=$?
echo "exitcode=$code" >> "$GITHUB_OUTPUT"
case "$code" in
	0) echo "Applied the approved plan of main." >> "$GITHUB_STEP_SUMMARY" ;;
	4)
		echo "::error::The Hub moved since the approved plan was made; nothing was applied. Run this workflow again (Run workflow on main) to plan main afresh."
		;;
	5)
		echo "::error::The approved plan was applied in part (exit 5). Run this workflow again (Run workflow on main): it plans what is left for approval."
		;;
	*) echo "::error::coder-sessions apply exited $code." ;;
esac
exit "$code"

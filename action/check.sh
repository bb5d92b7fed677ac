#!/usr/bin/env bash
# Checks the mode, and that the step was given a way to reach the Hub. Without one (a fork pull
# request gets no secrets) it says why in the log and the job summary, and sets `message` for
# the pull-request comment; the action then stops before installing anything.
set -euo pipefail

case "${MODE:-}" in
	plan | apply | apply-approved | drift) ;;
	*)
		echo "::error::coder-sessions: mode must be plan, apply, apply-approved or drift, not '${MODE:-}'"
		exit 1
		;;
esac

if [ -n "${AGENTUITY_SDK_KEY:-}${AGENTUITY_CLI_KEY:-}${AGENTUITY_CODER_URL:-}" ]; then
	echo "credentials=true" >> "$GITHUB_OUTPUT"
	exit 0
fi

echo "credentials=false" >> "$GITHUB_OUTPUT"
if [ "${EVENT:-}" = pull_request ] && [ -n "${HEAD_REPO:-}" ] && [ "$HEAD_REPO" != "${REPO:-}" ]; then
	why="this pull request comes from a fork ($HEAD_REPO), and GitHub gives workflows of fork pull requests no secrets"
	todo="a maintainer reviews the change and runs the plan from a branch of ${REPO:-this repository} (README, CI recipe: pull requests from forks)"
else
	why="AGENTUITY_SDK_KEY is not set: pass secrets.AGENTUITY_SDK_KEY in the env of the step that uses this action"
	todo="add the repository secret AGENTUITY_SDK_KEY and pass it to this step"
fi
message="coder-sessions cannot read the Hub: $why. Nothing was planned; $todo."
echo "::error::$message"
echo "$message" >> "$GITHUB_STEP_SUMMARY"
echo "message=$message" >> "$GITHUB_OUTPUT"

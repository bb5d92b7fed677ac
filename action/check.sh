#!/usr/bin/env bash
# Checks the mode, the tools it needs, and that the step was given a way to reach the Hub. A
# fork's pull request gets no secrets: in plan mode it goes on without them (fork=true), to
# validate and format-check the spec and hand the files to the base repository's workflow_run
# job. Any other step without credentials says why in the log and the job summary, and sets
# `message` for the pull-request comment; the action then stops before installing anything.
set -euo pipefail

case "${MODE:-}" in
	plan | apply | apply-approved | drift | plan-fork) ;;
	*)
		echo "::error::coder-sessions: mode must be plan, apply, apply-approved, drift or plan-fork, not '${MODE:-}'"
		exit 1
		;;
esac
if [ "$MODE" = plan-fork ] && [ "${EVENT:-}" != workflow_run ]; then
	echo "::error::coder-sessions: mode plan-fork runs in a workflow_run job (it plans the spec files a fork's pull request run uploaded), not on ${EVENT:-no event}"
	exit 1
fi

# Names derived from artifact-name, so that several stacks of one repository (a matrix) keep
# their artifacts and pull-request comments apart.
artifact="${ARTIFACT:-coder-sessions-plan}"
if [ "$artifact" = coder-sessions-plan ]; then
	{
		echo "main-artifact=coder-sessions-main-plan"
		echo "spec-artifact=coder-sessions-spec"
	} >> "$GITHUB_OUTPUT"
else
	{
		echo "main-artifact=$artifact-main"
		echo "spec-artifact=$artifact-spec"
	} >> "$GITHUB_OUTPUT"
fi

# apply finds the reviewed plan and checks the approval environment with the GitHub CLI;
# plan-fork fetches the fork's files and finds its pull request with it.
case "$MODE" in
	apply | apply-approved | plan-fork)
		version=$(gh --version 2> /dev/null | sed -n 's/^gh version \([0-9][0-9]*\)\..*/\1/p' | head -n 1 || true)
		if [ -z "$version" ] || [ "$version" -lt 2 ]; then
			echo "::error::coder-sessions: mode $MODE needs the GitHub CLI (gh) 2.0 or newer on PATH (GitHub-hosted runners have it; on a self-hosted runner, install it: https://cli.github.com)"
			exit 1
		fi
		;;
esac

if [ -n "${AGENTUITY_SDK_KEY:-}${AGENTUITY_CLI_KEY:-}${AGENTUITY_CODER_URL:-}" ]; then
	echo "credentials=true" >> "$GITHUB_OUTPUT"
	exit 0
fi

fork=false
if [ "${EVENT:-}" = pull_request ] && [ -n "${HEAD_REPO:-}" ] && [ "$HEAD_REPO" != "${REPO:-}" ]; then
	fork=true
fi
if $fork && [ "$MODE" = plan ]; then
	echo "credentials=false" >> "$GITHUB_OUTPUT"
	echo "fork=true" >> "$GITHUB_OUTPUT"
	echo "coder-sessions: a fork's pull request ($HEAD_REPO) gets no secrets: this job validates and format-checks the spec and uploads its files; the base repository's workflow_run job plans them."
	exit 0
fi

echo "credentials=false" >> "$GITHUB_OUTPUT"
if $fork; then
	why="this pull request comes from a fork ($HEAD_REPO), and GitHub gives workflows of fork pull requests no secrets"
	todo="fork pull requests are planned by the base repository's workflow_run job (README, CI recipe: pull requests from forks)"
else
	why="AGENTUITY_SDK_KEY is not set: pass secrets.AGENTUITY_SDK_KEY in the env of the step that uses this action"
	todo="add the repository secret AGENTUITY_SDK_KEY and pass it to this step"
fi
message="coder-sessions cannot read the Hub: $why. Nothing was planned; $todo."
echo "::error::$message"
echo "$message" >> "$GITHUB_STEP_SUMMARY"
echo "message=$message" >> "$GITHUB_OUTPUT"

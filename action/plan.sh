#!/usr/bin/env bash
# Pull requests. Validates and format-checks the spec files (no secrets needed), then plans them.
# A fork's pull request (FORK=true: GitHub gives it no secrets) stops after the checks and
# copies the spec files into $RUNNER_TEMP/coder-sessions-spec, which the action uploads as data
# for the base repository's workflow_run job to plan (mode plan-fork).
#
# Never fails the step itself: it records `stage` (validate, fmt, plan or fork) and `exitcode`
# (0 no changes, 2 changes, 3 a plan apply would refuse, anything else a failure) for the steps
# that comment on the pull request and then fail the job.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out="${RUNNER_TEMP:?}/coder-sessions-out"
mkdir -p "$out"
rm -f "$out/plan.json" "$out/plan.md"
spec_files
cs() { node "${CODER_SESSIONS:?}" "$@"; }

echo "stage=validate" >> "$GITHUB_OUTPUT"
cs validate "${files[@]}"
code=$?
if [ "$code" -ne 0 ]; then
	echo "exitcode=$code" >> "$GITHUB_OUTPUT"
	exit 0
fi

if [ "${CHECK_FORMAT:-true}" = true ]; then
	echo "stage=fmt" >> "$GITHUB_OUTPUT"
	formatted=()
	while IFS= read -r file; do formatted+=(-f "$file"); done < <(spec_paths)
	cs fmt --check --diff "${formatted[@]}"
	code=$?
	if [ "$code" -ne 0 ]; then
		echo "::error::coder-sessions: the spec files are not in fmt's layout; run coder-sessions fmt and commit the result (the diff is in the log above)"
		echo "exitcode=$code" >> "$GITHUB_OUTPUT"
		exit 0
	fi
fi

if [ "${FORK:-false}" = true ]; then
	# The spec files as data, at their paths under the working directory. Nothing else of the
	# fork goes along; the base repository's job reads only the files its own workflow names.
	echo "stage=fork" >> "$GITHUB_OUTPUT"
	spec="${RUNNER_TEMP:?}/coder-sessions-spec"
	rm -rf "$spec"
	mkdir -p "$spec"
	while IFS= read -r file; do
		mkdir -p "$spec/$(dirname "$file")"
		cp "$file" "$spec/$file"
	done < <(spec_paths)
	echo "exitcode=0" >> "$GITHUB_OUTPUT"
	{
		echo "Validated and format-checked the spec files of this fork's pull request."
		echo "GitHub gives a fork's pull request no secrets, so it is planned by the base repository: its workflow_run job reads these files as data, plans them with its own pinned coder-sessions, and comments the plan on the pull request."
	} >> "$GITHUB_STEP_SUMMARY"
	exit 0
fi

echo "stage=plan" >> "$GITHUB_OUTPUT"
if ! extra_args plan; then
	echo "exitcode=1" >> "$GITHUB_OUTPUT"
	exit 0
fi
base=()
[ -n "${BASE:-}" ] && base=(--base "$BASE")
# Without it, plan fails (exit 1) on env variables a create or replace needs and this job lacks.
allow=()
[ "${ALLOW_MISSING_ENV:-false}" = true ] && allow=(--allow-missing-env)
# The CLI writes the whole plan, every action's details, to the step summary (within its
# 1 MiB); the shortened plan on stdout is the pull-request comment.
cs plan "${files[@]}" "${base[@]}" "${allow[@]}" "${extra[@]}" --format markdown \
	--out "$out/plan.json" --detailed-exitcode > "$out/plan.md"
code=$?
echo "exitcode=$code" >> "$GITHUB_OUTPUT"
if [ "$code" -eq 0 ] || [ "$code" -eq 2 ]; then
	echo "fingerprint=$(fingerprint_of "$out/plan.json")" >> "$GITHUB_OUTPUT"
fi
exit 0

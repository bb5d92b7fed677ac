#!/usr/bin/env bash
# Validates and plans the spec files. Never fails the step itself: it records `stage` (validate
# or plan) and `exitcode` (0 no changes, 2 changes, 3 a plan apply would refuse, anything else a
# failure) for the steps that comment on the pull request and then fail the job.
set -uo pipefail

out="${RUNNER_TEMP:?}/coder-sessions-out"
mkdir -p "$out"
rm -f "$out/plan.json" "$out/plan.md"

files=()
while IFS= read -r file; do
	[ -n "$file" ] && files+=(-f "$file")
done <<< "${FILES:-sessions.yaml}"

echo "stage=validate" >> "$GITHUB_OUTPUT"
node "${CODER_SESSIONS:?}" validate "${files[@]}"
code=$?
if [ "$code" -ne 0 ]; then
	echo "exitcode=$code" >> "$GITHUB_OUTPUT"
	exit 0
fi

echo "stage=plan" >> "$GITHUB_OUTPUT"
base=()
[ -n "${BASE:-}" ] && base=(--base "$BASE")
# Without it, plan fails (exit 1) on env variables a create or replace needs and this job lacks.
allow=()
[ "${ALLOW_MISSING_ENV:-false}" = true ] && allow=(--allow-missing-env)
# The step summary is written here, once: the CLI is not told where it is.
env -u GITHUB_STEP_SUMMARY node "$CODER_SESSIONS" plan "${files[@]}" "${base[@]}" "${allow[@]}" --format markdown \
	--out "$out/plan.json" --detailed-exitcode > "$out/plan.md"
code=$?
echo "exitcode=$code" >> "$GITHUB_OUTPUT"
if [ "$code" -eq 0 ] || [ "$code" -eq 2 ]; then
	fingerprint=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).plan.fingerprint)' "$out/plan.json")
	echo "fingerprint=$fingerprint" >> "$GITHUB_OUTPUT"
	cat "$out/plan.md" >> "$GITHUB_STEP_SUMMARY"
elif [ "$code" -eq 3 ]; then
	# Apply would refuse this plan: it is still shown, and the job fails after the comment.
	cat "$out/plan.md" >> "$GITHUB_STEP_SUMMARY"
fi
exit 0

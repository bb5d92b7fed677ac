#!/usr/bin/env bash
# Runs drift and records its exit code: 0 no hand edits, 6 hand edits on the Hub, else a failure.
set -uo pipefail

out="${RUNNER_TEMP:?}/coder-sessions-out"
mkdir -p "$out"

files=()
while IFS= read -r file; do
	[ -n "$file" ] && files+=(-f "$file")
done <<< "${FILES:-sessions.yaml}"

node "${CODER_SESSIONS:?}" drift "${files[@]}" --no-color > "$out/drift.txt"
code=$?
cat "$out/drift.txt"
echo "exitcode=$code" >> "$GITHUB_OUTPUT"
exit 0

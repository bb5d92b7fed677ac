#!/usr/bin/env bash
# Runs drift and records its exit code: 0 no hand edits, 6 hand edits on the Hub, else a failure.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out="${RUNNER_TEMP:?}/coder-sessions-out"
mkdir -p "$out"
spec_files
if ! extra_args drift; then
	echo "exitcode=1" >> "$GITHUB_OUTPUT"
	exit 0
fi

node "${CODER_SESSIONS:?}" drift "${files[@]}" "${extra[@]}" --no-color > "$out/drift.txt"
code=$?
cat "$out/drift.txt"
echo "exitcode=$code" >> "$GITHUB_OUTPUT"
exit 0

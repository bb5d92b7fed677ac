#!/usr/bin/env bash
# The key under which actions/cache keeps the built coder-sessions: the pinned commit, so a
# build is reused only for exactly the code it was built from. VERSION a commit sha: that sha.
# No VERSION (the action's own checkout): the commit the workflow's `uses:` names when it is a
# sha, else a digest of the checkout's build inputs (a tag can be moved; its content cannot).
# A release tag (vX.Y.Z) as VERSION is not cached: pin a commit sha to have the build cached.
set -euo pipefail

node_major=$(node -p 'process.versions.node.split(".")[0]')
prefix="coder-sessions-build-v1-${RUNNER_OS:-os}-${RUNNER_ARCH:-arch}-node$node_major"
if [[ "${VERSION:-}" =~ ^[0-9a-f]{40}$ ]]; then
	key="$prefix-${ACTION_REPOSITORY:-repo}-$VERSION"
elif [ -n "${VERSION:-}" ]; then
	echo "coder-sessions: $VERSION is a tag, which can be moved: the build is not cached (pin a commit sha to cache it)"
	key=""
elif [[ "${ACTION_REF:-}" =~ ^[0-9a-f]{40}$ ]]; then
	key="$prefix-${ACTION_REPOSITORY:-repo}-$ACTION_REF"
else
	# A digest of what the build is made from, in node: macOS runners have no sha256sum.
	digest=$(node - "${GITHUB_ACTION_PATH:?}" <<'JS'
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const root = process.argv[2];
const files = ['package.json', 'package-lock.json', 'tsconfig.json'];
const walk = (dir) => {
	for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
		const name = path.posix.join(dir, entry.name);
		if (entry.isDirectory()) walk(name);
		else if (entry.isFile()) files.push(name);
	}
};
walk('src');
const hash = createHash('sha256');
for (const file of files.sort()) {
	hash.update(`${file}\0`);
	hash.update(fs.readFileSync(path.join(root, file)));
	hash.update('\0');
}
console.log(hash.digest('hex').slice(0, 40));
JS
	)
	key="$prefix-content-$digest"
fi
echo "key=$key" >> "$GITHUB_OUTPUT"
echo "dir=${RUNNER_TEMP:?}/coder-sessions-cli" >> "$GITHUB_OUTPUT"

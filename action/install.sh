#!/usr/bin/env bash
# Installs coder-sessions at a pinned commit or tag and prints its path as the step output `bin`.
# npm runs with an emptied environment: secrets passed to the action never reach npm, a
# dependency's install script, or the registry.
#
# A build restored by actions/cache (CACHE_KEY: the pinned commit, see cache-key.sh) is used as
# it is when it was made under that same key and runs; anything else is built afresh.
set -euo pipefail

target="${RUNNER_TEMP:?}/coder-sessions-cli"
stamp="$target/.coder-sessions-build"
if [ -n "${CACHE_KEY:-}" ] && [ -f "$stamp" ] && [ "$(head -n 1 "$stamp")" = "$CACHE_KEY" ]; then
	bin="$(sed -n 2p "$stamp")"
	if [ -f "$bin" ] && node "$bin" --version > /dev/null 2>&1; then
		echo "coder-sessions: the build of $CACHE_KEY, restored from the cache"
		node "$bin" --version
		echo "bin=$bin" >> "$GITHUB_OUTPUT"
		exit 0
	fi
fi

clean_env=(env -i "PATH=$PATH" "HOME=$HOME" "RUNNER_TEMP=$RUNNER_TEMP")
# Network settings a runner may need to reach the registry (proxies, extra CAs) are kept.
for name in HTTP_PROXY HTTPS_PROXY NO_PROXY http_proxy https_proxy no_proxy \
	NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR GIT_SSL_CAINFO npm_config_registry; do
	if [ -n "${!name:-}" ]; then clean_env+=("$name=${!name}"); fi
done

rm -rf "$target"
if [ -z "${VERSION:-}" ]; then
	# The action's own checkout: the commit or tag the workflow's `uses:` names.
	mkdir -p "$target"
	cp -R "${GITHUB_ACTION_PATH:?}/." "$target/"
	"${clean_env[@]}" npm ci --no-audit --no-fund --prefix "$target"
	bin="$target/dist/bin/coder-sessions.js"
else
	if ! [[ "$VERSION" =~ ^[0-9a-f]{40}$ || "$VERSION" =~ ^v[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
		echo "::error::coder-sessions: version must be a full commit sha or a release tag vX.Y.Z, not '$VERSION' (a branch is not a pin)"
		exit 1
	fi
	if [ -z "${ACTION_REPOSITORY:-}" ]; then
		echo "::error::coder-sessions: version needs the action to be used as OWNER/coder-sessions@REF"
		exit 1
	fi
	mkdir -p "$target"
	# A git dependency is built by its `prepare` script (dev dependencies are installed for it).
	"${clean_env[@]}" npm install --no-save --no-audit --no-fund --prefix "$target" \
		"github:${ACTION_REPOSITORY}#${VERSION}"
	bin="$target/node_modules/coder-sessions/dist/bin/coder-sessions.js"
fi

node "$bin" --version
if [ -n "${CACHE_KEY:-}" ]; then printf '%s\n%s\n' "$CACHE_KEY" "$bin" > "$stamp"; fi
echo "bin=$bin" >> "$GITHUB_OUTPUT"

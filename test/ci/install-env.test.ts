/**
 * The action's install step: npm runs without the secrets the step was given, installs a pinned
 * ref only, and never the bare package name. npm is a stub that records its arguments and env.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';

/** npm runs with an emptied environment: the stub's log directory is written into it. */
const npmStub = (log: string) => `#!/usr/bin/env bash
printf '%s\\n' "$*" >> '${log}/args'
env >> '${log}/env'
while [ $# -gt 0 ]; do if [ "$1" = --prefix ]; then prefix="$2"; shift 2; else shift; fi; done
for main in "$prefix/dist/cli/main.js" "$prefix/node_modules/coder-sessions/dist/cli/main.js"; do
	mkdir -p "$(dirname "$main")"
	echo 'console.log("0.0.0-stub")' > "$main"
done
`;

const SECRET = 'sdk-key-Secret-5a1';
let dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	dirs = [];
});

function install(version: string) {
	const dir = mkdtempSync(join(tmpdir(), 'ci-install-'));
	dirs.push(dir);
	const bin = join(dir, 'bin');
	const log = join(dir, 'log');
	mkdirSync(bin);
	mkdirSync(log);
	writeFileSync(join(bin, 'npm'), npmStub(log));
	const actionPath = join(dir, 'action');
	mkdirSync(actionPath);
	writeFileSync(join(actionPath, 'package.json'), '{}');
	chmodSync(join(bin, 'npm'), 0o755);
	writeFileSync(join(log, 'args'), '');
	writeFileSync(join(log, 'env'), '');
	const output = join(dir, 'output');
	writeFileSync(output, '');
	const result = spawnSync('bash', [join(projectRoot, 'action/install.sh')], {
		encoding: 'utf8',
		env: {
			PATH: `${bin}:${process.env.PATH ?? ''}`,
			HOME: dir,
			RUNNER_TEMP: dir,
			GITHUB_OUTPUT: output,
			GITHUB_ACTION_PATH: actionPath,
			ACTION_REPOSITORY: 'acme/coder-sessions',
			VERSION: version,
			AGENTUITY_SDK_KEY: SECRET,
			CODER_SESSIONS_ENV_KEY: SECRET,
			DOCS_API_TOKEN: SECRET,
			HTTPS_PROXY: 'http://127.0.0.1:3128',
		},
		timeout: 60_000,
	});
	return {
		result,
		args: readFileSync(join(log, 'args'), 'utf8'),
		npmEnv: readFileSync(join(log, 'env'), 'utf8'),
		output: readFileSync(output, 'utf8'),
	};
}

describe('the action install step', () => {
	it('installs the action’s own checkout with npm ci, no secret in npm’s environment', () => {
		const { result, args, npmEnv, output } = install('');
		expect(result.status, result.stderr).toBe(0);
		expect(args).toMatch(/^ci /);
		expect(npmEnv).not.toContain(SECRET);
		expect(npmEnv).toContain('HTTPS_PROXY=http://127.0.0.1:3128');
		expect(output).toMatch(/^bin=.*\/dist\/cli\/main\.js$/m);
		expect(result.stdout).toContain('0.0.0-stub');
	});

	it('installs a pinned commit from the repository, no secret in npm’s environment', () => {
		const sha = 'c'.repeat(40);
		const { result, args, npmEnv } = install(sha);
		expect(result.status, result.stderr).toBe(0);
		expect(args).toContain(`github:acme/coder-sessions#${sha}`);
		expect(args).not.toMatch(/(^|\s)coder-sessions(\s|$)/);
		expect(npmEnv).not.toContain(SECRET);
	});

	it('refuses a branch as the version: it is no pin', () => {
		const { result, args } = install('main');
		expect(result.status).toBe(1);
		expect(result.stdout).toContain('version must be a full commit sha or a release tag');
		expect(args).toBe('');
	});
});

/**
 * The action's install step: npm runs without the secrets the step was given, installs a pinned
 * ref only, and never the bare package name. npm is a stub that records its arguments and env.
 */
import { spawnSync } from 'node:child_process';
import {
	appendFileSync,
	chmodSync,
	cpSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';

/** npm runs with an emptied environment: the stub's log directory is written into it. */
const npmStub = (log: string) => `#!/usr/bin/env bash
printf '%s\\n' "$*" >> '${log}/args'
env >> '${log}/env'
while [ $# -gt 0 ]; do if [ "$1" = --prefix ]; then prefix="$2"; shift 2; else shift; fi; done
for main in "$prefix/dist/bin/coder-sessions.js" "$prefix/node_modules/coder-sessions/dist/bin/coder-sessions.js"; do
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

/** `dir`: a runner temp to run in again (a job whose cache was restored there). */
function install(version: string, options: { cacheKey?: string; dir?: string } = {}) {
	const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'ci-install-'));
	if (!options.dir) dirs.push(dir);
	const bin = join(dir, 'bin');
	const log = join(dir, 'log');
	mkdirSync(bin, { recursive: true });
	mkdirSync(log, { recursive: true });
	writeFileSync(join(bin, 'npm'), npmStub(log));
	const actionPath = join(dir, 'action');
	mkdirSync(actionPath, { recursive: true });
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
			CACHE_KEY: options.cacheKey ?? '',
		},
		timeout: 60_000,
	});
	return {
		dir,
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
		expect(output).toMatch(/^bin=.*\/dist\/bin\/coder-sessions\.js$/m);
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

describe('the build cache', () => {
	const sha = 'c'.repeat(40);

	it('uses a build restored under the same key, and builds again under another', () => {
		const first = install(sha, { cacheKey: `key-${sha}` });
		expect(first.args).toContain(`github:acme/coder-sessions#${sha}`);
		// The next job of the same commit: actions/cache restored the build.
		const again = install(sha, { cacheKey: `key-${sha}`, dir: first.dir });
		expect(again.result.status, again.result.stderr).toBe(0);
		expect(again.args).toBe('');
		expect(again.result.stdout).toContain(`the build of key-${sha}, restored from the cache`);
		expect(again.output).toMatch(
			/^bin=.*\/node_modules\/coder-sessions\/dist\/bin\/coder-sessions\.js$/m
		);
		// Another commit: the restored build is not it.
		const other = install('d'.repeat(40), { cacheKey: `key-${'d'.repeat(40)}`, dir: first.dir });
		expect(other.args).toContain(`github:acme/coder-sessions#${'d'.repeat(40)}`);
	});

	function key(env: Record<string, string>, actionPath = projectRoot) {
		const dir = mkdtempSync(join(tmpdir(), 'ci-cache-key-'));
		dirs.push(dir);
		const output = join(dir, 'output');
		writeFileSync(output, '');
		const result = spawnSync('bash', [join(projectRoot, 'action/cache-key.sh')], {
			encoding: 'utf8',
			env: {
				PATH: process.env.PATH ?? '',
				RUNNER_TEMP: dir,
				RUNNER_OS: 'Linux',
				RUNNER_ARCH: 'X64',
				GITHUB_OUTPUT: output,
				GITHUB_ACTION_PATH: actionPath,
				ACTION_REPOSITORY: 'acme/coder-sessions',
				...env,
			},
			timeout: 30_000,
		});
		expect(result.status, result.stderr).toBe(0);
		return /^key=(.*)$/m.exec(readFileSync(output, 'utf8'))?.[1];
	}

	it('keys the build by the pinned commit, and a tag by what the checkout holds', () => {
		const node = process.versions.node.split('.')[0];
		expect(key({ VERSION: sha })).toBe(
			`coder-sessions-build-v1-Linux-X64-node${node}-acme/coder-sessions-${sha}`
		);
		expect(key({ VERSION: '', ACTION_REF: 'e'.repeat(40) })).toContain(`-${'e'.repeat(40)}`);
		// A release tag as version can be moved: not cached.
		expect(key({ VERSION: 'v1.2.3' })).toBe('');
		// The action used at a tag: keyed by the content of the checkout, which a moved tag changes.
		const byContent = key({ VERSION: '', ACTION_REF: 'v1.2.3' });
		expect(byContent).toMatch(/-content-[0-9a-f]{40}$/);
		expect(key({ VERSION: '', ACTION_REF: 'v1.2.3' })).toBe(byContent);
		const copy = mkdtempSync(join(tmpdir(), 'ci-cache-src-'));
		dirs.push(copy);
		for (const file of ['package.json', 'package-lock.json', 'tsconfig.json'])
			cpSync(join(projectRoot, file), join(copy, file));
		cpSync(join(projectRoot, 'src'), join(copy, 'src'), { recursive: true });
		expect(key({ VERSION: '', ACTION_REF: 'v1.2.3' }, copy)).toBe(byContent);
		appendFileSync(join(copy, 'src', 'index.ts'), '\n// moved\n');
		expect(key({ VERSION: '', ACTION_REF: 'v1.2.3' }, copy)).not.toBe(byContent);
	});
});

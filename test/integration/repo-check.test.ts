/**
 * The repo check end to end: the built CLI against a local Hub serving a GitHub fixture, through
 * the SDK's listGitHubAccounts / listGitHubRepos (issue "Adopting, exporting and watching
 * sessions").
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LocalGithubAccount } from '../../src/hub-emulator/index.js';
import type { PlanJsonV1 } from '../../src/render/json.js';
import { startProxy } from '../support/apply-helpers.js';
import { projectRoot, runCli, type CliResult } from '../support/cli.js';
import { startHubProcess } from '../support/hub-process.js';
import { cli, hubForTest, useTempDir, type TestHub, writeSpec } from '../support/local-hub.js';

const GITHUB: LocalGithubAccount[] = [
	{ account: 'agentuity', repos: ['sdk', 'docs'] },
	{ account: 'acme', type: 'User', repos: [{ name: 'web', defaultBranch: 'trunk' }] },
];

/** Line numbers matter: the errors point at the entries (`api-docs` at 6:3, `web` at 11:3). */
const SPEC = `version: 1
stack: repo-check
sessions:
  plain:
    task: No repo at all.
  api-docs:
    task: Keep the API docs in sync.
    repos:
      - agentuity/sdk#main
      - agentuity/nope
  web:
    task: Review the web app.
    repo: octo/web
  sdk:
    task: Review the SDK.
    repo: Agentuity/SDK
`;

const REACHABLE = `version: 1
stack: repo-check
sessions:
  sdk:
    task: Review the SDK.
    repo: agentuity/sdk#main
  docs:
    task: Review the docs.
    repos: [agentuity/docs, acme/web]
`;

const INSTALLED = '(installed accounts: agentuity, acme)';
const NOT_CONNECTED =
	'Error: the Hub has no GitHub connection for this org: log in with GitHub in Agentuity, or pass --no-repo-check';

/** No stack frames, no "Internal error": a user-facing failure. */
function expectCleanError(result: CliResult): void {
	expect(result.code, result.stdout + result.stderr).toBe(1);
	expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
	expect(result.stderr).not.toContain('Internal error');
}

const githubCalls = (hub: TestHub) => {
	const stats = hub.stats();
	return { accounts: stats.githubAccounts ?? 0, repos: stats.githubRepos ?? 0 };
};

const writes = (hub: TestHub) => {
	const stats = hub.stats();
	return ['create', 'update', 'archive', 'delete'].map((route) => stats[route] ?? 0);
};

describe.concurrent('repo check against a Hub with a GitHub fixture', () => {
	const dir = useTempDir();
	const write = (name: string, text: string) => writeSpec(dir.path, name, text);

	it('passes reachable repos, listing accounts once and repos once per owner', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { githubRepos: GITHUB });
		const file = await write('reachable.yaml', REACHABLE);
		const result = await cli(hub, ['plan', '-f', file, '--format', 'json'], { cwd: dir.path });
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		const parsed = JSON.parse(result.stdout) as PlanJsonV1;
		expect(parsed.summary).toMatchObject({ create: 2 });
		// agentuity is pinned twice and acme once: one accounts call, one repos call per owner.
		expect(githubCalls(hub)).toEqual({ accounts: 1, repos: 2 });
		expect(parsed.hubCalls).toMatchObject({ list: 1, other: 3 });
	});

	it('an unreachable repo is a plan error at the entry, naming the installed accounts', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { githubRepos: GITHUB });
		const file = await write('unreachable.yaml', SPEC);
		const result = await cli(hub, ['plan', '-f', file, '--out', 'never.json'], { cwd: dir.path });
		expectCleanError(result);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(
			[
				`unreachable.yaml:6:3: sessions.api-docs.repos[1]: agentuity/nope is not reachable: no repo "nope" under account agentuity ${INSTALLED}`,
				`unreachable.yaml:11:3: sessions.web.repo: octo/web is not reachable: no GitHub account octo is installed ${INSTALLED}`,
				'2 errors in unreachable.yaml',
				'Grant the Agentuity GitHub App access to these repos, fix the spec, or pass --no-repo-check.',
				'',
			].join('\n')
		);
		// Agentuity/SDK matched agentuity/sdk; octo has no account, so only agentuity was listed.
		expect(githubCalls(hub)).toEqual({ accounts: 1, repos: 1 });
	});

	it('apply runs the same check and writes nothing', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished, { githubRepos: GITHUB });
		const file = await write('apply-unreachable.yaml', SPEC);
		const result = await cli(hub, ['apply', '--auto-approve', '-f', file], { cwd: dir.path });
		expectCleanError(result);
		expect(result.stderr).toContain('octo/web is not reachable');
		expect(writes(hub)).toEqual([0, 0, 0, 0]);
	});

	it('apply of a plan saved with --no-repo-check carries it out as reviewed: no check, saying so', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { githubRepos: GITHUB });
		const file = await write('saved.yaml', SPEC);
		const planned = await cli(hub, ['plan', '-f', file, '--no-repo-check', '--out', 'saved.json'], {
			cwd: dir.path,
		});
		expect(planned.code, planned.stderr).toBe(0);
		const applied = await cli(hub, ['apply', 'saved.json'], { cwd: dir.path });
		expect(applied.code, applied.stderr).toBe(0);
		expect(applied.stderr).toContain(
			'The repo check is skipped: the plan was made with --no-repo-check, and apply carries it out as it was reviewed.'
		);
		expect(githubCalls(hub)).toEqual({ accounts: 0, repos: 0 });
		expect(writes(hub)[0]).toBe(4);
	});

	it('apply of a plan saved with the check checks again', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished, { githubRepos: GITHUB });
		const file = await write(
			'checked.yaml',
			SPEC.replace('      - agentuity/nope\n', '')
				.replace('octo/web', 'acme/web')
				.replace('Agentuity/SDK', 'agentuity/sdk')
		);
		const planned = await cli(hub, ['plan', '-f', file, '--out', 'checked.json'], {
			cwd: dir.path,
		});
		expect(planned.code, planned.stderr).toBe(0);
		const before = githubCalls(hub).accounts;
		const applied = await cli(hub, ['apply', 'checked.json'], { cwd: dir.path });
		expect(applied.code, applied.stderr).toBe(0);
		expect(applied.stderr).not.toContain('check is skipped');
		expect(githubCalls(hub).accounts).toBeGreaterThan(before);
	});

	it('--no-repo-check skips it: no GitHub call, and apply goes through', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { githubRepos: GITHUB });
		const file = await write('skipped.yaml', SPEC);
		const planned = await cli(hub, ['plan', '-f', file, '--no-repo-check'], { cwd: dir.path });
		expect(planned.stderr).toBe('');
		expect(planned.code).toBe(0);
		const applied = await cli(hub, ['apply', '--auto-approve', '--no-repo-check', '-f', file], {
			cwd: dir.path,
		});
		expect(applied.code, applied.stderr).toBe(0);
		expect(githubCalls(hub)).toEqual({ accounts: 0, repos: 0 });
		expect(writes(hub)[0]).toBe(4);
	});

	it('checks only what the plan creates or replaces', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished, { githubRepos: GITHUB });
		const file = await write('converged.yaml', SPEC);
		await cli(hub, ['apply', '--auto-approve', '--no-repo-check', '-f', file], { cwd: dir.path });
		await hub.resetStats();
		// Converged: nothing would be sent, so the unreachable repos are not looked up.
		const result = await cli(hub, ['plan', '-f', file, '--detailed-exitcode'], { cwd: dir.path });
		expect(result.code, result.stderr).toBe(0);
		expect(githubCalls(hub)).toEqual({ accounts: 0, repos: 0 });
	});
});

describe.concurrent('repo check against a Hub without GitHub', () => {
	const dir = useTempDir();

	it('a Hub with no GitHub connection gives the clear message, whether it says 409 or connected: false', async ({
		onTestFinished,
	}) => {
		await writeFile(join(dir.path, 'spec.yaml'), REACHABLE);
		// Strict: 409, as the seed page documents (the SDK sends it 4 times); lenient: connected: false.
		for (const [strict, accounts] of [
			[true, 4],
			[false, 1],
		] as const) {
			const hub = await hubForTest(onTestFinished, { strict });
			const result = await cli(hub, ['plan', '-f', 'spec.yaml'], { cwd: dir.path });
			expectCleanError(result);
			expect(result.stderr).toBe(`${NOT_CONNECTED}\n`);
			expect(githubCalls(hub)).toEqual({ accounts, repos: 0 });
		}
	});

	it("maps the Hub's 409 (no OAuth login) to the same message", async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const body = { success: false, code: 'CONFLICT', error: 'GitHub is not connected' };
		const proxy = await startProxy(hub.url, (request) =>
			request.path.startsWith('/api/hub/github/') ? { status: 409, body } : undefined
		);
		onTestFinished(() => proxy.close());
		await writeFile(join(dir.path, 'spec-409.yaml'), REACHABLE);
		const result = await runCli(['plan', '-f', 'spec-409.yaml', '--url', proxy.url], {
			cwd: dir.path,
		});
		expectCleanError(result);
		expect(result.stderr).toBe(`${NOT_CONNECTED}\n`);
		// The SDK sends a 409'd request 4 times before it gives up.
		expect(proxy.log.filter((r) => r.path === '/api/hub/github/accounts')).toHaveLength(4);
	});
});

describe('hub serve --github-repos and --local', () => {
	const dir = useTempDir();

	it('hub serve reads a JSON fixture, and plan checks against it', async ({ onTestFinished }) => {
		await writeFile(join(dir.path, 'github.json'), JSON.stringify(GITHUB));
		await writeFile(join(dir.path, 'serve.yaml'), SPEC);
		const served = await startHubProcess(
			['--port', '0', '--no-state', '--github-repos', 'github.json'],
			{ cwd: dir.path }
		);
		onTestFinished(async () => void (await served.stop('SIGKILL')));
		const result = await runCli(['plan', '-f', 'serve.yaml', '--url', served.url], {
			cwd: dir.path,
		});
		expectCleanError(result);
		expect(result.stderr).toContain(
			`octo/web is not reachable: no GitHub account octo is installed ${INSTALLED}`
		);
	});

	it('plan --local of the docs-team spec works without a fixture, saying the check was skipped', async () => {
		const cwd = join(dir.path, 'bare');
		await mkdir(join(cwd, 'specs'), { recursive: true });
		await copyFile(
			join(projectRoot, 'test/fixtures/docs-team/sessions.yaml'),
			join(cwd, 'specs/sessions.yaml')
		);
		// The creates need DOCS_API_TOKEN: plan fails without it, as apply would.
		const result = await runCli(['plan', '--local', '-f', 'specs/sessions.yaml'], {
			cwd,
			env: { DOCS_API_TOKEN: 'demo-token' },
		});
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toContain('6 to create');
		expect(result.stderr).toBe(
			'repo check skipped: the local Hub has no GitHub fixture (.coder-sessions/github-repos.yaml; see hub serve --github-repos)\n'
		);
	});

	it('--local checks against .coder-sessions/github-repos.yaml', async () => {
		const cwd = join(dir.path, 'fixture');
		await mkdir(join(cwd, 'specs'), { recursive: true });
		await mkdir(join(cwd, '.coder-sessions'), { recursive: true });
		await copyFile(
			join(projectRoot, 'test/fixtures/docs-team/sessions.yaml'),
			join(cwd, 'specs/sessions.yaml')
		);
		await copyFile(
			join(projectRoot, 'test/fixtures/docs-team/github-repos.yaml'),
			join(cwd, '.coder-sessions/github-repos.yaml')
		);
		const env = { DOCS_API_TOKEN: 'demo-token' };
		const planned = await runCli(
			['plan', '--local', '-f', 'specs/sessions.yaml', '--format', 'json'],
			{ cwd, env }
		);
		expect(planned.stderr).toBe('');
		expect(planned.code).toBe(0);
		// Every pinned repo is under agentuity: one accounts call and one repos call.
		expect((JSON.parse(planned.stdout) as PlanJsonV1).hubCalls).toMatchObject({ other: 2 });
		const applied = await runCli(
			['apply', '--local', '--auto-approve', '-f', 'specs/sessions.yaml'],
			{ cwd, env }
		);
		expect(applied.code, applied.stderr).toBe(0);

		const text = (await readFile(join(cwd, 'specs/sessions.yaml'), 'utf8')).replace(
			'agentuity/docs#main',
			'agentuity/dcos#main'
		);
		await writeFile(join(cwd, 'specs/typo.yaml'), text);
		const typo = await runCli(['plan', '--local', '-f', 'specs/typo.yaml'], { cwd });
		expectCleanError(typo);
		expect(typo.stderr).toContain(
			'agentuity/dcos is not reachable: no repo "dcos" under account agentuity; did you mean agentuity/docs? (installed accounts: agentuity, docs-bot)'
		);
	});
});

/**
 * Fork pull requests in the CI action: the fork's pull_request job (no secrets) validates,
 * format-checks and hands its spec files over as data; the base repository's workflow_run job
 * (plan-fork) plans exactly those files over its own checkout, with its own pinned CLI and
 * secrets, and finds the pull request to comment on through the API. The real CLI on a local
 * Hub; GitHub answered by the stub `gh`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionWorkspace } from '../support/action-run.js';
import {
	cli,
	hubForTest,
	liveIdsByKey,
	tempDirForTest,
	writeSpec,
	type SpecDoc,
} from '../support/local-hub.js';

const REPO = 'acme/sessions';
const FORK = 'mallory/sessions';
const FORK_HEAD = 'f'.repeat(40);

const base: SpecDoc = {
	stack: 'ci',
	sessions: { docs: { task: 'Review the docs.' }, api: { task: 'Review the API.' } },
};
/** The fork's change: a label, and a session whose env reads a secret of the base repository. */
const forked = `version: 1
stack: ci
sessions:
  docs:
    task: Review the docs.
    label: Docs (from a fork)
  api:
    task: Review the API.
  faq:
    task: Refresh the FAQ.
    env:
      TOKEN: \${DOCS_TOKEN}
`;

const git = (cwd: string, ...args: string[]) => {
	const result = spawnSync(
		'git',
		['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args],
		{ cwd, encoding: 'utf8' }
	);
	if (result.status !== 0) throw new Error(result.stderr);
};

/**
 * The base repository's checkout (a git repository holding `base`, applied to the Hub) and the
 * artifact the fork's run uploaded: its sessions.yaml, plus files that must never be taken.
 */
async function forkSetup(onTestFinished: (fn: () => Promise<void>) => void) {
	const hub = await hubForTest(onTestFinished);
	const dir = await tempDirForTest(onTestFinished, 'ci-fork-');
	const ws = await actionWorkspace(dir, hub.url);
	await writeSpec(dir, 'sessions.yaml', base);
	git(dir, 'init', '-q');
	git(dir, 'add', 'sessions.yaml');
	git(dir, 'commit', '-q', '-m', 'base');
	const applied = await cli(hub, ['apply', '--auto-approve'], { cwd: dir });
	expect(applied.code, applied.stderr).toBe(0);
	const artifact = await tempDirForTest(onTestFinished, 'ci-fork-artifact-');
	await writeFile(join(artifact, 'sessions.yaml'), forked);
	await writeFile(join(artifact, 'evil.sh'), '#!/bin/sh\ntouch pwned\n');
	await mkdir(join(artifact, '.github', 'workflows'), { recursive: true });
	await writeFile(join(artifact, '.github', 'workflows', 'x.yml'), 'on: push\n');
	return { hub, dir, ws, artifact };
}

const openPull = { number: 7, head: { sha: FORK_HEAD, repo: { full_name: FORK } } };
const decoyPulls = [
	{ number: 5, head: { sha: 'e'.repeat(40), repo: { full_name: FORK } } },
	{ number: 6, head: { sha: FORK_HEAD, repo: { full_name: 'someone/else' } } },
];
const specArtifact = { name: 'coder-sessions-spec', size_in_bytes: 420, expired: false };

/** The workflow_run event of the fork's pull_request run. */
const workflowRun = (fields: Record<string, string> = {}) => ({
	RUN_ID: '555',
	RUN_EVENT: 'pull_request',
	RUN_CONCLUSION: 'success',
	HEAD_SHA: FORK_HEAD,
	HEAD_REPO: FORK,
	SPEC_ARTIFACT: 'coder-sessions-spec',
	GITHUB_EVENT_NAME: 'workflow_run',
	// As a YAML block (files: |) gives it: one path a line, a line break at the end.
	FILES: 'sessions.yaml\n',
	// In the step's env as in a real workflow: the fork's spec must not be able to read them.
	DOCS_TOKEN: 'docs-token-Secret-77',
	...fields,
});

describe.concurrent("a fork's pull_request job (no secrets)", () => {
	it('validates, format-checks and hands over only the spec files, reading no Hub', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const dir = await tempDirForTest(onTestFinished, 'ci-fork-pr-');
		const ws = await actionWorkspace(dir, hub.url);
		await writeSpec(dir, 'sessions.yaml', base);
		await mkdir(join(dir, 'sessions.d'));
		await writeSpec(join(dir, 'sessions.d'), 'more.yaml', {
			stack: 'ci',
			sessions: { faq: { task: 'Refresh the FAQ.' } },
		});
		await writeFile(join(dir, 'sessions.d', 'notes.txt'), 'not a spec');
		await writeFile(join(dir, 'package.json'), '{"scripts":{"postinstall":"touch pwned"}}');
		await hub.resetStats();

		const run = await ws.run('plan', {
			GITHUB_EVENT_NAME: 'pull_request',
			FORK: 'true',
			FILES: 'sessions.yaml\nsessions.d',
			AGENTUITY_SDK_KEY: '',
			AGENTUITY_CODER_URL: '',
		});

		expect(run.code, run.stderr).toBe(0);
		expect(run.outputs).toMatchObject({ stage: 'fork', exitcode: '0' });
		const spec = join(ws.runnerTemp, 'coder-sessions-spec');
		expect((await readdir(spec)).sort()).toEqual(['sessions.d', 'sessions.yaml']);
		expect(await readdir(join(spec, 'sessions.d'))).toEqual(['more.yaml']);
		expect(existsSync(ws.out('plan.json'))).toBe(false);
		expect(run.summary).toContain('workflow_run job reads these files as data');
		expect(hub.stats().total ?? 0).toBe(0);
	});

	it('fails at the format check, before anything is handed over', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const dir = await tempDirForTest(onTestFinished, 'ci-fork-pr-');
		const ws = await actionWorkspace(dir, hub.url);
		await writeFile(
			join(dir, 'sessions.yaml'),
			'version: 1\nstack: ci\nsessions:\n  docs: { task: "Review the docs." }\n'
		);

		const run = await ws.run('plan', { GITHUB_EVENT_NAME: 'pull_request', FORK: 'true' });

		expect(run.outputs).toMatchObject({ stage: 'fmt', exitcode: '1' });
		expect(run.stdout).toContain("::error::coder-sessions: the spec files are not in fmt's layout");
		expect(run.stdout).toContain('+  docs:');
		expect(existsSync(join(ws.runnerTemp, 'coder-sessions-spec'))).toBe(false);
	});
});

describe.concurrent("the base repository's workflow_run job (plan-fork)", () => {
	it("plans the fork's spec files over its own checkout, without the env secrets, for the pull request the API names", async ({
		onTestFinished,
	}) => {
		const { hub, dir, ws, artifact } = await forkSetup(onTestFinished);
		await ws.stubGithub({
			openPulls: [...decoyPulls, openPull],
			artifacts: [{ name: 'other', size_in_bytes: 1 }, specArtifact],
			artifactDirs: { 'coder-sessions-spec': artifact },
		});

		const run = await ws.run('fork-plan', workflowRun());

		expect(run.code, run.stderr).toBe(0);
		expect(run.outputs).toMatchObject({ stage: 'plan', exitcode: '2', pr: '7' });
		expect(run.outputs['run-url']).toMatch(/\/acme\/sessions\/actions\/runs\/555$/);
		const comment = await readFile(ws.out('plan.md'), 'utf8');
		// Compared with the base repository's own spec: the fork's changes lead.
		expect(comment).toContain('This change');
		expect(comment).toContain('<b>faq</b>');
		expect(comment).toContain('Docs (from a fork)');
		// The secret was in the step's env, and the plan could not read it.
		expect(run.stderr).toContain('DOCS_TOKEN is not set here (--allow-missing-env)');
		expect(comment).toContain('DOCS&#95;TOKEN is not set here');
		expect(run.stdout + run.stderr + comment + run.summary).not.toContain('docs-token-Secret-77');
		// The whole plan is in the step summary; nothing is written to the Hub.
		expect(run.summary).toContain('### coder-sessions plan: ci');
		expect(Object.keys(await liveIdsByKey(hub, 'ci')).sort()).toEqual(['api', 'docs']);
		// Only the named spec file was taken from the artifact.
		expect(await readFile(join(dir, 'sessions.yaml'), 'utf8')).toBe(forked);
		for (const name of ['evil.sh', '.github', 'pwned'])
			expect(existsSync(join(dir, name))).toBe(false);
		const calls = await ws.ghCalls();
		expect(calls.some((call) => call.startsWith('api repos/acme/sessions/pulls?state=open'))).toBe(
			true
		);
		expect(calls.filter((call) => call.startsWith('run download'))).toEqual([
			expect.stringMatching(/^run download 555 --repo acme\/sessions --name coder-sessions-spec /),
		]);
	});

	it('skips a run that is no pull request of a fork, and a pull request that moved on', async ({
		onTestFinished,
	}) => {
		const { ws, artifact } = await forkSetup(onTestFinished);
		await ws.stubGithub({
			openPulls: decoyPulls,
			artifacts: [specArtifact],
			artifactDirs: { 'coder-sessions-spec': artifact },
		});

		const own = await ws.run('fork-plan', workflowRun({ HEAD_REPO: REPO }));
		expect(own.outputs).toMatchObject({ skipped: 'true' });
		expect(own.summary).toContain('whose own plan job planned it');
		const pushed = await ws.run('fork-plan', workflowRun({ RUN_EVENT: 'push' }));
		expect(pushed.outputs).toMatchObject({ skipped: 'true' });
		const moved = await ws.run('fork-plan', workflowRun());
		expect(moved.outputs).toMatchObject({ skipped: 'true' });
		expect(moved.summary).toContain('no open pull request from mallory/sessions has the head');
		expect(moved.outputs.pr).toBeUndefined();
		expect((await ws.ghCalls()).some((call) => call.startsWith('run download'))).toBe(false);
	});

	it("comments, without planning, when the fork's run failed", async ({ onTestFinished }) => {
		const { ws, artifact } = await forkSetup(onTestFinished);
		await ws.stubGithub({
			openPulls: [openPull],
			artifacts: [specArtifact],
			artifactDirs: { 'coder-sessions-spec': artifact },
		});

		const run = await ws.run('fork-plan', workflowRun({ RUN_CONCLUSION: 'failure' }));

		expect(run.outputs).toMatchObject({ stage: 'fork-checks', exitcode: '1', pr: '7' });
		expect(existsSync(ws.out('plan.md'))).toBe(false);
		expect((await ws.ghCalls()).some((call) => call.startsWith('run download'))).toBe(false);
	});

	it('takes no symlink, no oversized artifact, and no path outside the working directory', async ({
		onTestFinished,
	}) => {
		const { dir, ws, artifact } = await forkSetup(onTestFinished);
		const before = await readFile(join(dir, 'sessions.yaml'), 'utf8');
		await rm(join(artifact, 'sessions.yaml'));
		await symlink('/etc/passwd', join(artifact, 'sessions.yaml'));
		await ws.stubGithub({
			openPulls: [openPull],
			artifacts: [specArtifact],
			artifactDirs: { 'coder-sessions-spec': artifact },
		});

		const linked = await ws.run('fork-plan', workflowRun());
		expect(linked.outputs).toMatchObject({ stage: 'fetch', exitcode: '1', pr: '7' });
		expect(linked.stdout).toContain("the fork's sessions.yaml is not a regular file");
		expect(await readFile(join(dir, 'sessions.yaml'), 'utf8')).toBe(before);

		const outside = await ws.run(
			'fork-plan',
			workflowRun({ FILES: 'sessions.yaml\n\n../sessions.yaml\n' })
		);
		expect(outside.outputs).toMatchObject({ stage: 'fetch', exitcode: '1' });
		expect(outside.stdout).toContain('only paths inside the working directory');

		await ws.stubGithub({
			openPulls: [openPull],
			artifacts: [{ ...specArtifact, size_in_bytes: 64 * 1024 * 1024 }],
			artifactDirs: { 'coder-sessions-spec': artifact },
		});
		const large = await ws.run('fork-plan', workflowRun());
		expect(large.outputs).toMatchObject({ stage: 'fetch', exitcode: '1' });
		expect(large.stdout).toContain('spec files are read up to');
		expect((await ws.ghCalls()).filter((call) => call.startsWith('run download'))).toHaveLength(1);
	});

	it('takes no file through a linked directory of the artifact, named as a file or as a folder', async ({
		onTestFinished,
	}) => {
		const { dir, ws, artifact } = await forkSetup(onTestFinished);
		// A folder on the runner outside the artifact, holding a file at the path the workflow names.
		const outside = await tempDirForTest(onTestFinished, 'ci-fork-outside-');
		await mkdir(join(outside, 'web'));
		await writeFile(join(outside, 'web', 'sessions.yaml'), 'version: 1\nstack: runner-secret\n');
		await symlink(outside, join(artifact, 'stacks'));
		await ws.stubGithub({
			openPulls: [openPull],
			artifacts: [specArtifact],
			artifactDirs: { 'coder-sessions-spec': artifact },
		});

		for (const files of ['stacks/web/sessions.yaml\n', 'stacks/web\n']) {
			const run = await ws.run('fork-plan', workflowRun({ FILES: files }));
			expect(run.outputs, files).toMatchObject({ stage: 'fetch', exitcode: '1', pr: '7' });
			expect(run.stdout).toContain("the fork's stacks is a link");
			expect(existsSync(join(dir, 'stacks')), files).toBe(false);
			expect(run.stdout + run.stderr).not.toContain('runner-secret');
		}
	});

	it("validates the fork's files again: its own run's checks are the fork's to change", async ({
		onTestFinished,
	}) => {
		const { ws, artifact } = await forkSetup(onTestFinished);
		await writeFile(
			join(artifact, 'sessions.yaml'),
			'version: 1\nstack: ci\nsessions:\n  docs: {}\n'
		);
		await ws.stubGithub({
			openPulls: [openPull],
			artifacts: [specArtifact],
			artifactDirs: { 'coder-sessions-spec': artifact },
		});

		const run = await ws.run('fork-plan', workflowRun());

		expect(run.outputs).toMatchObject({ stage: 'validate', exitcode: '1', pr: '7' });
		expect(existsSync(ws.out('plan.json'))).toBe(false);
	});
});

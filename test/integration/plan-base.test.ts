/**
 * `plan --base REF` end to end: a spec in a temporary git repository, applied to a local Hub on
 * 127.0.0.1, changed on a branch commit, with hand edits on the Hub; the built CLI tells the
 * change's own actions from those pending without it.
 */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { PlanJsonV1 } from '../../src/render/json.js';
import type { CliResult } from '../support/cli.js';
import {
	applySpec,
	cli,
	editLive,
	hubForTest,
	liveIdsByKey,
	tempDirForTest,
	writeSpec,
	type SpecDoc,
	type TestHub,
} from '../support/local-hub.js';

const run = promisify(execFile);
const STACK = 'pr-base';

async function git(dir: string, ...args: string[]): Promise<string> {
	const { stdout } = await run(
		'git',
		['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args],
		{ cwd: dir, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' } }
	);
	return stdout.trim();
}

async function repo(onTestFinished: (fn: () => Promise<void>) => void): Promise<string> {
	const dir = await tempDirForTest(onTestFinished, 'coder-sessions-base-');
	await git(dir, 'init', '-q', '-b', 'main');
	return dir;
}

/** Writes sessions.yaml and commits it; returns the commit. */
async function commitSpec(dir: string, spec: SpecDoc | string, message: string): Promise<string> {
	await writeSpec(dir, 'sessions.yaml', spec);
	await git(dir, 'add', 'sessions.yaml');
	await git(dir, 'commit', '-q', '-m', message);
	return git(dir, 'rev-parse', 'HEAD');
}

/** The task stays; only the label changes, which is an update. */
const session = (label: string) => ({ task: `Work on ${label.split(' ')[0]}.`, label });

const plan = (hub: TestHub, dir: string, args: string[]) =>
	cli(hub, ['plan', '-f', 'sessions.yaml', ...args], { cwd: dir });

function json(result: CliResult): PlanJsonV1 {
	expect(result.code, result.stderr).toBe(0);
	return JSON.parse(result.stdout) as PlanJsonV1;
}

function originOf(planned: PlanJsonV1, key: string) {
	const found = planned.actions.filter((a) => a.key === key);
	expect(found, `actions for ${key}`).toHaveLength(1);
	return { kind: found[0]!.kind, origin: found[0]!.origin };
}

function expectCleanError(result: CliResult, message: RegExp): void {
	expect(result.code).toBe(1);
	expect(result.stderr).toMatch(message);
	expect(result.stderr).not.toContain('Internal error');
	expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

describe.concurrent('plan --base', () => {
	it("marks the change's own actions apart from drift and a base not yet applied", async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const dir = await repo(onTestFinished);
		const applied = {
			stack: STACK,
			sessions: {
				alpha: session('Alpha'),
				beta: session('Beta'),
				gamma: session('Gamma'),
			},
		};
		await commitSpec(dir, applied, 'sessions');
		await applySpec(hub, 'sessions.yaml', { cwd: dir });
		// Merged to main after the last apply: the base is not applied yet.
		const base = await commitSpec(
			dir,
			{ ...applied, sessions: { ...applied.sessions, gamma: session('Gamma v2') } },
			'rename gamma'
		);
		// A hand edit on the Hub to a session the change does not touch.
		const ids = await liveIdsByKey(hub, STACK);
		await editLive(hub, ids.beta!, { label: 'Edited by hand' });
		// The pull request: a new label for alpha and a new entry.
		await git(dir, 'checkout', '-q', '-b', 'pr');
		await commitSpec(
			dir,
			{
				stack: STACK,
				sessions: {
					alpha: session('Alpha v2'),
					beta: session('Beta'),
					gamma: session('Gamma v2'),
					delta: session('Delta'),
				},
			},
			'rename alpha, add delta'
		);

		const planned = json(await plan(hub, dir, ['--base', base, '--format', 'json']));
		expect(planned.base).toEqual({ ref: base, commit: base });
		expect(originOf(planned, 'alpha')).toEqual({ kind: 'update', origin: 'change' });
		expect(originOf(planned, 'delta')).toEqual({ kind: 'create', origin: 'change' });
		expect(originOf(planned, 'beta')).toEqual({ kind: 'update', origin: 'base' });
		expect(originOf(planned, 'gamma')).toEqual({ kind: 'update', origin: 'base' });

		// A ref by name, and the same marks in text and markdown.
		const byName = json(await plan(hub, dir, ['--base', 'main', '--format', 'json']));
		expect(byName.base).toEqual({ ref: 'main', commit: base });
		expect(byName.actions.map((a) => a.origin)).toEqual(planned.actions.map((a) => a.origin));

		const text = await plan(hub, dir, ['--base', 'main']);
		expect(text.code, text.stderr).toBe(0);
		const pendingAt = text.stdout.indexOf('Already pending without this change:');
		expect(text.stdout.indexOf('This change:')).toBeGreaterThan(-1);
		expect(pendingAt).toBeGreaterThan(text.stdout.indexOf('This change:'));
		expect(text.stdout.indexOf('update   alpha')).toBeLessThan(pendingAt);
		expect(text.stdout.indexOf('update   beta')).toBeGreaterThan(pendingAt);

		const markdown = await plan(hub, dir, ['--base', 'main', '--format', 'markdown']);
		expect(markdown.code, markdown.stderr).toBe(0);
		const pendingMd = markdown.stdout.indexOf('#### Already pending without this change');
		expect(markdown.stdout.indexOf('#### This change')).toBeGreaterThan(-1);
		expect(markdown.stdout.indexOf('<b>delta</b>')).toBeLessThan(pendingMd);
		expect(markdown.stdout.indexOf('<b>gamma</b>')).toBeGreaterThan(pendingMd);
	});

	it('reads the Hub no more often than plan without a base', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const dir = await repo(onTestFinished);
		const spec = { stack: STACK, sessions: { alpha: session('Alpha') } };
		const base = await commitSpec(dir, spec, 'sessions');
		await applySpec(hub, 'sessions.yaml', { cwd: dir });
		await commitSpec(dir, { ...spec, sessions: { alpha: session('Alpha v2') } }, 'rename');

		await hub.resetStats();
		json(await plan(hub, dir, ['--format', 'json']));
		const without = hub.stats();
		await hub.resetStats();
		json(await plan(hub, dir, ['--base', base, '--format', 'json']));
		expect(hub.stats()).toEqual(without);
	});

	it("counts every action as the change's when the spec at the base is invalid", async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const dir = await repo(onTestFinished);
		const base = await commitSpec(dir, 'version: 1\nstack: [oops\n', 'broken');
		await commitSpec(dir, { stack: STACK, sessions: { alpha: session('Alpha') } }, 'fixed');

		const planned = json(await plan(hub, dir, ['--base', base, '--format', 'json']));
		expect(planned.base?.note).toMatch(/not valid/);
		expect(originOf(planned, 'alpha')).toEqual({ kind: 'create', origin: 'change' });
		const text = await plan(hub, dir, ['--base', base]);
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(/not valid/);
	});

	it("counts a file absent at the base as the change's", async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const dir = await repo(onTestFinished);
		await writeSpec(dir, 'README', 'nothing yet\n');
		await git(dir, 'add', 'README');
		await git(dir, 'commit', '-q', '-m', 'start');
		const base = await git(dir, 'rev-parse', 'HEAD');
		await commitSpec(dir, { stack: STACK, sessions: { alpha: session('Alpha') } }, 'spec');

		const planned = json(await plan(hub, dir, ['--base', base, '--format', 'json']));
		expect(planned.base?.commit).toBe(base);
		expect(planned.base?.note).toMatch(/no spec/);
		expect(originOf(planned, 'alpha')).toEqual({ kind: 'create', origin: 'change' });
	});

	it('fails clearly, before reading the Hub, on an unknown ref, outside git, or without git', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const dir = await repo(onTestFinished);
		await commitSpec(dir, { stack: STACK, sessions: { alpha: session('Alpha') } }, 'spec');
		const plain = await tempDirForTest(onTestFinished, 'coder-sessions-nogit-');
		await writeSpec(plain, 'sessions.yaml', { stack: STACK, sessions: { a: session('A') } });
		const emptyPath = join(plain, 'no-git-here');
		await mkdir(emptyPath);
		await hub.resetStats();

		expectCleanError(
			await plan(hub, dir, ['--base', 'no-such-branch']),
			/no-such-branch.*no such commit/
		);
		expectCleanError(await plan(hub, dir, ['--base', '--help']), /--base needs a git ref/);
		expectCleanError(await plan(hub, plain, ['--base', 'main']), /not in a git repository/);
		const noGit = await cli(hub, ['plan', '-f', 'sessions.yaml', '--base', 'main'], {
			cwd: dir,
			env: { PATH: emptyPath },
		});
		expectCleanError(noGit, /git was not found/);
		expect(hub.stats().total ?? 0).toBe(0);
	});
});

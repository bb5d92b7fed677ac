/**
 * `status` and `drift` end to end: the built CLI against an in-process local Hub (issue
 * "Adopting, exporting and watching sessions"). Converged states come from `apply`; hand edits
 * go through the SDK's CoderClient, as a person's script would.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { DriftJsonV1 } from '../../src/render/drift.js';
import type { StatusJsonV1 } from '../../src/render/status.js';
import { hasScript } from '../support/apply-helpers.js';
import { CLI_TIMEOUT_MS, cliPath, runCli, type CliResult } from '../support/cli.js';
import {
	applySpec,
	cli,
	editLive,
	hubForTest,
	liveIdsByKey,
	seedMarked,
	useTempDir,
	writeSpec,
	type SpecDoc,
	type TestHub,
} from '../support/local-hub.js';

const SECRET = 'status-drift-secret-51c2';
const ENV = { API_TOKEN: SECRET };

const specDoc = (stack: string, sessions: SpecDoc['sessions'] = {}): SpecDoc => ({
	stack,
	defaults: { tags: ['managed'], metadata: { team: 'docs' } },
	sessions: {
		review: {
			label: 'Review',
			task: 'Review the docs.',
			tags: ['review'],
			env: { API_TOKEN: '${API_TOKEN}' },
		},
		lint: { label: 'Lint', task: 'Lint the docs.', visibility: 'org' },
		...sessions,
	},
});

/** A Hub with `doc` applied; returns the Hub, the spec file name and the ids by key. */
async function applied(
	onTestFinished: (fn: () => Promise<void>) => void,
	dir: string,
	doc: SpecDoc
) {
	const hub = await hubForTest(onTestFinished);
	const file = await writeSpec(dir, `${doc.stack}.yaml`, doc);
	await applySpec(hub, file, { cwd: dir, env: ENV });
	return { hub, file, ids: await liveIdsByKey(hub, doc.stack) };
}

const run = (hub: TestHub, dir: string, args: string[]) => cli(hub, args, { cwd: dir, env: ENV });

function parse<T>(result: CliResult): T {
	expect(result.stderr).toBe('');
	return JSON.parse(result.stdout) as T;
}

const syncByKey = (status: StatusJsonV1) =>
	Object.fromEntries(status.sessions.map((s) => [s.key, s.sync]));

/** No stack frames, no "Internal error": a user-facing failure. */
function expectCleanError(result: CliResult, message: RegExp): void {
	expect(result.code).toBe(1);
	expect(result.stderr).toMatch(message);
	expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
	expect(result.stderr).not.toContain('Internal error');
}

describe.concurrent('status', () => {
	const dir = useTempDir();

	it('shows every session in sync after apply, with its activity, in text and in JSON', async ({
		onTestFinished,
	}) => {
		const { hub, file, ids } = await applied(onTestFinished, dir.path, specDoc('st-sync'));
		const text = await run(hub, dir.path, ['status', '-f', file]);
		expect(text.code).toBe(0);
		expect(text.stdout).toMatch(
			/^KEY +LABEL +STATUS +BUCKET +MODE +PARTICIPANTS +EVENTS +LAST ACTIVITY +SYNC$/m
		);
		expect(text.stdout).toMatch(
			/^lint +Lint +active +running +standard +0 +0 +(just now|\d+s ago) +in sync$/m
		);
		expect(text.stdout).toContain(
			'2 sessions: 2 in sync, 0 drifted, 0 missing, 0 archived, 0 extra.'
		);
		expect(text.stdout).not.toContain(SECRET);

		const json = parse<StatusJsonV1>(
			await run(hub, dir.path, ['status', '-f', file, '--format', 'json'])
		);
		expect(json).toMatchObject({ formatVersion: 1, stack: 'st-sync', files: [file] });
		expect(json.sessions.find((s) => s.key === 'review')).toEqual({
			key: 'review',
			sessionId: ids.review,
			label: 'Review',
			status: 'active',
			bucket: 'running',
			workflowMode: 'standard',
			loop: null,
			participants: { count: 0, connected: 0 },
			events: { count: 0, atLeast: false },
			replay: { available: false },
			lastActivityAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			sync: 'in-sync',
			changedFields: [],
		});
		expect(json.counts).toEqual({
			sessions: 2,
			inSync: 2,
			drifted: 0,
			missing: 0,
			archived: 0,
			extra: 0,
			duplicate: 0,
			olderArchived: 0,
		});
		// One list, one detail per session, then participants, history and replay per session.
		expect(json.hubCalls).toMatchObject({ list: 1, get: 2, other: 6, create: 0, update: 0 });
		expect(hub.stats()).toMatchObject({ participants: 4, eventHistory: 4, replay: 4 });
	});

	it('says drifted after a hand edit, missing for an entry not applied, archived and extra', async ({
		onTestFinished,
	}) => {
		const doc = specDoc('st-mixed', { old: { task: 'Old work.' }, stray: { task: 'Stray work.' } });
		const { hub, ids } = await applied(onTestFinished, dir.path, doc);
		await editLive(hub, ids.lint!, { label: 'Lint (renamed by hand)' });
		// `stray` leaves the spec (prune: keep), `old` is declared archived, `fresh` is new.
		const next = await writeSpec(dir.path, 'st-mixed-next.yaml', {
			...doc,
			prune: 'keep',
			sessions: {
				review: doc.sessions.review!,
				lint: doc.sessions.lint!,
				old: { task: 'Old work.', state: 'archived' },
				fresh: { task: 'Not applied yet.' },
			},
		});
		await applySpec(hub, next, { cwd: dir.path, env: ENV, args: ['--only', 'old'] });

		const json = parse<StatusJsonV1>(
			await run(hub, dir.path, ['status', '-f', next, '--format', 'json'])
		);
		expect(syncByKey(json)).toEqual({
			fresh: 'missing',
			lint: 'drifted',
			old: 'archived',
			review: 'in-sync',
			stray: 'extra',
		});
		expect(json.sessions.find((s) => s.key === 'lint')?.changedFields).toEqual(['label']);
		expect(json.sessions.find((s) => s.key === 'fresh')).toMatchObject({
			sessionId: null,
			participants: null,
		});
		expect(json.sessions.find((s) => s.key === 'old')).toMatchObject({
			status: 'archived',
			bucket: 'history',
		});

		const text = await run(hub, dir.path, ['status', '-f', next]);
		expect(text.stdout).toMatch(/^lint +Lint \(renamed by hand\) .* drifted: label$/m);
		expect(text.stdout).toContain(
			'5 sessions: 1 in sync, 1 drifted, 1 missing, 1 archived, 1 extra.'
		);
	});

	it('fails cleanly on bad input', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		expectCleanError(
			await run(hub, dir.path, ['status', '-f', 'missing.yaml']),
			/missing\.yaml: file not found/
		);
		const file = await writeSpec(dir.path, 'st-bad.yaml', specDoc('st-bad'));
		const noHub = await runCli(['status', '-f', file], { cwd: dir.path });
		expectCleanError(noHub, /no Hub to talk to/);
		const refused = await runCli(['status', '-f', file, '--url', 'http://127.0.0.1:9'], {
			cwd: dir.path,
		});
		expectCleanError(refused, /cannot reach the Hub/);
		expectCleanError(
			await run(hub, dir.path, ['status', '-f', file, '--interval', '2']),
			/--interval only applies with --watch/
		);
		expectCleanError(
			await run(hub, dir.path, ['status', '-f', file, '--watch', '--interval', '0']),
			/--interval: expected a number of seconds from 1 to 86400/
		);
	});
});

describe.concurrent('status --watch', () => {
	const dir = useTempDir();

	it('prints one JSON document per refresh without a terminal, and stops on SIGINT with exit 0', async ({
		onTestFinished,
	}) => {
		const { hub, file } = await applied(onTestFinished, dir.path, specDoc('st-watch'));
		const args = [
			'status',
			'-f',
			file,
			'--watch',
			'--interval',
			'1',
			'--format',
			'json',
			'--url',
			hub.url,
		];
		const result = await untilOutput(
			args,
			dir.path,
			(out) => out.split('\n').filter(Boolean).length >= 2,
			(child) => child.kill('SIGINT')
		);
		expect(result.code).toBe(0);
		const snapshots = result.stdout
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line) as StatusJsonV1);
		expect(snapshots.length).toBeGreaterThanOrEqual(2);
		expect(snapshots.every((s) => s.counts.inSync === 2)).toBe(true);
	});

	it.runIf(hasScript)(
		'redraws in place on a terminal and stops on Ctrl-C with exit 0',
		async ({ onTestFinished }) => {
			const { hub, file } = await applied(onTestFinished, dir.path, specDoc('st-tty'));
			const args = ['status', '-f', file, '--watch', '--interval', '1', '--url', hub.url];
			const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
			// `exec`: Ctrl-C goes to the whole foreground group, and a shell left in between would die of it.
			const command = `exec ${[process.execPath, cliPath, ...args].map(quote).join(' ')}`;
			const twoFrames = (out: string) => out.split('Ctrl-C to stop').length > 2;
			const result = await untilOutput(
				['-qec', command, '/dev/null'],
				dir.path,
				twoFrames,
				(child) => child.stdin?.write('\u0003'),
				'script'
			);
			expect(result.code).toBe(0);
			expect(result.stdout).toContain('\u001b[2J\u001b[H');
			expect(result.stdout.split('\u001b[H').length).toBeGreaterThan(2);
			expect(result.stdout).toMatch(/2 sessions: 2 in sync/);
		}
	);
});

describe.concurrent('drift', () => {
	const dir = useTempDir();

	it('exits 0 with no drift right after apply', async ({ onTestFinished }) => {
		const { hub, file } = await applied(onTestFinished, dir.path, specDoc('dr-clean'));
		const result = await run(hub, dir.path, ['drift', '-f', file]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('No drift: 2 sessions match what was last applied.');
	});

	it('exits 6 after a hand edit, reported as changed outside coder-sessions', async ({
		onTestFinished,
	}) => {
		const { hub, file, ids } = await applied(onTestFinished, dir.path, specDoc('dr-outside'));
		await editLive(hub, ids.lint!, {
			label: 'Lint (renamed)',
			tags: ['managed', 'hotfix'],
			metadata: { team: 'ops' },
		});
		const text = await run(hub, dir.path, ['drift', '-f', file]);
		expect(text.code).toBe(6);
		expect(text.stdout).toContain('Changed outside coder-sessions');
		expect(text.stdout).toContain('~ label: "Lint" -> "Lint (renamed)"');
		expect(text.stdout).toContain('~ tags: [managed] -> [hotfix, managed]');
		expect(text.stdout).toContain('~ metadata: team: "docs" -> "ops"');
		expect(text.stdout).not.toContain('Spec changes not yet applied');

		const json = await run(hub, dir.path, ['drift', '-f', file, '--format', 'json']);
		expect(json.code).toBe(6);
		const report = parse<DriftJsonV1>(json);
		expect(report).toMatchObject({ formatVersion: 1, stack: 'dr-outside', drift: true });
		expect(report.counts).toEqual({
			sessions: 2,
			clean: 1,
			outside: 1,
			pending: 0,
			neverApplied: 0,
		});
		const lint = report.sessions.find((s) => s.key === 'lint')!;
		expect(lint.outside.map((c) => c.field)).toEqual(['label', 'tags', 'metadata']);
		expect(lint.pending).toEqual([]);
	});

	it('reports spec edits not yet applied as pending and exits 0 for them alone', async ({
		onTestFinished,
	}) => {
		const doc = specDoc('dr-pending');
		const { hub } = await applied(onTestFinished, dir.path, doc);
		const edited = await writeSpec(dir.path, 'dr-pending-next.yaml', {
			...doc,
			sessions: {
				...doc.sessions,
				lint: { label: 'Lint everything', task: 'Lint the docs.', visibility: 'org' },
				review: {
					...doc.sessions.review,
					task: 'Review the docs again.',
					env: { API_TOKEN: 'Bearer ${API_TOKEN}' },
				},
				fresh: { task: 'Not applied yet.' },
			},
		});
		const text = await run(hub, dir.path, ['drift', '-f', edited]);
		expect(text.code).toBe(0);
		expect(text.stdout).not.toContain('Changed outside coder-sessions');
		expect(text.stdout).toContain('Spec changes not yet applied');
		expect(text.stdout).toContain('~ label: spec says "Lint everything"');
		expect(text.stdout).toContain('~ task: spec says "Review the docs again." (forces replace)');
		expect(text.stdout).toContain('~ env keys: ~API_TOKEN (forces replace)');
		expect(text.stdout).toContain('not on the Hub: apply creates it');
		expect(text.stdout).not.toContain(SECRET);
		expect(text.stdout).not.toContain('Bearer');

		const report = parse<DriftJsonV1>(
			await run(hub, dir.path, ['drift', '-f', edited, '--format', 'json'])
		);
		expect(report.drift).toBe(false);
		expect(report.counts).toMatchObject({ outside: 0, pending: 3 });
	});

	it('lists marked sessions without a stamp as never applied', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		await seedMarked(hub, 'dr-never', 'lint', { task: 'Lint the docs.' });
		const file = await writeSpec(dir.path, 'dr-never.yaml', {
			stack: 'dr-never',
			sessions: { lint: { task: 'Lint the docs.' } },
		});
		const result = await run(hub, dir.path, ['drift', '-f', file]);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Never applied by coder-sessions');
		expect(result.stdout).toContain(
			'Drift: 0 sessions changed outside coder-sessions, 0 with spec changes not yet applied, 1 never applied'
		);
	});

	it('fails cleanly on bad input', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		expectCleanError(
			await run(hub, dir.path, ['drift', '-f', 'missing.yaml']),
			/missing\.yaml: file not found/
		);
		const file = await writeSpec(dir.path, 'dr-bad.yaml', specDoc('dr-bad'));
		expectCleanError(await runCli(['drift', '-f', file], { cwd: dir.path }), /no Hub to talk to/);
	});
});

/**
 * Runs `command` (the CLI unless told otherwise) until `ready(stdout)`, then `stop(child)`;
 * killed after CLI_TIMEOUT_MS at the latest so a hung watch cannot hang the suite.
 */
function untilOutput(
	args: readonly string[],
	cwd: string,
	ready: (stdout: string) => boolean,
	stop: (child: ReturnType<typeof spawn>) => void,
	command: 'node' | 'script' = 'node'
): Promise<CliResult> {
	// On a pseudo-terminal, one that can redraw: TERM=dumb gets one snapshot after another.
	const term = command === 'script' ? 'xterm' : 'dumb';
	const env = { PATH: process.env.PATH ?? '', NO_COLOR: '1', TERM: term };
	const argv = command === 'node' ? [cliPath, ...args] : [...args];
	return new Promise((resolve, reject) => {
		const child = spawn(command === 'node' ? process.execPath : 'script', argv, {
			cwd,
			env,
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		let stopped = false;
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
			if (!stopped && ready(stdout)) {
				stopped = true;
				stop(child);
			}
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
		});
	});
}

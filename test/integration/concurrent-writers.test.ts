/**
 * A run that planned earlier must not undo another command's work (issue 18, part 2). Each test
 * orders two commands the way two real processes can interleave: run A goes through a proxy
 * that holds its requests from a chosen point (after its plan, at its create, at its read-back)
 * while command B runs straight against the Hub to the end; then A is let go. Nothing here
 * depends on timing: every wait is for a request to be held or a command to exit, and bounded.
 */
import { describe, expect, it } from 'vitest';
import { MARKER } from '../../src/ownership/markers.js';
import { stackSessions } from '../support/apply-helpers.js';
import type { CliResult } from '../support/cli.js';
import {
	afterPlan,
	atCreate,
	atReadBack,
	startHoldingProxy,
	type HoldPoint,
	type SeenRequest,
} from '../support/holding-proxy.js';
import {
	applySpec,
	cli,
	hubForTest,
	liveIdsByKey,
	seedUnmarked,
	useTempDir,
	writeSpec,
	type SpecDoc,
	type TestHub,
} from '../support/local-hub.js';
import { expectExit } from '../support/plan-output.js';

const RUN_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 300_000;
const CHANGED_BY_ANOTHER = 'changed by another writer since the plan';
/** The request deadline of the command that is held, in seconds (the default is 30). */
const HELD_DEADLINE_S = 600;

interface Held {
	/** A's request that was held first. */
	readonly first: SeenRequest;
	/** Lets A go on to its next hold point. */
	next(): Promise<SeenRequest>;
	/** Lets A go on to the end; resolves with how it ended. */
	finish(): Promise<CliResult>;
}

describe('a run that planned earlier and another command', { timeout: TEST_TIMEOUT_MS }, () => {
	const dir = useTempDir('concurrent-writers-');
	const run = (hub: TestHub | string, args: readonly string[]) =>
		cli(hub, args, { cwd: dir.path, timeoutMs: RUN_TIMEOUT_MS });

	/** Starts A through a holding proxy and waits until it is held at its first hold point. */
	async function holdRun(
		hub: TestHub,
		args: readonly string[],
		onTestFinished: (fn: () => Promise<void>) => void,
		...points: HoldPoint[]
	): Promise<Held> {
		const proxy = await startHoldingProxy(hub.url, ...(points.length > 0 ? points : [afterPlan]));
		onTestFinished(() => proxy.close());
		// A's held request must outlast B's whole run, even on a loaded machine: well past the
		// default request deadline, which would otherwise count the hold as a silent Hub.
		const result = cli(proxy.url, args, {
			cwd: dir.path,
			timeoutMs: RUN_TIMEOUT_MS,
			env: { CODER_SESSIONS_REQUEST_TIMEOUT: String(HELD_DEADLINE_S) },
		});
		result.catch(() => {});
		const first = await proxy.held(RUN_TIMEOUT_MS, result);
		return {
			first,
			next: () => {
				proxy.release();
				return proxy.held(RUN_TIMEOUT_MS, result);
			},
			finish: () => {
				proxy.release();
				return result;
			},
		};
	}

	const active = async (hub: TestHub, stack: string) =>
		(await stackSessions(hub.url, stack)).filter((session) => !session.archived);

	async function stackOf(hub: TestHub, doc: SpecDoc): Promise<Record<string, string>> {
		await writeSpec(dir.path, `${doc.stack}.yaml`, doc);
		await applySpec(hub, `${doc.stack}.yaml`, { cwd: dir.path, timeoutMs: RUN_TIMEOUT_MS });
		return liveIdsByKey(hub, doc.stack);
	}

	it('forget, then the archive planned before it: the session stays, and the archive says why', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const ids = await stackOf(hub, {
			stack: 'fa',
			sessions: { k3: { task: 'Task for k3' }, k4: { task: 'Task for k4' } },
		});
		const without = await writeSpec(dir.path, 'fa-without.yaml', {
			stack: 'fa',
			sessions: { k3: { task: 'Task for k3' } },
		});

		const archive = await holdRun(hub, ['apply', '-f', without, '--auto-approve'], onTestFinished);
		const forgot = await run(hub, ['forget', 'k4', '-f', without, '--auto-approve']);
		expectExit(forgot, 0);
		expect(forgot.stdout).toContain('left as they are (not archived)');

		const archived = await archive.finish();
		expectExit(archived, 5);
		expect(archived.stdout).toContain(`conflict archive k4 (${ids.k4})`);
		expect(archived.stdout).toContain(CHANGED_BY_ANOTHER);
		const session = await hub.client.getSession(ids.k4!);
		expect(session.historyOnly).not.toBe(true);
		expect(((session.metadata ?? {}) as Record<string, unknown>)[MARKER.stack]).toBe('');
	});

	it('import, then the create planned before it: the imported session stays, the copy goes', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const imported = await seedUnmarked(hub, 'Task for k5');
		const spec = await writeSpec(dir.path, 'id.yaml', {
			stack: 'id',
			sessions: { k5: { task: 'Task for k5' } },
		});

		const create = await holdRun(
			hub,
			['apply', '-f', spec, '--auto-approve'],
			onTestFinished,
			atCreate
		);
		const imports = await run(hub, [
			'import',
			imported,
			'--key',
			'k5',
			'-f',
			spec,
			'--auto-approve',
		]);
		expectExit(imports, 0);

		const created = await create.finish();
		expectExit(created, 5);
		expect(created.stdout).toContain(`joined k5 (${imported})`);
		expect(created.stdout).toMatch(
			new RegExp(`Archived duplicate k5 \\(\\S+\\): this run created it while ${imported} joined`)
		);
		expect((await active(hub, 'id')).map((session) => session.id)).toEqual([imported]);
		expectExit(await run(hub, ['plan', '-f', spec, '--detailed-exitcode']), 0);
	});

	it('two applies with different labels: the later one does not overwrite, and says so', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const keys = ['a', 'b', 'c'];
		const labelled = (label: string): SpecDoc => ({
			stack: 'lu',
			sessions: Object.fromEntries(
				keys.map((key) => [key, { task: `Task for ${key}`, label: `${label} ${key}` }])
			),
		});
		const ids = await stackOf(hub, labelled('Base'));
		const fromA = await writeSpec(dir.path, 'lu-a.yaml', labelled('From A'));
		const fromB = await writeSpec(dir.path, 'lu-b.yaml', labelled('From B'));

		const a = await holdRun(hub, ['apply', '-f', fromA, '--auto-approve'], onTestFinished);
		expectExit(await run(hub, ['apply', '-f', fromB, '--auto-approve']), 0);

		const late = await a.finish();
		expectExit(late, 5);
		for (const key of keys) expect(late.stdout).toContain(`conflict update ${key} (${ids[key]})`);
		expect(late.stdout).toContain(
			'0 applied, 0 failed, 0 skipped, 0 unknown, 3 changed by another writer'
		);
		const labels = (await active(hub, 'lu')).map((session) => session.label).sort();
		expect(labels).toEqual(keys.map((key) => `From B ${key}`));
	});

	it('apply --destroy, then the replaces planned before it: the stack stays destroyed', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const keys = ['d1', 'd2', 'd3', 'd4'];
		const tasked = (task: string): SpecDoc => ({
			stack: 'ds',
			sessions: Object.fromEntries(keys.map((key) => [key, { task: `${task} ${key}` }])),
		});
		await stackOf(hub, tasked('First task for'));
		const replaced = await writeSpec(dir.path, 'ds-replaced.yaml', tasked('Second task for'));

		const replace = await holdRun(hub, ['apply', '-f', replaced, '--auto-approve'], onTestFinished);
		const destroy = await run(hub, [
			'apply',
			'--destroy',
			'-f',
			'ds.yaml',
			'--allow-removals',
			String(keys.length),
			'--auto-approve',
		]);
		expectExit(destroy, 0);

		const late = await replace.finish();
		expectExit(late, 5);
		expect(late.stdout).toContain(`${keys.length} changed by another writer`);
		expect(late.stdout).toContain('nothing created, nothing archived');
		expect(await active(hub, 'ds')).toEqual([]);
	});

	describe('forget, import and drift --write re-read before they write, as apply does', () => {
		it('apply archives, then the forget planned before it: not forgotten, and it says why', async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished);
			const ids = await stackOf(hub, {
				stack: 'af',
				sessions: { k3: { task: 'Task for k3' }, k4: { task: 'Task for k4' } },
			});
			const without = await writeSpec(dir.path, 'af-without.yaml', {
				stack: 'af',
				sessions: { k3: { task: 'Task for k3' } },
			});
			const forget = await holdRun(
				hub,
				['forget', 'k4', '-f', without, '--auto-approve'],
				onTestFinished
			);
			expectExit(await run(hub, ['apply', '-f', without, '--auto-approve']), 0);

			const late = await forget.finish();
			expectExit(late, 5);
			expect(late.stdout).toContain(
				`! k4  ${ids.k4}: ${CHANGED_BY_ANOTHER} (archived); not forgotten`
			);
			const session = await hub.client.getSession(ids.k4!);
			expect(((session.metadata ?? {}) as Record<string, unknown>)[MARKER.stack]).toBe('af');
		});

		it('two imports of one session as different keys: the later one is not adopted', async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished);
			const session = await seedUnmarked(hub, 'Task for both');
			const spec = await writeSpec(dir.path, 'ii.yaml', {
				stack: 'ii',
				sessions: { x: { task: 'Task for both' }, y: { task: 'Task for both' } },
			});
			const importX = await holdRun(
				hub,
				['import', session, '--key', 'x', '-f', spec, '--auto-approve'],
				onTestFinished
			);
			expectExit(
				await run(hub, ['import', session, '--key', 'y', '-f', spec, '--auto-approve']),
				0
			);

			const late = await importX.finish();
			expectExit(late, 5);
			expect(late.stdout).toContain(`conflict adopt x (${session})`);
			const detail = await hub.client.getSession(session);
			expect(((detail.metadata ?? {}) as Record<string, unknown>)[MARKER.key]).toBe('y');
		});

		it('an apply, then the drift --write stamp planned before it: not recorded, and it says why', async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished);
			const doc = (label: string): SpecDoc => ({
				stack: 'dw',
				sessions: { docs: { task: 'Task for docs', label } },
			});
			const ids = await stackOf(hub, doc('Docs bot'));
			await hub.client.updateSession(ids.docs!, { label: 'Renamed by hand' });
			const accepting = await writeSpec(dir.path, 'dw-accept.yaml', doc('Docs bot'));
			const relabel = await writeSpec(dir.path, 'dw-relabel.yaml', doc('Relabelled'));
			const accept = await holdRun(
				hub,
				['drift', '-f', accepting, '--write', '--auto-approve'],
				onTestFinished
			);
			expectExit(await run(hub, ['apply', '-f', relabel, '--auto-approve']), 0);

			const late = await accept.finish();
			expectExit(late, 5);
			expect(late.stderr).toContain('Recorded on 0 sessions');
			expect(late.stderr).toContain(`conflict update docs (${ids.docs})`);
			expect(late.stderr).toContain('Not every accepted session was recorded');
			expectExit(await run(hub, ['plan', '-f', relabel, '--detailed-exitcode']), 0);
		});
	});

	describe('two runs creating the same key', () => {
		/** A Hub clock a second further on each time it is read: no two creates share a time. */
		const steadyClock = () => {
			let ticks = 0;
			return () => new Date(Date.UTC(2026, 0, 1) + ++ticks * 1000);
		};

		const spec = (stack: string): SpecDoc => ({
			stack,
			sessions: { k: { task: 'Task for k' } },
		});

		it('the later create sees the earlier copy and archives its own', async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished, { now: steadyClock() });
			const file = await writeSpec(dir.path, 'tc1.yaml', spec('tc1'));
			const a = await holdRun(
				hub,
				['apply', '-f', file, '--auto-approve'],
				onTestFinished,
				atCreate
			);
			expectExit(await run(hub, ['apply', '-f', file, '--auto-approve']), 0);
			const [kept] = await active(hub, 'tc1');

			const late = await a.finish();
			expectExit(late, 5);
			expect(late.stdout).toContain(`another run created ${kept!.id} for this key first`);
			expect((await active(hub, 'tc1')).map((session) => session.id)).toEqual([kept!.id]);
			expectExit(await run(hub, ['plan', '-f', file, '--detailed-exitcode']), 0);
		});

		it('both created before either read back, the younger copy read back first: one is left', async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished, { now: steadyClock() });
			const file = await writeSpec(dir.path, 'tc2.yaml', spec('tc2'));
			const apply = ['apply', '-f', file, '--auto-approve'];
			const b = await holdRun(hub, apply, onTestFinished, atCreate);
			const a = await holdRun(hub, apply, onTestFinished, atReadBack);
			const [older] = await active(hub, 'tc2');

			const younger = await b.finish();
			expectExit(younger, 5);
			expect(younger.stdout).toContain(`another run created ${older!.id} for this key first`);
			const late = await a.finish();
			expectExit(late, 5);
			expect(late.stdout).toContain('Another apply changed stack tc2 while this one ran');
			expect((await active(hub, 'tc2')).map((session) => session.id)).toEqual([older!.id]);
			expectExit(await run(hub, ['plan', '-f', file, '--detailed-exitcode']), 0);
		});

		it('both created before either read back, the older copy read back first: one is left', async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished, { now: steadyClock() });
			const file = await writeSpec(dir.path, 'tc3.yaml', spec('tc3'));
			const apply = ['apply', '-f', file, '--auto-approve'];
			const b = await holdRun(hub, apply, onTestFinished, atCreate, atReadBack);
			const a = await holdRun(hub, apply, onTestFinished, atReadBack);
			const [older] = await active(hub, 'tc3');
			await b.next();
			expect(await active(hub, 'tc3')).toHaveLength(2);

			const first = await a.finish();
			expectExit(first, 5);
			expect(first.stdout).toContain('Another apply changed stack tc3 while this one ran');
			const second = await b.finish();
			expectExit(second, 5);
			expect(second.stdout).toContain(`another run created ${older!.id} for this key first`);
			expect((await active(hub, 'tc3')).map((session) => session.id)).toEqual([older!.id]);
			expectExit(await run(hub, ['plan', '-f', file, '--detailed-exitcode']), 0);
		});
	});
});

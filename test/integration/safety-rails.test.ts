/**
 * Safety rails end to end: the built CLI against an in-process local Hub on 127.0.0.1. Duplicates
 * of a protected key, protection kept through a take-over, and replaces counted as removals.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { MARKER } from '../../src/ownership/markers.js';
import {
	hubForTest,
	LIBRARY_FIXTURES,
	liveIdsByKey,
	seedSession,
	useCliDir,
	writeSpec,
	type TestHub,
} from '../support/local-hub.js';
import {
	expectExit,
	planJson as json,
	refusedPlanJson as refusedJson,
} from '../support/plan-output.js';

/** The bound on each test on a loaded machine (several runs, some in parallel). */
const TEST_TIMEOUT_MS = 240_000;

interface KeySession {
	readonly id: string;
	readonly archived: boolean;
	readonly protect: boolean;
	readonly stack?: string;
}

/** Every session (archived too) carrying the stack and key markers, read straight from the Hub. */
async function sessionsOf(hub: TestHub, stack: string, key: string): Promise<KeySession[]> {
	const page = await hub.client.listSessions({ includeArchived: true, limit: 1000 });
	const out: KeySession[] = [];
	for (const item of page.sessions) {
		const detail = await hub.client.getSession(item.sessionId);
		const metadata = (detail.metadata ?? {}) as Record<string, unknown>;
		if (metadata[MARKER.stack] !== stack || metadata[MARKER.key] !== key) continue;
		out.push({
			id: detail.sessionId,
			archived: detail.historyOnly === true,
			protect: metadata[MARKER.protect] === 'true',
		});
	}
	return out;
}

async function markersOf(hub: TestHub, id: string) {
	const metadata = ((await hub.client.getSession(id)).metadata ?? {}) as Record<string, unknown>;
	return {
		stack: metadata[MARKER.stack],
		key: metadata[MARKER.key],
		protect: metadata[MARKER.protect],
	};
}

/**
 * What an interrupted apply (or the SDK re-sending a create) leaves: a second session with the
 * same task and the same markers, stamps and protect marker as the first.
 */
async function duplicate(
	hub: TestHub,
	id: string,
	metadata: Record<string, string> = {}
): Promise<string> {
	const detail = await hub.client.getSession(id);
	// createdAt has millisecond resolution: keep "oldest" unambiguous.
	await sleep(5);
	return seedSession(hub, {
		task: detail.task ?? '',
		metadata: { ...(detail.metadata as Record<string, string>), ...metadata },
	});
}

describe.concurrent('a protected key with duplicates', { timeout: TEST_TIMEOUT_MS }, () => {
	const dir = useCliDir('rails-dupes-it-');
	const run = dir.run;

	it('dedupes the spare copy (exit 0); the kept session stays active and protected', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'twins.yaml', {
			stack: 'twins',
			sessions: {
				precious: { task: 'Task for precious', protect: true },
				other: { task: 'Task for other' },
			},
		});
		await dir.apply(hub, file);
		const first = (await liveIdsByKey(hub, 'twins')).precious!;
		const second = await duplicate(hub, first);

		const [asJson, text] = await Promise.all([
			run(hub, ['plan', '-f', file, '--format', 'json']),
			run(hub, ['plan', '-f', file, '--detailed-exitcode']),
		]);
		const planned = json(asJson);
		expect(planned.hazards).toEqual([]);
		expect(planned.summary).toMatchObject({ dedupe: 1, archive: 0, replace: 0 });
		const dedupe = planned.actions.find((action) => action.kind === 'dedupe')!;
		expect([first, second]).toContain(dedupe.sessionId);
		expect([first, second].filter((id) => id !== dedupe.sessionId)).toEqual([dedupe.keep]);
		expectExit(text, 2);
		expect(text.stdout).not.toContain('Refused');

		await hub.resetStats();
		expectExit(await run(hub, ['apply', '-f', file, '--auto-approve']), 0);
		expect(hub.stats()).toMatchObject({ archive: 1 });
		expect(hub.stats().create ?? 0).toBe(0);

		const copies = await sessionsOf(hub, 'twins', 'precious');
		expect(copies.map((copy) => copy.id).sort()).toEqual([first, second].sort());
		const active = copies.filter((copy) => !copy.archived);
		expect(active).toHaveLength(1);
		expect(active[0]!.id).toBe(dedupe.keep);
		expect(active[0]!.protect).toBe(true);

		// Converged, and the kept copy is still guarded: removing its entry is refused.
		const without = await writeSpec(dir.path, 'twins-without.yaml', {
			stack: 'twins',
			sessions: { other: { task: 'Task for other' } },
		});
		const [again, refused] = await Promise.all([
			run(hub, ['plan', '-f', file, '--detailed-exitcode']),
			run(hub, ['apply', '-f', without, '--auto-approve']),
		]);
		expectExit(again, 0);
		expectExit(refused, 3);
		expect(refused.stderr).toContain('Protected session precious would be archived');
	});

	it('is still a protected removal when the kept session is itself replaced', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'swap.yaml', {
			stack: 'swap',
			sessions: { precious: { task: 'Old task', protect: true } },
		});
		await dir.apply(hub, file);
		const first = (await liveIdsByKey(hub, 'swap')).precious!;
		// The copy lost its protect marker: whichever copy is kept, the protected one goes.
		await duplicate(hub, first, { [MARKER.protect]: 'false' });
		const changed = await writeSpec(dir.path, 'swap-changed.yaml', {
			stack: 'swap',
			sessions: { precious: { task: 'New task', protect: false } },
		});

		await hub.resetStats();
		const [planned, ...refused] = await Promise.all([
			run(hub, ['plan', '-f', changed]),
			...[[], ['--allow-removals', '1'], ['--allow-removals', '2']].map((extra) =>
				run(hub, ['apply', '-f', changed, '--auto-approve', ...extra])
			),
		]);
		expectExit(planned!, 3);
		expect(planned!.stdout).toContain('Refused by safety rails:');
		expect(planned!.stdout).toMatch(/Protected session precious would be (replaced|archived)/);
		for (const outcome of refused) {
			expectExit(outcome, 3);
			expect(outcome.stderr).toContain('Apply refused by a safety rail');
		}
		const stats = hub.stats();
		expect([stats.create ?? 0, stats.update ?? 0, stats.archive ?? 0]).toEqual([0, 0, 0]);
	});
});

describe.concurrent('a take-over keeps protection', { timeout: TEST_TIMEOUT_MS }, () => {
	const dir = useCliDir('rails-takeover-it-');
	const run = dir.run;

	it('import --take-over leaves the session protected; unprotecting is a separate update', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const first = await writeSpec(dir.path, 'first.yaml', {
			stack: 'first-team',
			sessions: { shared: { task: 'Shared task', protect: true } },
		});
		const base = await writeSpec(dir.path, 'second-base.yaml', {
			stack: 'second-team',
			sessions: { keeper: { task: 'Keeper task' } },
		});
		await Promise.all([first, base].map((file) => dir.apply(hub, file)));
		const id = (await liveIdsByKey(hub, 'first-team')).shared!;
		const second = await writeSpec(dir.path, 'second.yaml', {
			stack: 'second-team',
			sessions: { keeper: { task: 'Keeper task' }, shared: { task: 'Shared task' } },
		});

		const taken = await run(hub, [
			...['import', id, '--key', 'shared', '-f', second],
			...['--auto-approve', '--take-over'],
		]);
		expectExit(taken, 0);
		expect(taken.stdout).toContain(
			'# stays protected: it is protected on the Hub; unprotect it in a separate change'
		);
		expect(taken.stdout).not.toContain('protect: true -> false');
		expect(await markersOf(hub, id)).toEqual({
			stack: 'second-team',
			key: 'shared',
			protect: 'true',
		});

		await hub.resetStats();
		const [next, asJson, refused] = await Promise.all([
			run(hub, ['plan', '-f', second]),
			run(hub, ['plan', '-f', second, '--format', 'json']),
			// The second stack with the entry removed.
			run(hub, ['apply', '-f', base, '--auto-approve']),
		]);
		// Only a later plan shows the unprotect, as an ordinary update a reviewer sees.
		expectExit(next, 0);
		expect(next.stdout).toContain('~ protect: true -> false');
		expect(next.stdout).not.toContain('stays protected');
		const parsed = json(asJson);
		expect(parsed.hazards).toEqual([]);
		expect(parsed.actions.filter((action) => action.kind !== 'noop')).toMatchObject([
			{
				kind: 'update',
				key: 'shared',
				sessionId: id,
				changes: [{ field: 'protect', before: true, after: false }],
			},
		]);
		expectExit(refused, 3);
		expect(refused.stderr).toContain('Protected session shared would be archived');
		expect(hub.stats().archive ?? 0).toBe(0);
		expect((await hub.client.getSession(id)).historyOnly).toBeFalsy();
	});

	it('an adopt: entry without protect keeps the session protected', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const id = await seedSession(hub, {
			task: 'Guarded task',
			metadata: {
				[MARKER.stack]: 'old-team',
				[MARKER.key]: 'guarded',
				[MARKER.protect]: 'true',
			},
		});
		const file = await writeSpec(dir.path, 'adopt.yaml', {
			stack: 'new-team',
			sessions: { guarded: { adopt: id, task: 'Guarded task' } },
		});
		const parsed = json(await run(hub, ['plan', '-f', file, '--take-over', '--format', 'json']));
		expect(parsed.actions).toMatchObject([
			{ kind: 'adopt', key: 'guarded', sessionId: id, staysProtected: true, changes: [] },
		]);
		await dir.apply(hub, file, { args: ['--take-over'] });
		expect(await markersOf(hub, id)).toEqual({
			stack: 'new-team',
			key: 'guarded',
			protect: 'true',
		});
	});
});

describe.concurrent('replaces count as removals', { timeout: TEST_TIMEOUT_MS }, () => {
	const dir = useCliDir('rails-replace-it-');
	const run = dir.run;
	const keys = Array.from({ length: 10 }, (_, i) => `s${i}`);
	const sessions = (count: number) =>
		Object.fromEntries(keys.slice(0, count).map((key) => [key, { task: `Task for ${key}` }]));

	it('a defaults change to a create-only field is refused unless --allow-removals names the count', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { fixtures: LIBRARY_FIXTURES });
		const before = await writeSpec(dir.path, 'ws1.yaml', {
			stack: 'fleet',
			defaults: { workspaceId: 'ws_1' },
			sessions: sessions(10),
		});
		await dir.apply(hub, before);
		const allMoved = await writeSpec(dir.path, 'ws2-all.yaml', {
			stack: 'fleet',
			defaults: { workspaceId: 'ws_2' },
			sessions: sessions(10),
		});
		const mixed = await writeSpec(dir.path, 'ws2-mixed.yaml', {
			stack: 'fleet',
			defaults: { workspaceId: 'ws_2' },
			sessions: sessions(8),
		});

		await hub.resetStats();
		const [replaceOnly, text, markdown, asJson, ...refused] = await Promise.all([
			run(hub, ['plan', '-f', allMoved]),
			run(hub, ['plan', '-f', mixed]),
			run(hub, ['plan', '-f', mixed, '--format', 'markdown']),
			run(hub, ['plan', '-f', mixed, '--format', 'json']),
			...[[], ['--allow-removals', '2'], ['--allow-removals', '8']].map((extra) =>
				run(hub, ['apply', '-f', mixed, '--auto-approve', ...extra])
			),
		]);
		expectExit(replaceOnly!, 3);
		expect(replaceOnly!.stdout).toContain(
			'This plan makes 10 removals (10 replaces) of 10 managed sessions, over 25%; apply refuses unless --allow-removals 10.'
		);
		expect(text!.stdout).toContain(
			'This plan makes 10 removals (2 archives, 8 replaces) of 10 managed sessions, over 25%; apply refuses unless --allow-removals 10.'
		);
		expect(markdown!.stdout).toContain(
			'10 removals (2 archives, 8 replaces) of 10 managed sessions'
		);
		const parsed = refusedJson(asJson!);
		expect(parsed.removals).toBe(10);
		expect(parsed.removalsByKind).toEqual({ archive: 2, delete: 0, replace: 8 });
		expect(parsed.hazards).toEqual([
			{
				kind: 'bulk-removal',
				removals: 10,
				managed: 10,
				thresholdPct: 25,
				byKind: { archive: 2, delete: 0, replace: 8 },
			},
		]);
		for (const outcome of refused) {
			expectExit(outcome, 3);
			expect(outcome.stderr).toContain('--allow-removals 10');
		}
		const stats = hub.stats();
		expect([stats.create ?? 0, stats.update ?? 0, stats.archive ?? 0]).toEqual([0, 0, 0]);

		expectExit(
			await run(hub, ['apply', '-f', mixed, '--auto-approve', '--allow-removals', '10']),
			0
		);
		expect(hub.stats()).toMatchObject({ create: 8, archive: 10 });
		expectExit(await run(hub, ['plan', '-f', mixed, '--detailed-exitcode']), 0);
	});

	it('a few replaces below the threshold pass, and are counted', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const before = await writeSpec(dir.path, 'few-before.yaml', {
			stack: 'few',
			sessions: sessions(8),
		});
		await dir.apply(hub, before);
		const after = sessions(8);
		after.s0 = { task: 'A new task for s0' };
		after.s1 = { task: 'A new task for s1' };
		const file = await writeSpec(dir.path, 'few-after.yaml', { stack: 'few', sessions: after });
		const parsed = json(await run(hub, ['plan', '-f', file, '--format', 'json']));
		expect(parsed.removals).toBe(2);
		expect(parsed.removalsByKind).toEqual({ archive: 0, delete: 0, replace: 2 });
		expect(parsed.hazards).toEqual([]);
		await dir.apply(hub, file);
	});
});

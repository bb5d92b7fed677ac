/**
 * Archived sessions are history: nothing writes to them (the strict local Hub, like the REST
 * reference's Hub, refuses a PATCH of one with 409). `forget` and `state: unmanaged` leave them
 * as they are and say so.
 */
import { describe, expect, it } from 'vitest';
import { MARKER } from '../../src/ownership/markers.js';
import {
	hubForTest,
	liveIdsByKey,
	useCliDir,
	writeSpec,
	type TestHub,
} from '../support/local-hub.js';
import { expectExit, planJson } from '../support/plan-output.js';

describe.concurrent('archived sessions are history', { timeout: 240_000 }, () => {
	const dir = useCliDir('archived-history-');
	const run = dir.run;

	/** Key `old` with an archived session and a live one, key `gone` with an archived one only. */
	async function stackWithHistory(hub: TestHub, stack: string) {
		const file = await writeSpec(dir.path, `${stack}.yaml`, {
			stack,
			sessions: { old: { task: 'Task for old' }, gone: { task: 'Task for gone' } },
		});
		await dir.apply(hub, file);
		const first = await liveIdsByKey(hub, stack);
		await hub.client.archiveSession(first.old!);
		await hub.client.archiveSession(first.gone!);
		// `old` is created anew; `gone` stays archived.
		const again = await writeSpec(dir.path, `${stack}-again.yaml`, {
			stack,
			sessions: {
				old: { task: 'Task for old' },
				gone: { task: 'Task for gone', state: 'archived' },
			},
		});
		await dir.apply(hub, again);
		const live = await liveIdsByKey(hub, stack);
		return { archivedOld: first.old!, archivedGone: first.gone!, liveOld: live.old! };
	}

	it('state: unmanaged forgets the live session only, and notes the archived one', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const ids = await stackWithHistory(hub, 'unm');
		const unmanaged = await writeSpec(dir.path, 'unm-unmanaged.yaml', {
			stack: 'unm',
			sessions: {
				old: { task: 'Task for old', state: 'unmanaged' },
				gone: { task: 'Task for gone', state: 'unmanaged' },
			},
		});
		const planned = await run(hub, ['plan', '-f', unmanaged, '--format', 'json']);
		expectExit(planned, 0);
		const plan = JSON.parse(planned.stdout) as ReturnType<typeof planJson>;
		expect(
			plan.actions.map((action) => [action.kind, action.key, action.sessionId]).sort()
		).toEqual(
			[
				['forget', 'old', ids.liveOld],
				['noop', 'gone', ids.archivedGone],
				['noop', 'old', ids.archivedOld],
			].sort()
		);
		expect(planned.stderr).toContain(
			'note: old: 1 archived session left as it is: history, nothing to forget (the Hub takes no writes to archived sessions)'
		);
		expect(plan.notes).toContain(
			'note: gone: 1 archived session left as it is: history, nothing to forget (the Hub takes no writes to archived sessions)'
		);

		await hub.resetStats();
		const applied = await run(hub, ['apply', '-f', unmanaged, '--auto-approve']);
		expectExit(applied, 0);
		expect(hub.stats()).toMatchObject({ update: 1 });
		const archived = await hub.client.getSession(ids.archivedOld);
		expect((archived.metadata ?? {})[MARKER.stack]).toBe('unm');
		expectExit(await run(hub, ['plan', '-f', unmanaged, '--detailed-exitcode']), 0);
	});

	it('forget KEY leaves archived sessions alone, and says so; nothing at all to forget is no error', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const ids = await stackWithHistory(hub, 'fgt');
		const empty = await writeSpec(dir.path, 'fgt-empty.yaml', {
			stack: 'fgt',
			prune: 'delete',
			sessions: { other: { task: 'Task for other' } },
		});
		await hub.resetStats();
		const onlyHistory = await run(hub, ['forget', 'gone', '-f', empty]);
		expectExit(onlyHistory, 0);
		expect(onlyHistory.stdout).toContain(
			'Nothing to forget: every session of this key is archived.'
		);
		expect(onlyHistory.stdout).toContain(`gone  ${ids.archivedGone}`);
		expect(onlyHistory.stdout).toContain(
			'under prune: delete, removing the entry later deletes it, so keep the entry (state: unmanaged) to keep it'
		);
		expect(hub.stats().update ?? 0).toBe(0);

		const both = await run(hub, ['forget', 'old', '-f', empty, '--auto-approve']);
		expectExit(both, 0);
		expect(both.stdout).toContain(`forgotten old  ${ids.liveOld}`);
		expect(both.stdout).toContain('Archived, so history: left as they are');
		expect(both.stdout).toContain(`old  ${ids.archivedOld}`);
		expect(hub.stats()).toMatchObject({ update: 1 });
	});
});

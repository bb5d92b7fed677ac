/**
 * `protect: true` against the removals README says it always refuses, end to end against a local
 * Hub on 127.0.0.1: a `prune: delete` of a protected session whose entry left the spec, and a
 * replace into an entry that turns protection on for a session the Hub holds unprotected.
 */
import { describe, expect, it } from 'vitest';
import { MARKER } from '../../src/ownership/markers.js';
import {
	applySpec,
	cli,
	hubForTest,
	liveIdsByKey,
	useTempDir,
	writeSpec,
	type TestHub,
} from '../support/local-hub.js';
import { expectExit, refusedPlanJson } from '../support/plan-output.js';

const RUN_TIMEOUT_MS = 90_000;
const TEST_TIMEOUT_MS = 240_000;

async function stateOf(hub: TestHub, id: string) {
	const detail = await hub.client.getSession(id);
	const metadata = (detail.metadata ?? {}) as Record<string, unknown>;
	return {
		archived: detail.historyOnly === true,
		protect: metadata[MARKER.protect],
		task: detail.task,
	};
}

describe.concurrent('protected sessions are never removed', { timeout: TEST_TIMEOUT_MS }, () => {
	const dir = useTempDir('protected-removals-it-');
	const run = (hub: TestHub, args: string[]) =>
		cli(hub, args, { cwd: dir.path, timeoutMs: RUN_TIMEOUT_MS });

	it('prune: delete refuses to delete a protected session whose entry left the spec', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const before = await writeSpec(dir.path, 'pruned.yaml', {
			stack: 'pruned',
			prune: 'delete',
			sessions: {
				precious: { task: 'Task for precious', protect: true },
				spare: { task: 'Task for spare' },
			},
		});
		await applySpec(hub, before, { cwd: dir.path, timeoutMs: RUN_TIMEOUT_MS });
		const ids = await liveIdsByKey(hub, 'pruned');
		const after = await writeSpec(dir.path, 'pruned-after.yaml', {
			stack: 'pruned',
			prune: 'delete',
			sessions: { spare: { task: 'Task for spare' } },
		});

		const planned = refusedPlanJson(await run(hub, ['plan', '-f', after, '--format', 'json']));
		expect(planned.hazards).toContainEqual({ kind: 'protected', keys: ['precious'] });

		await hub.resetStats();
		const refused = await run(hub, ['apply', '-f', after, '--auto-approve']);
		expectExit(refused, 3);
		expect(refused.stderr).toContain('Protected session precious would be deleted');
		// Not even with the exact removal count: protection is never lifted.
		const counted = await run(hub, [
			'apply',
			'-f',
			after,
			'--auto-approve',
			'--allow-removals',
			'1',
		]);
		expectExit(counted, 3);
		expect(hub.stats().delete ?? 0).toBe(0);
		expect(hub.stats().archive ?? 0).toBe(0);
		expect(await stateOf(hub, ids.precious!)).toMatchObject({ archived: false, protect: 'true' });
	});

	it('refuses a replace into an entry that turns protect on for an unprotected session', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const before = await writeSpec(dir.path, 'guarding.yaml', {
			stack: 'guarding',
			sessions: { open: { task: 'Old task' }, other: { task: 'Task for other' } },
		});
		await applySpec(hub, before, { cwd: dir.path, timeoutMs: RUN_TIMEOUT_MS });
		const ids = await liveIdsByKey(hub, 'guarding');
		expect(await stateOf(hub, ids.open!)).toMatchObject({ protect: undefined });
		// A new task is fixed at creation: a replace, into an entry that is now protected.
		const after = await writeSpec(dir.path, 'guarding-after.yaml', {
			stack: 'guarding',
			sessions: {
				open: { task: 'New task', protect: true },
				other: { task: 'Task for other' },
			},
		});

		const planned = refusedPlanJson(await run(hub, ['plan', '-f', after, '--format', 'json']));
		expect(planned.actions.find((action) => action.key === 'open')?.kind).toBe('replace');
		expect(planned.hazards).toContainEqual({ kind: 'protected', keys: ['open'] });

		await hub.resetStats();
		const refused = await run(hub, ['apply', '-f', after, '--auto-approve']);
		expectExit(refused, 3);
		expect(refused.stderr).toContain('Protected session open would be replaced');
		expect(hub.stats().create ?? 0).toBe(0);
		expect(hub.stats().archive ?? 0).toBe(0);
		expect(await stateOf(hub, ids.open!)).toMatchObject({ archived: false, task: 'Old task' });
	});
});

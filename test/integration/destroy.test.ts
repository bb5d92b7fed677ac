/**
 * `plan --destroy` / `apply --destroy` end to end against a local Hub on 127.0.0.1: every active
 * session of the stack archived, only with the exact count, never a protected one, and only the
 * keys given with --only.
 */
import { describe, expect, it } from 'vitest';
import {
	hubForTest,
	liveIdsByKey,
	seedUnmarked,
	useCliDir,
	writeSpec,
	type TestHub,
} from '../support/local-hub.js';
import { expectExit, planJson, refusedPlanJson } from '../support/plan-output.js';

const TEST_TIMEOUT_MS = 240_000;

describe.concurrent('plan and apply --destroy', { timeout: TEST_TIMEOUT_MS }, () => {
	const dir = useCliDir('destroy-it-');
	const run = dir.run;

	async function stackOf(hub: TestHub, stack: string, guarded = false) {
		const file = await writeSpec(dir.path, `${stack}.yaml`, {
			stack,
			sessions: {
				one: { task: 'Task for one' },
				two: { task: 'Task for two' },
				three: { task: 'Task for three', protect: guarded },
			},
		});
		await dir.apply(hub, file);
		return { file, ids: await liveIdsByKey(hub, stack) };
	}

	const archived = async (hub: TestHub, id: string) =>
		(await hub.client.getSession(id)).historyOnly === true;

	it('archives every active session of the stack with the exact count', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const { file, ids } = await stackOf(hub, 'gone');
		const stranger = await seedUnmarked(hub);

		await hub.resetStats();
		const [asJson, text, without, wrong] = await Promise.all([
			run(hub, ['plan', '-f', file, '--destroy', '--format', 'json']),
			run(hub, ['plan', '-f', file, '--destroy']),
			run(hub, ['apply', '-f', file, '--destroy', '--auto-approve']),
			run(hub, ['apply', '-f', file, '--destroy', '--auto-approve', '--allow-removals', '2']),
		]);
		const planned = refusedPlanJson(asJson);
		expect(planned.destroy).toBe(true);
		expect(planned.summary).toMatchObject({ archive: 3, create: 0, delete: 0, replace: 0 });
		expect(planned.removals).toBe(3);
		expect(planned.hazards).toEqual([{ kind: 'destroy', removals: 3 }]);
		expect(planned.actions.map((a) => a.reason)).toEqual(Array(3).fill('destroy (--destroy)'));
		expectExit(text, 3);
		expect(text.stdout).toContain('Destroy: every active session of the stack is archived');
		expect(text.stdout).toContain('This plan destroys stack gone: it archives 3 active sessions');
		expect(text.stdout).toContain('--allow-removals 3');
		expectExit(without, 3);
		expectExit(wrong, 3);
		expect(hub.stats().archive ?? 0).toBe(0);

		const applied = await run(hub, [
			...['apply', '-f', file, '--destroy', '--auto-approve'],
			...['--allow-removals', '3'],
		]);
		expectExit(applied, 0);
		expect(hub.stats()).toMatchObject({ archive: 3 });
		expect(hub.stats().delete ?? 0).toBe(0);
		for (const id of Object.values(ids)) expect(await archived(hub, id)).toBe(true);
		expect(await archived(hub, stranger)).toBe(false);

		// Nothing left to destroy: no changes, no rail.
		expectExit(await run(hub, ['plan', '-f', file, '--destroy', '--detailed-exitcode']), 0);
	});

	it('refuses a protected session, whatever the count', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const { file } = await stackOf(hub, 'guarded', true);
		await hub.resetStats();
		const [planned, applied] = await Promise.all([
			run(hub, ['plan', '-f', file, '--destroy']),
			run(hub, [
				...['apply', '-f', file, '--destroy', '--auto-approve'],
				...['--allow-removals', '3'],
			]),
		]);
		expectExit(planned, 3);
		expect(planned.stdout).toContain('Protected session three would be archived');
		expectExit(applied, 3);
		expect(applied.stderr).toContain('Protected session three would be archived');
		expect(hub.stats().archive ?? 0).toBe(0);
	});

	it('with --only destroys those keys; a saved destroy plan applies as reviewed', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const { file, ids } = await stackOf(hub, 'partial', true);
		const saved = await run(hub, [
			...['plan', '-f', file, '--destroy', '--only', 'one', '--only', 'two'],
			...['--out', 'partial.json', '--format', 'json'],
		]);
		const planned = refusedPlanJson(saved);
		expect(planned.actions.map((a) => `${a.kind} ${a.key}`)).toEqual([
			'archive one',
			'archive two',
		]);

		await hub.resetStats();
		const [refused, both] = await Promise.all([
			run(hub, ['apply', 'partial.json']),
			run(hub, ['apply', 'partial.json', '--destroy']),
		]);
		expectExit(refused, 3);
		expectExit(both, 1);
		expect(both.stderr).toContain('give PLANFILE or --destroy, not both');
		expect(hub.stats().archive ?? 0).toBe(0);

		expectExit(await run(hub, ['apply', 'partial.json', '--allow-removals', '2']), 0);
		expect(hub.stats()).toMatchObject({ archive: 2 });
		expect(await archived(hub, ids.one!)).toBe(true);
		expect(await archived(hub, ids.two!)).toBe(true);
		expect(await archived(hub, ids.three!)).toBe(false);

		// The spec still declares them: a plan without --destroy creates them again.
		const again = planJson(await run(hub, ['plan', '-f', file, '--format', 'json']));
		expect(again.summary).toMatchObject({ create: 2, archive: 0 });
	});
});

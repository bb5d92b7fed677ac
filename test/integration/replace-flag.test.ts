/**
 * `plan/apply --replace KEY` end to end against a local Hub on 127.0.0.1: a session recreated
 * though nothing create-only changed, kept by a saved plan, and refused for a protected session.
 */
import { describe, expect, it } from 'vitest';
import {
	hubForTest,
	liveIdsByKey,
	useCliDir,
	writeSpec,
	type TestHub,
} from '../support/local-hub.js';
import { expectExit, planJson } from '../support/plan-output.js';

const TEST_TIMEOUT_MS = 240_000;

describe.concurrent('plan and apply --replace KEY', { timeout: TEST_TIMEOUT_MS }, () => {
	const dir = useCliDir('replace-flag-it-');
	const run = dir.run;

	async function stackOf(hub: TestHub, stack: string) {
		const file = await writeSpec(dir.path, `${stack}.yaml`, {
			stack,
			sessions: {
				stuck: { task: 'Task for stuck' },
				guarded: { task: 'Task for guarded', protect: true },
			},
		});
		await dir.apply(hub, file);
		return { file, ids: await liveIdsByKey(hub, stack) };
	}

	it('plans a replace with its reason, and a saved plan keeps it', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const { file, ids } = await stackOf(hub, 'kept');

		const [asJson, text] = await Promise.all([
			run(hub, ['plan', '-f', file, '--replace', 'stuck', '--format', 'json']),
			run(hub, ['plan', '-f', file, '--replace', 'stuck', '--detailed-exitcode']),
		]);
		const planned = planJson(asJson);
		expect(planned.summary).toMatchObject({ replace: 1, create: 0, update: 0, archive: 0 });
		const replace = planned.actions.find((action) => action.kind === 'replace')!;
		expect(replace).toMatchObject({
			key: 'stuck',
			sessionId: ids.stuck,
			forcedBy: [],
			requested: true,
			reason: 'replace requested (--replace)',
		});
		expectExit(text, 2);
		expect(text.stdout).toContain('replace requested (--replace)');
		expect(text.stdout).toContain('1 to replace');
		expect(text.stdout).not.toContain('a create-time field');

		// Without the flag the same spec is unchanged: nothing else forces it.
		expectExit(await run(hub, ['plan', '-f', file, '--detailed-exitcode']), 0);

		const saved = await run(hub, ['plan', '-f', file, '--replace', 'stuck', '--out', 'r.json']);
		expectExit(saved, 0);
		await hub.resetStats();
		const applied = await run(hub, ['apply', 'r.json']);
		expectExit(applied, 0);
		expect(hub.stats()).toMatchObject({ create: 1, archive: 1 });
		const after = await liveIdsByKey(hub, 'kept');
		expect(after.stuck).not.toBe(ids.stuck);
		expect(after.guarded).toBe(ids.guarded);
		const old = await hub.client.getSession(ids.stuck!);
		expect(old.historyOnly).toBe(true);
		expectExit(await run(hub, ['plan', '-f', file, '--detailed-exitcode']), 0);
	});

	it('apply --replace recreates the session directly', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const { file, ids } = await stackOf(hub, 'direct');
		await hub.resetStats();
		const applied = await run(hub, ['apply', '-f', file, '--replace', 'stuck', '--auto-approve']);
		expectExit(applied, 0);
		expect(hub.stats()).toMatchObject({ create: 1, archive: 1 });
		expect((await liveIdsByKey(hub, 'direct')).stuck).not.toBe(ids.stuck);
	});

	it('refuses a protected session, and names the known keys for an unknown one', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const { file } = await stackOf(hub, 'rails');
		await hub.resetStats();
		const [planned, applied, unknown, saved] = await Promise.all([
			run(hub, ['plan', '-f', file, '--replace', 'guarded']),
			run(hub, ['apply', '-f', file, '--replace', 'guarded', '--auto-approve']),
			run(hub, ['plan', '-f', file, '--replace', 'nope']),
			run(hub, ['apply', 'whatever.json', '--replace', 'stuck']),
		]);
		expectExit(planned, 3);
		expect(planned.stdout).toContain('Protected session guarded would be replaced');
		expectExit(applied, 3);
		expect(applied.stderr).toContain('Apply refused by a safety rail');
		expectExit(unknown, 1);
		expect(unknown.stderr).toContain('--replace names no entry of the spec: nope');
		expect(unknown.stderr).toContain('guarded, stuck');
		expectExit(saved, 1);
		expect(saved.stderr).toContain('give PLANFILE or --replace, not both');
		const stats = hub.stats();
		expect([stats.create ?? 0, stats.update ?? 0, stats.archive ?? 0]).toEqual([0, 0, 0]);
	});
});

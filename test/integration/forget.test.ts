/**
 * Stop managing without archiving, end to end against a local Hub on 127.0.0.1: `forget KEY`
 * and `state: unmanaged` empty the ownership markers, the session keeps running, and the next
 * plan neither archives nor recreates it; `adopt:` brings it back.
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

const TEST_TIMEOUT_MS = 240_000;

async function markersOf(hub: TestHub, id: string): Promise<Record<string, unknown>> {
	const detail = await hub.client.getSession(id);
	const metadata = (detail.metadata ?? {}) as Record<string, unknown>;
	return Object.fromEntries(
		Object.entries(metadata).filter(([key]) => key.startsWith('coder-sessions/'))
	);
}

describe.concurrent('forgetting a session', { timeout: TEST_TIMEOUT_MS }, () => {
	const dir = useCliDir('forget-it-');
	const run = dir.run;

	async function stackOf(hub: TestHub, stack: string, prune = 'archive') {
		const file = await writeSpec(dir.path, `${stack}.yaml`, {
			stack,
			prune: prune as 'archive',
			sessions: {
				kept: { task: 'Task for kept' },
				loose: { task: 'Task for loose', protect: true, metadata: { team: 'docs' } },
			},
		});
		await dir.apply(hub, file);
		return { file, ids: await liveIdsByKey(hub, stack) };
	}

	it('forget KEY empties the markers once the entry is gone; nothing is archived', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const { file, ids } = await stackOf(hub, 'cmd', 'delete');
		const without = await writeSpec(dir.path, 'cmd-without.yaml', {
			stack: 'cmd',
			prune: 'delete',
			sessions: { kept: { task: 'Task for kept' } },
		});

		await hub.resetStats();
		const [declared, unknown, noTerminal] = await Promise.all([
			run(hub, ['forget', 'loose', '-f', file, '--auto-approve']),
			run(hub, ['forget', 'nope', '-f', without, '--auto-approve']),
			run(hub, ['forget', 'loose', '-f', without]),
		]);
		expectExit(declared, 1);
		expect(declared.stderr).toContain('still in the spec: loose');
		expect(declared.stderr).toContain('state: unmanaged');
		expectExit(unknown, 1);
		expect(unknown.stderr).toContain('forget names no session of stack cmd: nope');
		expect(unknown.stderr).toContain('kept, loose');
		expectExit(noTerminal, 1);
		expect(noTerminal.stderr).toContain('--auto-approve');
		expect(hub.stats().update ?? 0).toBe(0);

		const forgot = await run(hub, ['forget', 'loose', '-f', without, '--auto-approve']);
		expectExit(forgot, 0);
		expect(forgot.stdout).toContain(`forgotten loose  ${ids.loose}`);
		expect(hub.stats()).toMatchObject({ update: 1 });
		expect(hub.stats().archive ?? 0).toBe(0);
		// Every marker emptied, but the run's own: like every write, the forget names its run.
		const { [MARKER.run]: forgetRun, ...markers } = await markersOf(hub, ids.loose!);
		expect(Object.values(markers).every((value) => value === '')).toBe(true);
		expect(Object.keys(markers)).toContain(MARKER.stack);
		expect(forgetRun).toMatch(/^run_/);
		const session = await hub.client.getSession(ids.loose!);
		expect(session.historyOnly).not.toBe(true);
		// Only the markers: the session's own metadata stays.
		expect(session.metadata).toMatchObject({ team: 'docs' });

		// Neither archived (nor deleted, under prune: delete) nor recreated, and counted unmarked.
		const after = planJson(await run(hub, ['plan', '-f', without, '--format', 'json']));
		expect(after.actions.map((a) => `${a.kind} ${a.key}`)).toEqual(['noop kept']);
		expect(after.counts).toMatchObject({ managed: 1, unmanaged: 1 });
		expectExit(await run(hub, ['plan', '-f', without, '--detailed-exitcode']), 0);

		// Adopted again, it is managed again.
		const adopt = await writeSpec(dir.path, 'cmd-adopt.yaml', {
			stack: 'cmd',
			prune: 'delete',
			sessions: {
				kept: { task: 'Task for kept' },
				loose: { task: 'Task for loose', protect: true, adopt: ids.loose },
			},
		});
		const adopted = planJson(await run(hub, ['plan', '-f', adopt, '--format', 'json']));
		expect(adopted.summary).toMatchObject({ adopt: 1, create: 0 });
		await dir.apply(hub, adopt);
		expect(await markersOf(hub, ids.loose!)).toMatchObject({
			[MARKER.stack]: 'cmd',
			[MARKER.key]: 'loose',
		});
	});

	it('state: unmanaged plans a forget, reviewable; after apply the entry can go', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const { ids } = await stackOf(hub, 'spec');
		const marked = await writeSpec(dir.path, 'spec-unmanaged.yaml', {
			stack: 'spec',
			sessions: {
				kept: { task: 'Task for kept' },
				loose: { task: 'Task for loose', state: 'unmanaged' },
			},
		});

		const [asJson, text, markdown] = await Promise.all([
			run(hub, ['plan', '-f', marked, '--format', 'json']),
			run(hub, ['plan', '-f', marked, '--detailed-exitcode']),
			run(hub, ['plan', '-f', marked, '--format', 'markdown']),
		]);
		const planned = planJson(asJson);
		expect(planned.summary).toMatchObject({ forget: 1, archive: 0, update: 0, replace: 0 });
		expect(planned.removals).toBe(0);
		expect(planned.hazards).toEqual([]);
		const forget = planned.actions.find((a) => a.kind === 'forget')!;
		expect(forget).toMatchObject({ key: 'loose', sessionId: ids.loose });
		// Every marker it carries, in one order whatever order the Hub lists them in.
		expect(forget.markers).toEqual(
			[
				MARKER.applied,
				MARKER.key,
				MARKER.protect,
				MARKER.run,
				MARKER.searchToken,
				MARKER.stack,
			].sort()
		);
		expectExit(text, 2);
		expect(text.stdout).toContain('/ forget');
		expect(text.stdout).toContain('1 to forget');
		expect(text.stdout).toContain('the session keeps running, unmanaged');
		expectExit(markdown, 0);
		expect(markdown.stdout).toContain('forget</code> <b>loose</b>');

		await hub.resetStats();
		expectExit(await run(hub, ['apply', '-f', marked, '--auto-approve']), 0);
		expect(hub.stats()).toMatchObject({ update: 1 });
		expect(hub.stats().archive ?? 0).toBe(0);
		expect((await hub.client.getSession(ids.loose!)).historyOnly).not.toBe(true);
		expectExit(await run(hub, ['plan', '-f', marked, '--detailed-exitcode']), 0);

		const without = await writeSpec(dir.path, 'spec-without.yaml', {
			stack: 'spec',
			sessions: { kept: { task: 'Task for kept' } },
		});
		expectExit(await run(hub, ['plan', '-f', without, '--detailed-exitcode']), 0);
	});
});

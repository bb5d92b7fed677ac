/**
 * Loop mode in `status`: getLoopState's status, iteration, summary and next action in the MODE
 * column and the JSON; a loop that is blocked or awaiting input is named under the table.
 */
import { describe, expect, it } from 'vitest';
import type { StatusJsonV1 } from '../../src/render/status.js';
import { expectExit } from '../support/plan-output.js';
import {
	applySpec,
	cli,
	hubForTest,
	liveIdsByKey,
	useTempDir,
	writeSpec,
	type TestHub,
} from '../support/local-hub.js';

async function setLoop(hub: TestHub, id: string, loop: Record<string, unknown>): Promise<void> {
	const response = await fetch(`${hub.url}/_local/sessions/${id}/loop`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(loop),
	});
	expect(response.status).toBe(200);
}

describe.concurrent('loop mode in status', () => {
	const dir = useTempDir('loop-status-');

	it('shows each loop, and the ones waiting on a person at a glance', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const loop = (goal: string) => ({
			task: `Work towards ${goal}.`,
			loop: { goal, maxIterations: 20 },
		});
		const file = await writeSpec(dir.path, 'loops.yaml', {
			stack: 'loops',
			sessions: {
				blocked: loop('green CI'),
				waiting: loop('a reviewed draft'),
				working: loop('docs'),
				plain: { task: 'No loop here.' },
			},
		});
		await applySpec(hub, file, { cwd: dir.path });
		const ids = await liveIdsByKey(hub, 'loops');
		await setLoop(hub, ids.blocked!, {
			status: 'blocked',
			iteration: 3,
			summary: 'The integration tests fail on main.',
			nextAction: 'Fix the flaky test, then resume.',
		});
		await setLoop(hub, ids.waiting!, {
			status: 'awaiting_input',
			iteration: 7,
			summary: 'Draft ready',
			nextAction: 'Approve the outline',
		});
		await setLoop(hub, ids.working!, { status: 'running', iteration: 2 });

		const text = await cli(hub, ['status', '-f', file], { cwd: dir.path });
		expectExit(text, 0);
		expect(text.stdout).toMatch(
			/^blocked +\S.* +active +running +loop: blocked 3\/20 .* in sync$/m
		);
		expect(text.stdout).toMatch(/^waiting +\S.* +loop: awaiting_input 7\/20 .* in sync$/m);
		expect(text.stdout).toMatch(/^working +\S.* +loop: running 2\/20 .* in sync$/m);
		expect(text.stdout).toMatch(/^plain +\S.* +standard .* in sync$/m);
		expect(text.stdout).toContain(
			`Loop of blocked (${ids.blocked}) is blocked at iteration 3: The integration tests fail on main. Next: Fix the flaky test, then resume.`
		);
		expect(text.stdout).toContain(
			`Loop of waiting (${ids.waiting}) is awaiting input at iteration 7: Draft ready. Next: Approve the outline.`
		);
		expect(text.stdout).not.toContain('Loop of working');

		const json = await cli(hub, ['status', '-f', file, '--format', 'json'], { cwd: dir.path });
		expectExit(json, 0);
		const status = JSON.parse(json.stdout) as StatusJsonV1;
		const row = (key: string) => status.sessions.find((session) => session.key === key)!;
		expect(row('blocked').loop).toEqual({
			status: 'blocked',
			iteration: 3,
			maxIterations: 20,
			summary: 'The integration tests fail on main.',
			nextAction: 'Fix the flaky test, then resume.',
			needsAttention: true,
		});
		expect(row('working').loop).toMatchObject({ status: 'running', needsAttention: false });
		expect(row('plain').loop).toBeNull();
	});
});

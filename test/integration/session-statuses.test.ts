/**
 * Sessions the Hub has paused, stopped, shut down or failed, and sessions with activity, seen
 * through `status` and `plan` (the built CLI against an in-process local Hub, statuses set
 * through its /_local admin route).
 */
import { describe, expect, it } from 'vitest';
import type { StatusJsonV1 } from '../../src/render/status.js';
import type { CliResult } from '../support/cli.js';
import { expectExit, planJson } from '../support/plan-output.js';
import {
	applySpec,
	cli,
	hubForTest,
	liveIdsByKey,
	useTempDir,
	writeSpec,
	type TestHub,
} from '../support/local-hub.js';

const ENDED = ['stopped', 'shutdown', 'failed', 'error'] as const;

async function setStatus(hub: TestHub, id: string, status: string): Promise<void> {
	const response = await fetch(`${hub.url}/_local/sessions/${id}/status`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ status }),
	});
	expect(response.status).toBe(200);
}

function statusJson(result: CliResult): StatusJsonV1 {
	expectExit(result, 0);
	return JSON.parse(result.stdout) as StatusJsonV1;
}

describe.concurrent('paused, stopped and failed sessions', () => {
	const dir = useTempDir();

	it('status shows each status and bucket; plan keeps a paused session and replaces ended ones', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const keys = ['paused', 'provisioning', ...ENDED];
		const sessions = Object.fromEntries(keys.map((key) => [key, { task: `Work on ${key}.` }]));
		const file = await writeSpec(dir.path, 'statuses.yaml', { stack: 'st-statuses', sessions });
		await applySpec(hub, file, { cwd: dir.path });
		const ids = await liveIdsByKey(hub, 'st-statuses');
		for (const key of keys) await setStatus(hub, ids[key]!, key);

		const text = await cli(hub, ['status', '-f', file], { cwd: dir.path });
		expectExit(text, 0);
		expect(text.stdout).toMatch(/^paused +\S.* +paused +paused +standard .* in sync$/m);
		expect(text.stdout).toMatch(/^failed +\S.* +failed +history +standard .* missing$/m);

		const status = statusJson(
			await cli(hub, ['status', '-f', file, '--format', 'json'], { cwd: dir.path })
		);
		const row = (key: string) => status.sessions.find((session) => session.key === key);
		expect(row('paused')).toMatchObject({ status: 'paused', bucket: 'paused', sync: 'in-sync' });
		expect(row('provisioning')).toMatchObject({
			status: 'provisioning',
			bucket: 'provisioning',
			sync: 'in-sync',
		});
		for (const key of ENDED) {
			expect(row(key)).toMatchObject({
				sessionId: ids[key],
				status: key,
				bucket: 'history',
				sync: 'missing',
			});
		}

		const plan = planJson(
			await cli(hub, ['plan', '-f', file, '--format', 'json'], { cwd: dir.path })
		);
		const action = (key: string) => plan.actions.find((candidate) => candidate.key === key);
		expect(action('paused')).toMatchObject({ kind: 'noop' });
		expect(action('provisioning')).toMatchObject({ kind: 'noop' });
		for (const key of ENDED) {
			expect(action(key)).toMatchObject({ kind: 'create' });
			expect(action(key)!.reason).toBe(
				`the live session ${ids[key]} is ${key} (history only), which cannot be undone`
			);
		}
		// Ended sessions are history: no rail counts them as removals, nothing archives them.
		expect(plan.actions.filter((candidate) => candidate.kind === 'archive')).toEqual([]);
	});

	it('apply replaces a failed session; the next plan is clean and the failed one stays history', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'failed.yaml', {
			stack: 'st-failed',
			sessions: { work: { task: 'Do the work.' } },
		});
		await applySpec(hub, file, { cwd: dir.path });
		const failed = (await liveIdsByKey(hub, 'st-failed')).work!;
		await setStatus(hub, failed, 'failed');
		await applySpec(hub, file, { cwd: dir.path });
		const replacement = (await liveIdsByKey(hub, 'st-failed')).work!;
		expect(replacement).not.toBe(failed);
		expect((await hub.client.getSession(failed)).status).toBe('failed');

		const plan = planJson(
			await cli(hub, ['plan', '-f', file, '--format', 'json'], { cwd: dir.path })
		);
		expect(plan.actions.map((candidate) => candidate.kind)).toEqual(['noop']);
		const status = statusJson(
			await cli(hub, ['status', '-f', file, '--format', 'json'], { cwd: dir.path })
		);
		expect(status.sessions).toMatchObject([
			{ key: 'work', sessionId: replacement, sync: 'in-sync' },
		]);
		expect(status.counts.olderArchived).toBe(1);
	});

	it('resume wakes a paused session; a stopped one refuses', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const paused = (await hub.client.createSession({ task: 'Sleepy' })).sessionId;
		const stopped = (await hub.client.createSession({ task: 'Gone' })).sessionId;
		await setStatus(hub, paused, 'paused');
		await setStatus(hub, stopped, 'stopped');
		expect((await hub.client.listConnectableSessions()).sessions.map((s) => s.sessionId)).toEqual([
			paused,
		]);
		expect(await hub.client.resumeSession(paused)).toMatchObject({ status: 'resuming' });
		expect(await hub.client.getSession(paused)).toMatchObject({
			status: 'active',
			bucket: 'running',
		});
		const refused = await fetch(`${hub.url}/api/hub/session/${stopped}/resume`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
		});
		expect(refused.status).toBe(409);
	});
});

describe.concurrent('session activity', () => {
	const dir = useTempDir();

	it('status shows the participants, events and replay --simulate-activity gives new sessions', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { simulateActivity: true });
		const file = await writeSpec(dir.path, 'activity.yaml', {
			stack: 'st-activity',
			sessions: { busy: { label: 'Busy', task: 'Keep busy.' } },
		});
		await applySpec(hub, file, { cwd: dir.path });
		const text = await cli(hub, ['status', '-f', file], { cwd: dir.path });
		expectExit(text, 0);
		// The observer left: the Hub lists connected participants unless asked (includeDisconnected).
		expect(text.stdout).toMatch(/^busy +Busy +active +running +standard +1 +4 +.* in sync$/m);
		const status = statusJson(
			await cli(hub, ['status', '-f', file, '--format', 'json'], { cwd: dir.path })
		);
		expect(status.sessions[0]).toMatchObject({
			key: 'busy',
			participants: { count: 1, connected: 1 },
			events: { count: 4, atLeast: false },
			replay: { available: true },
			sync: 'in-sync',
		});
	});

	it('status shows activity recorded through /_local, and the SDK reads it back', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'recorded.yaml', {
			stack: 'st-recorded',
			sessions: { quiet: { label: 'Quiet', task: 'Stay quiet.' } },
		});
		await applySpec(hub, file, { cwd: dir.path });
		const id = (await liveIdsByKey(hub, 'st-recorded')).quiet!;
		const response = await fetch(`${hub.url}/_local/sessions/${id}/activity`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				participants: [{ id: 'ada', role: 'controller', connectedAt: new Date().toISOString() }],
				events: [{ event: 'message', category: 'session' }, { event: 'message' }],
				replay: [{ type: 'user_message', content: 'hello' }],
			}),
		});
		expect(response.status).toBe(200);
		const participants = await hub.client.listParticipants(id);
		expect(participants.participants.map((p) => p.id)).toEqual(['ada']);
		const history = await hub.client.listEventHistory(id);
		// Newest first, as the REST reference pages it.
		expect(history.events.map((event) => event.id)).toEqual([2, 1]);
		expect((await hub.client.getReplay(id)).entries).toHaveLength(1);
		const status = statusJson(
			await cli(hub, ['status', '-f', file, '--format', 'json'], { cwd: dir.path })
		);
		expect(status.sessions[0]).toMatchObject({
			participants: { count: 1, connected: 1 },
			events: { count: 2, atLeast: false },
			replay: { available: true },
		});
	});
});

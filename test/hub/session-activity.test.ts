import { describe, expect, it } from 'vitest';
import { HubError } from '../../src/core/errors.js';
import type { HubReader } from '../../src/hub/types.js';
import { readActivity } from '../../src/hub/session-activity.js';

/** A HubReader with only the session-data reads, each taking a little while. */
function fakeHub(fail: (id: string) => Error | undefined = () => undefined) {
	let inFlight = 0;
	let peak = 0;
	const read = async <T>(id: string, value: T): Promise<T> => {
		inFlight += 1;
		peak = Math.max(peak, inFlight);
		await new Promise((resolve) => setTimeout(resolve, 2));
		inFlight -= 1;
		const error = fail(id);
		if (error) throw error;
		return value;
	};
	const hub = {
		readParticipants: (id: string) => read(id, { count: 1, connected: 1 }),
		readEventHistory: (id: string) => read(id, { count: 3, atLeast: false }),
		readReplay: (id: string) => read(id, { available: false }),
		readLoopState: (id: string) => read(id, { status: 'blocked', iteration: 2 }),
	} as unknown as HubReader;
	return { hub, peak: () => peak };
}

const session = (id: string) => ({ id, workflowMode: 'standard' as const, archived: false });

describe('readActivity', () => {
	it('reads participants, events and replay of every session, at most `parallelism` at once', async () => {
		const { hub, peak } = fakeHub();
		const ids = Array.from({ length: 10 }, (_, i) => `s${i}`);
		const activity = await readActivity(hub, ids.map(session), 4);
		expect(activity.size).toBe(10);
		expect(activity.get('s3')).toEqual({
			participants: { count: 1, connected: 1 },
			events: { count: 3, atLeast: false },
			replay: { available: false },
		});
		expect(peak()).toBeLessThanOrEqual(4);
	});

	it('keeps the Hub error of one session on its row and reads the others', async () => {
		const { hub } = fakeHub((id) =>
			id === 'bad' ? new HubError('HTTP 500: boom', 500) : undefined
		);
		const activity = await readActivity(hub, ['good', 'bad'].map(session), 8);
		expect(activity.get('bad')).toEqual({ error: 'HTTP 500: boom' });
		expect(activity.get('good')?.events?.count).toBe(3);
	});

	it('lets anything but a Hub error through: that is a bug', async () => {
		const { hub } = fakeHub(() => new TypeError('oops'));
		await expect(readActivity(hub, [session('a')], 8)).rejects.toThrow(TypeError);
	});

	it('reads the loop of live loop-mode sessions only', async () => {
		const { hub } = fakeHub();
		const activity = await readActivity(
			hub,
			[
				session('standard'),
				{ id: 'loop', workflowMode: 'loop', archived: false },
				{ id: 'ended', workflowMode: 'loop', archived: true },
			],
			8
		);
		expect(activity.get('loop')?.loop).toEqual({ status: 'blocked', iteration: 2 });
		expect(activity.get('standard')).not.toHaveProperty('loop');
		expect(activity.get('ended')).not.toHaveProperty('loop');
	});
});

import { describe, expect, it, vi } from 'vitest';
import {
	abortableSleep,
	inPlace,
	watchLoop,
	type WatchOptions,
} from '../../src/operations/watch-status.js';

/** A fake clock: sleeping records the wait and aborts the loop after `stopAfter` sleeps. */
function harness(stopAfter: number, refresh?: WatchOptions['refresh']) {
	const controller = new AbortController();
	const frames: string[] = [];
	const errors: unknown[] = [];
	const sleeps: number[] = [];
	let refreshes = 0;
	const options: WatchOptions = {
		intervalMs: 5000,
		signal: controller.signal,
		refresh: refresh ?? (async () => `frame ${++refreshes}`),
		show: (frame) => frames.push(frame),
		onError: (error) => errors.push(error),
		sleep: async (ms) => {
			sleeps.push(ms);
			if (sleeps.length >= stopAfter) controller.abort();
		},
	};
	return { options, frames, errors, sleeps, controller };
}

describe('watchLoop', () => {
	it('refreshes, shows, and waits the interval until the signal aborts', async () => {
		const { options, frames, sleeps } = harness(3);
		expect(await watchLoop(options)).toBe(3);
		expect(frames).toEqual(['frame 1', 'frame 2', 'frame 3']);
		expect(sleeps).toEqual([5000, 5000, 5000]);
	});

	it('throws the first refresh error: a bad setup should not spin', async () => {
		const { options, frames } = harness(5, async () => {
			throw new Error('no Hub');
		});
		await expect(watchLoop(options)).rejects.toThrow('no Hub');
		expect(frames).toEqual([]);
	});

	it('hands later errors to onError and carries on', async () => {
		let n = 0;
		const { options, frames, errors } = harness(3, async () => {
			n += 1;
			if (n === 2) throw new Error('Hub hiccup');
			return `frame ${n}`;
		});
		expect(await watchLoop(options)).toBe(2);
		expect(frames).toEqual(['frame 1', 'frame 3']);
		expect(errors).toEqual([new Error('Hub hiccup')]);
	});

	it('returns at once when aborted in the middle of a refresh, without showing it', async () => {
		const controller = new AbortController();
		const frames: string[] = [];
		let calls = 0;
		let failLate: (error: Error) => void = () => {};
		let hanging: () => void = () => {};
		const secondRefresh = new Promise<void>((resolve) => (hanging = resolve));
		const done = watchLoop({
			intervalMs: 10,
			signal: controller.signal,
			refresh: () => {
				calls += 1;
				if (calls === 1) return Promise.resolve('first');
				// The second refresh hangs (a Hub that stopped answering) and fails after the abort.
				hanging();
				return new Promise((_, reject) => (failLate = reject));
			},
			show: (frame) => frames.push(frame),
			onError: () => {
				throw new Error('onError must not be reached');
			},
			sleep: async () => {},
		});
		await secondRefresh;
		controller.abort();
		expect(await done).toBe(1);
		expect(frames).toEqual(['first']);
		failLate(new Error('late'));
		// The late failure is swallowed: nothing else runs, nothing is unhandled.
		await new Promise((resolve) => setImmediate(resolve));
		expect(calls).toBe(2);
	});

	it('does nothing when already aborted', async () => {
		const { options, frames, controller } = harness(1);
		controller.abort();
		expect(await watchLoop(options)).toBe(0);
		expect(frames).toEqual([]);
	});
});

describe('abortableSleep', () => {
	it('wakes up early on abort, and leaves no timer behind', async ({ onTestFinished }) => {
		vi.useFakeTimers();
		onTestFinished(() => {
			vi.useRealTimers();
		});
		const controller = new AbortController();
		let woke = false;
		const sleeping = abortableSleep(10_000, controller.signal).then(() => (woke = true));
		await Promise.resolve();
		expect(woke).toBe(false);
		expect(vi.getTimerCount()).toBe(1);
		// No time passes on the fake clock: only the abort can end the sleep.
		controller.abort();
		await sleeping;
		expect(woke).toBe(true);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('sleeps the whole interval when not aborted', async ({ onTestFinished }) => {
		vi.useFakeTimers();
		onTestFinished(() => {
			vi.useRealTimers();
		});
		let woke = false;
		void abortableSleep(10_000, new AbortController().signal).then(() => (woke = true));
		await vi.advanceTimersByTimeAsync(9_999);
		expect(woke).toBe(false);
		await vi.advanceTimersByTimeAsync(1);
		expect(woke).toBe(true);
	});
});

describe('inPlace', () => {
	it('homes the cursor, clears each line to its end and the screen below; clears first on the first frame', () => {
		expect(inPlace('a\nb\n', false)).toBe('\u001b[Ha\u001b[K\nb\u001b[K\n\u001b[J');
		expect(inPlace('a\n', true)).toBe('\u001b[2J\u001b[Ha\u001b[K\n\u001b[J');
	});
});

/**
 * The brake every worker shares after a 429, on a fake clock: who waits, how long, and when a
 * call gives up. Then the Retry-After a real local Hub sends, as the throttle receives it.
 */
import { CoderClient } from '@agentuity/core/coder';
import { describe, expect, it, vi } from 'vitest';
import { RateLimitedError, toHubError } from '../../src/hub/errors.js';
import { installHubFetch } from '../../src/hub/hub-fetch.js';
import { parseRetryAfter } from '../../src/hub/retry-after.js';
import { Throttle } from '../../src/hub/throttle.js';
import { HubError } from '../../src/core/errors.js';
import { startLocalHub } from '../../src/hub-emulator/index.js';

/** A clock that only moves when told, and sleeps that end when the test releases them. */
function fakeTime() {
	let now = 0;
	const sleeps: { ms: number; wake: () => void }[] = [];
	return {
		sleeps,
		waits: () => sleeps.map((sleep) => sleep.ms),
		now: () => now,
		advance: (ms: number) => (now += ms),
		sleep: (ms: number) => new Promise<void>((wake) => sleeps.push({ ms, wake })),
		/** Moves the clock by the oldest sleep's wait and ends it. */
		wakeOldest: () => {
			const sleep = sleeps.shift()!;
			now += sleep.ms;
			sleep.wake();
		},
	};
}

const limited = (retryAfterMs?: number) =>
	new RateLimitedError('create session: HTTP 429: rate limited by the Hub', retryAfterMs);

/** A call answering each attempt from `outcomes` in turn (an Error is thrown). */
function scripted(...outcomes: (string | Error)[]) {
	return vi.fn(async () => {
		const next = outcomes.shift();
		if (next instanceof Error) throw next;
		return next;
	});
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('Throttle', () => {
	it('a clock that jumps back hours neither makes a call wait hours nor keeps it past its budget', async () => {
		const sleeps: number[] = [];
		let now = 10 * 3_600_000;
		const throttle = new Throttle(
			async (ms) => void sleeps.push(ms),
			// Every reading is an hour before the last: a clock set back again and again.
			() => (now -= 3_600_000),
			() => 0
		);
		let calls = 0;
		const refused = throttle.run(async () => {
			calls += 1;
			if (calls > 1000) return 'still asked';
			throw limited(1000);
		});
		await expect(refused).rejects.toBeInstanceOf(RateLimitedError);
		expect(calls).toBeLessThan(1000);
		expect(Math.max(...sleeps)).toBeLessThanOrEqual(120_000);
	});

	it('waits out the Retry-After, then sends the refused call again', async () => {
		const time = fakeTime();
		const throttle = new Throttle(time.sleep, time.now, () => 0);
		const call = scripted(limited(1000), 'created');
		const result = throttle.run(call);
		await settle();
		expect(call).toHaveBeenCalledTimes(1);
		expect(time.waits()).toEqual([1000]);
		time.wakeOldest();
		await expect(result).resolves.toBe('created');
		expect(call).toHaveBeenCalledTimes(2);
		expect(throttle.limited).toBe(1);
	});

	it('holds back every other call until the Retry-After has passed', async () => {
		const time = fakeTime();
		const throttle = new Throttle(time.sleep, time.now, () => 0);
		const first = throttle.run(scripted(limited(1000), 'a'));
		await settle();
		time.advance(300);
		const other = scripted('b');
		const second = throttle.run(other);
		await settle();
		// Not sent: it waits for what is left of the second the Hub asked for.
		expect(other).not.toHaveBeenCalled();
		expect(time.waits()).toEqual([1000, 700]);
		time.wakeOldest();
		time.sleeps.shift()!.wake();
		await expect(Promise.all([first, second])).resolves.toEqual(['a', 'b']);
		expect(other).toHaveBeenCalledTimes(1);
	});

	it('spreads woken calls by up to 200 ms of jitter', async () => {
		const time = fakeTime();
		const throttle = new Throttle(time.sleep, time.now, () => 0.5);
		const result = throttle.run(scripted(limited(1000), 'ok'));
		await settle();
		expect(time.waits()).toEqual([1100]);
		time.wakeOldest();
		await expect(result).resolves.toBe('ok');
	});

	it('backs off 250 ms, doubling, when the Hub names no Retry-After', async () => {
		const time = fakeTime();
		const throttle = new Throttle(time.sleep, time.now, () => 0);
		const result = throttle.run(scripted(limited(), limited(), limited(), 'ok'));
		for (const expected of [250, 500, 1000]) {
			await settle();
			expect(time.waits()).toEqual([expected]);
			time.wakeOldest();
		}
		await expect(result).resolves.toBe('ok');
		expect(throttle.limited).toBe(3);
	});

	it('gives up once a call has been refused for two minutes', async () => {
		const time = fakeTime();
		const throttle = new Throttle(time.sleep, time.now, () => 0);
		const call = vi.fn(async () => {
			throw limited(30_000);
		});
		const result = throttle.run(call);
		result.catch(() => {});
		for (let sleeps = 0; sleeps < 5; sleeps++) {
			await settle();
			time.wakeOldest();
		}
		await expect(result).rejects.toBeInstanceOf(RateLimitedError);
		// Refused at 0, 30, 60, 90, 120 and 150 s: the first refusal past two minutes is final.
		expect(call).toHaveBeenCalledTimes(6);
		expect(time.sleeps).toEqual([]);
	});

	it.each([
		[86_400_000, '24 h'],
		[1e15, '11574074 days'],
	])(
		'does not wait out a Retry-After longer than two minutes (%d ms): fails at once, saying how long',
		async (retryAfterMs, asked) => {
			const time = fakeTime();
			const throttle = new Throttle(time.sleep, time.now, () => 0);
			const call = scripted(limited(retryAfterMs), 'created');
			const result = throttle.run(call).catch((caught: unknown) => caught);
			await settle();
			expect(time.waits()).toEqual([]);
			expect(call).toHaveBeenCalledTimes(1);
			const error = await result;
			expect(error).toBeInstanceOf(RateLimitedError);
			expect((error as Error).message).toBe(
				`create session: HTTP 429: rate limited by the Hub, which asks to wait ${asked}: longer than the 120 s coder-sessions waits out a rate limit; run again later`
			);
			// Nor does the next call wait for it.
			await expect(throttle.run(scripted('listed'))).resolves.toBe('listed');
		}
	);

	it('backs off as without a Retry-After when the Hub asks for none (0, or a date passed)', async () => {
		const time = fakeTime();
		const throttle = new Throttle(time.sleep, time.now, () => 0);
		const result = throttle.run(scripted(limited(0), limited(0), limited(0), 'ok'));
		for (const wait of [250, 500, 1000]) {
			await settle();
			expect(time.waits()).toEqual([wait]);
			time.wakeOldest();
		}
		await expect(result).resolves.toBe('ok');
	});

	it('passes any other error straight through, without waiting', async () => {
		const time = fakeTime();
		const throttle = new Throttle(time.sleep, time.now, () => 0);
		await expect(throttle.run(scripted(new HubError('HTTP 500')))).rejects.toThrow('HTTP 500');
		expect(time.waits()).toEqual([]);
	});
});

describe('Retry-After from the Hub', () => {
	it('a date is read against the Date of the same answer, hours ahead of ours or behind', () => {
		for (const skewMs of [3 * 3_600_000, -3 * 3_600_000, 0]) {
			const hubNow = Date.parse('2026-06-01T12:00:00Z') + skewMs;
			const retryAt = new Date(hubNow + 30_000).toUTCString();
			expect(parseRetryAfter(retryAt, new Date(hubNow).toUTCString())).toBe(30_000);
		}
		// Without a readable Date, our clock is all there is.
		expect(parseRetryAfter(new Date(Date.now() - 60_000).toUTCString(), 'garbage')).toBe(0);
		expect(parseRetryAfter('7', 'garbage')).toBe(7000);
	});

	it("reaches the throttle as the RateLimitedError's wait", async ({ onTestFinished }) => {
		const originalFetch = globalThis.fetch;
		// A frozen clock: the Hub's bucket of one request never refills.
		const clock = vi.spyOn(performance, 'now').mockReturnValue(1_000);
		const hub = await startLocalHub({ port: 0, rateLimitPerSec: 1, onWarning: () => {} });
		onTestFinished(async () => {
			globalThis.fetch = originalFetch;
			clock.mockRestore();
			await hub.close();
		});
		installHubFetch();
		const client = new CoderClient({ url: hub.url, apiKey: 'test' });
		await client.listSessions();
		const refused = await client.listSessions().then(
			() => undefined,
			(error: unknown) => error
		);
		const error = toHubError(refused, 'list sessions');
		expect(error).toBeInstanceOf(RateLimitedError);
		expect((error as RateLimitedError).retryAfterMs).toBe(1000);
		expect(hub.stats()).toMatchObject({ list: 2, 'fault:429': 1 });
	});
});

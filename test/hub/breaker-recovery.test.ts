/**
 * The circuit breaker against a real local Hub on 127.0.0.1 (real fetch, real TCP probe; only
 * the clock is the test's): a Hub that stops is cut off at once, stays cut off until the pause
 * is over even once it is back, and after the pause a request goes through again.
 */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker, RETRY_TRIPPED_AFTER_MS } from '../../src/hub/breaker.js';
import { HubUnavailableError } from '../../src/hub/errors.js';
import { hubStats } from '../support/apply-helpers.js';
import { startTestHub } from '../support/local-hub.js';

describe('the circuit breaker and a local Hub that stops and comes back', () => {
	it('lets a request through again after the pause, once the Hub is back', async ({
		onTestFinished,
	}) => {
		const first = await startTestHub();
		const port = Number(new URL(first.url).port);
		let clock = 0;
		const breaker = new CircuitBreaker({ now: () => clock });
		const fetch = breaker.wrap(globalThis.fetch);
		const list = `${first.url}/api/hub/sessions?limit=1`;
		const headers = { authorization: 'Bearer test' };

		expect((await fetch(list, { headers })).status).toBe(200);
		await first.close();

		// Stopped: the refused connection trips the breaker, and later requests fail at once.
		const down = await fetch(list, { headers }).catch((error: unknown) => error);
		expect(down).toBeInstanceOf(HubUnavailableError);
		expect(String((down as Error).message)).toContain(first.url);

		const again = await startTestHub({ port });
		onTestFinished(() => again.close());
		await again.resetStats();
		// Back, but within the pause: nothing reaches it.
		await expect(fetch(list, { headers })).rejects.toBe(down);
		expect((await hubStats(again.url)).list ?? 0).toBe(0);

		clock += RETRY_TRIPPED_AFTER_MS;
		expect((await fetch(list, { headers })).status).toBe(200);
		expect((await fetch(list, { headers })).status).toBe(200);
		expect((await hubStats(again.url)).list).toBe(2);
	});

	it('a clock set back hours after it cut the Hub off does not keep it cut off for hours', async ({
		onTestFinished,
	}) => {
		const first = await startTestHub();
		const port = Number(new URL(first.url).port);
		let clock = 10 * 3_600_000;
		const breaker = new CircuitBreaker({ now: () => clock });
		const fetch = breaker.wrap(globalThis.fetch);
		const list = `${first.url}/api/hub/sessions?limit=1`;
		const headers = { authorization: 'Bearer test' };
		expect((await fetch(list, { headers })).status).toBe(200);
		await first.close();
		expect(await fetch(list, { headers }).catch((error: unknown) => error)).toBeInstanceOf(
			HubUnavailableError
		);

		const again = await startTestHub({ port });
		onTestFinished(() => again.close());
		clock -= 3 * 3_600_000;
		expect((await fetch(list, { headers })).status).toBe(200);
	});
});

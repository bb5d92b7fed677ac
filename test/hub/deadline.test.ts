/** Each Hub's request deadline is its own, even with several Hubs in one process. */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/hub/breaker.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../../src/hub/deadline.js';

/** A fetch that never answers: each request stays in flight, showing its deadline. */
const silent = (() => new Promise<Response>(() => {})) as unknown as typeof globalThis.fetch;

function deadlineOf(breaker: CircuitBreaker, url: string): number | undefined {
	void breaker
		.wrap(silent)(url)
		.catch(() => {});
	return breaker.oldestWaiting()?.timeoutMs;
}

describe('request deadlines per Hub', () => {
	it("a request gets its own Hub's deadline, and a Hub without one the default", () => {
		const breaker = new CircuitBreaker({ now: () => 0 });
		breaker.setRequestTimeout(120_000, 'http://127.0.0.1:4100');
		breaker.setRequestTimeout(2_000, 'http://127.0.0.1:4200/');
		expect(deadlineOf(new CircuitBreaker(), 'http://127.0.0.1:4300/api/hub/sessions')).toBe(
			DEFAULT_REQUEST_TIMEOUT_MS
		);
		expect(deadlineOf(breaker, 'http://127.0.0.1:4100/api/hub/sessions')).toBe(120_000);
		const other = new CircuitBreaker({ now: () => 0 });
		other.setRequestTimeout(2_000, 'http://127.0.0.1:4200/');
		other.setRequestTimeout(45_000);
		expect(deadlineOf(other, 'http://127.0.0.1:4200/api/hub/sessions')).toBe(2_000);
		const discovered = new CircuitBreaker({ now: () => 0 });
		discovered.setRequestTimeout(45_000);
		expect(deadlineOf(discovered, 'https://hub.example.test/api/hub/sessions')).toBe(45_000);
		expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(30_000);
	});
});

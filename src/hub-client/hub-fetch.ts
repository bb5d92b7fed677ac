/**
 * The SDK calls the global fetch; this one wrapper around it, installed once per process, is
 * where the Hub's circuit breaker and the Retry-After capture see every request.
 */
import { CircuitBreaker, urlOf } from './breaker.js';
import { noteRetryAfter } from './retry-after.js';

export const breaker = new CircuitBreaker();
let installed = false;

export function installHubFetch(): void {
	if (installed) return;
	installed = true;
	const guarded = breaker.wrap(globalThis.fetch);
	globalThis.fetch = async (input, init) => {
		const response = await guarded(input, init);
		noteRetryAfter(urlOf(input), response);
		return response;
	};
}

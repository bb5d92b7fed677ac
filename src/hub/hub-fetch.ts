/**
 * The SDK calls the global fetch; this one wrapper around it, installed once per process, is
 * where the Hub's circuit breaker, the Retry-After capture and the `--verbose` call log see every
 * request.
 */
import { CircuitBreaker, urlOf } from './breaker.js';
import { withCallLog } from './call-log.js';
import { noteRetryAfter } from './retry-after.js';

export const breaker = new CircuitBreaker();
let installed = false;

export function installHubFetch(): void {
	if (installed) return;
	installed = true;
	// The call log sits under the breaker: it sees each request that goes out, retries included.
	const guarded = breaker.wrap(withCallLog(globalThis.fetch));
	globalThis.fetch = async (input, init) => {
		const response = await guarded(input, init);
		noteRetryAfter(urlOf(input), response);
		return response;
	};
}

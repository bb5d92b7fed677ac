/**
 * Every Hub request has a deadline. A Hub that accepts connections but answers nothing (a
 * stopped process, a black-holed load balancer, a stuck proxy) would otherwise hold a run for as
 * long as it hangs. The deadline of the requests a call sends is the one its Hub was opened with;
 * it travels with the call (AsyncLocalStorage), since the SDK calls the global fetch.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** How long one request may go unanswered, by default (`--request-timeout`). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

const current = new AsyncLocalStorage<number>();

/** Runs `call` with `timeoutMs` as the deadline of every Hub request it sends. */
export function withRequestTimeout<T>(timeoutMs: number, call: () => T): T {
	return current.run(timeoutMs, call);
}

/** The deadline of a request sent now. */
export function requestTimeout(): number {
	return current.getStore() ?? DEFAULT_REQUEST_TIMEOUT_MS;
}

/**
 * `target` whose every method runs with `timeoutMs` as its requests' deadline (the SDK client:
 * its methods send the requests).
 */
export function withDeadlines<T extends object>(target: T, timeoutMs: number): T {
	return new Proxy(target, {
		get(object, name) {
			const value: unknown = Reflect.get(object, name, object);
			if (typeof value !== 'function') return value;
			return (...args: unknown[]) =>
				withRequestTimeout(timeoutMs, () =>
					(value as (...a: unknown[]) => unknown).apply(object, args)
				);
		},
	});
}

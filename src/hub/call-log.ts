/**
 * One line per Hub request for `--verbose`: method, path, status and milliseconds. Never a
 * body, a header or a query value that could carry a secret (a search term, a token): query
 * parameters are named, and only the paging ones show their value.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { describeNetworkFailure, isAbort } from './network-failure.js';

type Fetch = typeof globalThis.fetch;
export type CallLogSink = (line: string) => void;

/** Query parameters whose values are paging numbers and flags, never user data. */
const SHOWN_QUERY_VALUES = new Set(['limit', 'offset', 'includeArchived']);

// Per call chain, not per process: commands run side by side in one process (tests, a library
// user's script) each log only their own requests.
const sinks = new AsyncLocalStorage<CallLogSink>();

/** Runs `body`; every Hub request it makes (and what it starts) is described to `to`. */
export function logHubCalls<T>(to: CallLogSink, body: () => Promise<T>): Promise<T> {
	return sinks.run(to, body);
}

/** One line for the current call chain's log, when one is kept (`--verbose`). */
export function noteToCallLog(line: string): void {
	sinks.getStore()?.(line);
}

/** Wraps fetch so each request it sends is described to the sink, when one is set. */
export function withCallLog(fetch: Fetch, now: () => number = () => performance.now()): Fetch {
	return async (input, init) => {
		const log = sinks.getStore();
		if (!log) return fetch(input, init);
		const request = describeRequest(input, init);
		const started = now();
		const elapsed = () => `${Math.round(now() - started)}ms`;
		try {
			const response = await fetch(input, init);
			log(`hub: ${request} ${response.status} ${elapsed()}`);
			return response;
		} catch (error) {
			const outcome = isAbort(error) ? 'aborted' : describeNetworkFailure(error).reason;
			log(`hub: ${request} failed (${outcome}) ${elapsed()}`);
			throw error;
		}
	};
}

/** `GET /coder/sessions?limit=100&offset=0&search=…`: the method and path, values hidden. */
export function describeRequest(input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]): string {
	const method = (
		init?.method ??
		(input instanceof Request ? input.method : undefined) ??
		'GET'
	).toUpperCase();
	const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
	let url: URL;
	try {
		url = new URL(href);
	} catch {
		return `${method} (unparsable URL)`;
	}
	const query = [...url.searchParams.keys()].map((name) =>
		SHOWN_QUERY_VALUES.has(name) ? `${name}=${url.searchParams.get(name)}` : `${name}=…`
	);
	return `${method} ${url.pathname}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

/**
 * A circuit breaker per origin, inside fetch. Left alone, the SDK answers a dead Hub with ~30 s
 * of retries per request (a refused connection becomes a synthetic 503, and 503s are retried for
 * 30 s), and an apply makes hundreds of requests. Here:
 * - a network failure on an origin that never answered fails at once (a wrong URL, no network);
 * - a network failure on an origin that answered before is checked with one TCP connect: refused
 *   or unreachable trips the breaker, while a reset from a Hub that still accepts connections is
 *   left to the SDK, which sends the request again;
 * - 502/503 answers (or such resets) with no other answer in between for the SDK's whole window
 *   trip it too (a gateway in front of a dead Hub).
 * Once tripped, every request to the origin throws at once an error the SDK does not retry; a
 * few seconds later one request is let through to see whether the Hub is back.
 */
import { HubUnavailableError } from './errors.js';
import { describeNetworkFailure, isAbort } from './network-failure.js';
import { probeConnection } from './reachable.js';

type Fetch = typeof globalThis.fetch;

/** How long the SDK keeps retrying 502/503 for one request (its serviceUnavailableTimeoutMs). */
export const SDK_UNAVAILABLE_WINDOW_MS = 30_000;
/** A tripped origin is tried again after this long (`status --watch` outlives a Hub restart). */
export const RETRY_TRIPPED_AFTER_MS = 5_000;

export interface BreakerOptions {
	/** Why a TCP connect to the URL's host fails, or undefined when it connects. */
	readonly probe?: (url: string) => Promise<string | undefined>;
	readonly now?: () => number;
}

interface OriginState {
	answered: boolean;
	/** Start of a run of 502/503 answers and retried resets, with no other answer since. */
	failingSince?: number;
	tripped?: { readonly error: HubUnavailableError; at: number; trying?: boolean };
	probing?: Promise<string | undefined>;
	/** The message for this origin's failures, when it is not a Hub (the discovery endpoint). */
	describe?: (reason: string) => string;
}

export class CircuitBreaker {
	private readonly origins = new Map<string, OriginState>();
	private readonly probe: (url: string) => Promise<string | undefined>;
	private readonly now: () => number;

	constructor(options: BreakerOptions = {}) {
		this.probe = options.probe ?? ((url) => probeConnection(url));
		this.now = options.now ?? Date.now;
	}

	/** Failures of requests to this URL's origin are described by `describe(reason)`. */
	name(url: string, describe: (reason: string) => string): void {
		this.stateOf(new URL(url).origin).describe = describe;
	}

	wrap(fetch: Fetch): Fetch {
		return async (input, init) => {
			const url = urlOf(input);
			const origin = originOf(url);
			if (!origin) return fetch(input, init);
			const state = this.stateOf(origin);
			if (state.tripped) return this.trial(state, fetch, input, init);
			let response: Response;
			try {
				response = await fetch(input, init);
			} catch (error) {
				throw await this.failed(origin, state, url, error);
			}
			this.answered(origin, state, response.status);
			return response;
		};
	}

	/**
	 * While tripped, requests fail at once; after a pause one request is let through: a real
	 * answer closes the breaker, anything else keeps it open for another pause.
	 */
	private async trial(
		state: OriginState,
		fetch: Fetch,
		...args: Parameters<Fetch>
	): Promise<Response> {
		const tripped = state.tripped!;
		if (tripped.trying || this.now() - tripped.at < RETRY_TRIPPED_AFTER_MS) throw tripped.error;
		tripped.trying = true;
		try {
			const response = await fetch(...args);
			if (response.status !== 502 && response.status !== 503) {
				state.tripped = undefined;
				state.failingSince = undefined;
				return response;
			}
		} catch (error) {
			if (isAbort(error)) throw error;
		} finally {
			tripped.trying = false;
		}
		tripped.at = this.now();
		throw tripped.error;
	}

	private stateOf(origin: string): OriginState {
		let state = this.origins.get(origin);
		if (!state) {
			state = { answered: false };
			this.origins.set(origin, state);
		}
		return state;
	}

	/** What to throw for a request that failed on the network. */
	private async failed(
		origin: string,
		state: OriginState,
		url: string,
		error: unknown
	): Promise<unknown> {
		if (isAbort(error)) return error;
		if (state.tripped) return state.tripped.error;
		const failure = describeNetworkFailure(error);
		if (!state.answered) {
			const message = state.describe
				? state.describe(failure.reason)
				: failure.notTls
					? `the Hub at ${origin} does not speak TLS: is it ${origin.replace(/^https:/, 'http:')}?`
					: `cannot reach the Hub at ${origin} (${failure.reason})`;
			return this.trip(state, new HubUnavailableError(message, origin, failure.reason));
		}
		const down = await this.probeOnce(state, url);
		if (down) return this.trip(state, this.stopped(origin, state, down));
		// Still accepting connections: the SDK sends the request again, within its window.
		return this.stillFailing(origin, state, failure.reason) ?? error;
	}

	private answered(origin: string, state: OriginState, status: number): void {
		state.answered = true;
		if (status === 502 || status === 503) this.stillFailing(origin, state, `HTTP ${status}`);
		else state.failingSince = undefined;
	}

	/** Trips (and returns the error) once the run of failures has lasted the SDK's window. */
	private stillFailing(
		origin: string,
		state: OriginState,
		reason: string
	): HubUnavailableError | undefined {
		state.failingSince ??= this.now();
		if (this.now() - state.failingSince < SDK_UNAVAILABLE_WINDOW_MS) return undefined;
		const seconds = SDK_UNAVAILABLE_WINDOW_MS / 1000;
		return this.trip(
			state,
			this.stopped(origin, state, `${reason} for ${seconds} s, no other answer`)
		);
	}

	private stopped(origin: string, state: OriginState, reason: string): HubUnavailableError {
		const message = state.describe
			? state.describe(reason)
			: `the Hub at ${origin} stopped answering (${reason})`;
		return new HubUnavailableError(message, origin, reason);
	}

	private trip(state: OriginState, error: HubUnavailableError): HubUnavailableError {
		state.tripped ??= { error, at: this.now() };
		return state.tripped.error;
	}

	/** One TCP connect at a time per origin; concurrent failures share its answer. */
	private probeOnce(state: OriginState, url: string): Promise<string | undefined> {
		state.probing ??= this.probe(url).finally(() => {
			state.probing = undefined;
		});
		return state.probing;
	}
}

export function urlOf(input: Parameters<Fetch>[0]): string {
	if (typeof input === 'string') return input;
	return input instanceof URL ? input.href : input.url;
}

function originOf(url: string): string | undefined {
	try {
		const { protocol, origin } = new URL(url);
		return protocol === 'http:' || protocol === 'https:' ? origin : undefined;
	} catch {
		return undefined;
	}
}

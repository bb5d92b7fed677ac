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
 * - a request unanswered past its deadline (deadline.ts) trips it at once, and ends the
 *   origin's other requests in flight: a Hub that accepts connections but answers nothing is as
 *   gone as one that refuses them, and every request to it would wait out its own deadline.
 * - an answer answer-policy.ts refuses (too large, an HTML page, a redirect elsewhere) trips it
 *   at once: every other request would meet the same proxy or gateway.
 * Once tripped, every request to the origin throws at once an error the SDK does not retry; a
 * few seconds later one request is let through to see whether the Hub is back.
 */
import { MAX_ANSWER_BYTES, isHtmlPage, judgeRedirect, mib, readCapped } from './answer-policy.js';
import { describeRequest } from './call-log.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './deadline.js';
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
	/** The deadline of a request to `origin` sent now, in ms (default: `setRequestTimeout`'s). */
	readonly timeoutMs?: (origin: string) => number;
	/** The proxy requests to the URL go through (`the proxy in HTTP_PROXY (…)`), if any. */
	readonly via?: (url: string) => string | undefined;
}

/** A request on its way: the origin it went to, and the controller of its deadline. */
interface Sent {
	readonly origin: string;
	readonly state: OriginState;
	readonly controller: AbortController;
}

/** Failures after the headers arrived: the answer was cut, not the connection refused. */
const brokenOff = new WeakSet<object>();

/**
 * The abort reason of a request that outlived its deadline, as the call log (which sits under
 * the breaker and sees the bare reason) describes its failure.
 */
function deadlinePassed(timeoutMs: number): Error {
	return new Error(`no answer within ${secondsOf(timeoutMs)} s`);
}

function secondsOf(ms: number): number {
	return Math.round(ms / 100) / 10;
}

interface OriginState {
	answered: boolean;
	/** Start of a run of 502/503 answers and retried resets, with no other answer since. */
	failingSince?: number;
	tripped?: { readonly error: HubUnavailableError; at: number; trying?: boolean };
	probing?: Promise<string | undefined>;
	/** The message for this origin's failures, when it is not a Hub (the discovery endpoint). */
	describe?: (reason: string) => string;
	/** Requests sent and not yet answered in full: when they were sent, and their deadline. */
	readonly inFlight: Map<AbortController, { readonly sentAt: number; readonly timeoutMs: number }>;
}

/** The oldest request still waiting for an answer, for a terminal to show. */
export interface Waiting {
	readonly origin: string;
	readonly sinceMs: number;
	readonly timeoutMs: number;
}

export class CircuitBreaker {
	private readonly origins = new Map<string, OriginState>();
	private readonly probe: (url: string) => Promise<string | undefined>;
	private readonly now: () => number;
	private readonly timeoutMs: (origin: string) => number;
	private readonly via: (url: string) => string | undefined;
	private readonly deadlines = new Map<string, number>();
	private defaultTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS;

	constructor(options: BreakerOptions = {}) {
		this.probe = options.probe ?? ((url) => probeConnection(url));
		this.now = options.now ?? (() => performance.now());
		this.timeoutMs =
			options.timeoutMs ?? ((origin) => this.deadlines.get(origin) ?? this.defaultTimeoutMs);
		this.via = options.via ?? (() => undefined);
	}

	/**
	 * `the Hub at ORIGIN`, naming the proxy its requests go through: what answered (a block page,
	 * a 502, nothing) may well be the proxy's. A network failure there already names it.
	 */
	private hubAt(origin: string): string {
		const proxy = this.via(origin);
		return proxy ? `the Hub at ${origin}, reached through ${proxy},` : `the Hub at ${origin}`;
	}

	/**
	 * Requests to `url`'s origin get `ms` as their deadline; without a url (a Hub discovered from
	 * its region, whose address is not known yet), every origin that has none of its own does.
	 */
	setRequestTimeout(ms: number, url?: string): void {
		if (url) this.deadlines.set(new URL(url).origin, ms);
		else this.defaultTimeoutMs = ms;
	}

	/** The request that has waited longest for an answer, if any is in flight. */
	oldestWaiting(): Waiting | undefined {
		let oldest: { origin: string; sentAt: number; timeoutMs: number } | undefined;
		for (const [origin, state] of this.origins) {
			for (const request of state.inFlight.values()) {
				if (!oldest || request.sentAt < oldest.sentAt) oldest = { origin, ...request };
			}
		}
		if (!oldest) return undefined;
		return {
			origin: oldest.origin,
			sinceMs: this.now() - oldest.sentAt,
			timeoutMs: oldest.timeoutMs,
		};
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
			if (state.tripped) return this.trial(origin, state, fetch, input, init);
			let response: Response;
			try {
				response = await this.send(origin, state, fetch, input, init);
			} catch (error) {
				throw await this.failed(origin, state, url, error);
			}
			// The answer that ends the window is not handed on: the SDK would give up on it with
			// an HTTP 503 of one request, where every other way the Hub stops answering says so.
			const stopped = this.answered(origin, state, response.status);
			if (stopped) throw stopped;
			return response;
		};
	}

	/**
	 * One request under its deadline, answered in full: the body is read within the same
	 * deadline (a Hub can stall after the headers) and size (answer-policy.ts), except an event
	 * stream, which never ends.
	 */
	private async send(
		origin: string,
		state: OriginState,
		fetch: Fetch,
		input: Parameters<Fetch>[0],
		init: Parameters<Fetch>[1]
	): Promise<Response> {
		const timeoutMs = this.timeoutMs(origin);
		const controller = new AbortController();
		const timer = setTimeout(() => controller.abort(deadlinePassed(timeoutMs)), timeoutMs);
		// The request itself keeps the process alive while it waits; its deadline need not.
		timer.unref();
		state.inFlight.set(controller, { sentAt: this.now(), timeoutMs });
		const signal = init?.signal
			? AbortSignal.any([init.signal, controller.signal])
			: controller.signal;
		let headersArrived = false;
		try {
			const sent = { origin, state, controller };
			const response = await this.following(sent, fetch, input, { ...init, signal });
			headersArrived = true;
			if (response.headers.get('content-type')?.includes('text/event-stream')) return response;
			if (isHtmlPage(response)) {
				await response.body?.cancel().catch(() => undefined);
				throw this.refuse(
					sent,
					`answered ${describeRequest(input, init)} with an HTML page (HTTP ${response.status}), not the Hub's API: is a proxy or a sign-in page in the way?`
				);
			}
			const body = await readCapped(response);
			if (!body) {
				throw this.refuse(
					sent,
					`sent more than ${mib(MAX_ANSWER_BYTES)} in answer to ${describeRequest(input, init)} (the most one answer may hold)`
				);
			}
			return new Response(body.byteLength > 0 && !NO_BODY.has(response.status) ? body : null, {
				status: response.status,
				statusText: response.statusText,
				headers: response.headers,
			});
		} catch (error) {
			if (error instanceof HubUnavailableError) throw error;
			if (controller.signal.aborted) {
				throw this.deadlineError(origin, state, controller, timeoutMs, headersArrived);
			}
			if (headersArrived && typeof error === 'object' && error) brokenOff.add(error);
			throw error;
		} finally {
			clearTimeout(timer);
			state.inFlight.delete(controller);
		}
	}

	/** Sends the request, following only the redirects answer-policy.ts allows. */
	private async following(
		sent: Sent,
		fetch: Fetch,
		input: Parameters<Fetch>[0],
		init: NonNullable<Parameters<Fetch>[1]>
	): Promise<Response> {
		const method = (
			init.method ??
			(input instanceof Request ? input.method : undefined) ??
			'GET'
		).toUpperCase();
		let url = new URL(urlOf(input));
		let request = input;
		for (let hops = 0; ; hops += 1) {
			const response = await fetch(request, { ...init, redirect: 'manual' });
			const verdict = judgeRedirect(response, url, method, hops);
			if ('answer' in verdict) return response;
			await response.body?.cancel().catch(() => undefined);
			if ('refuse' in verdict) throw this.refuse(sent, verdict.refuse);
			url = verdict.follow;
			request = input instanceof Request ? new Request(url, input) : url.href;
		}
	}

	/**
	 * An answer no request to this origin should be given: the origin trips, and its other
	 * requests in flight end with the same error, now.
	 */
	private refuse({ origin, state, controller }: Sent, reason: string): HubUnavailableError {
		const message = state.describe ? state.describe(reason) : `${this.hubAt(origin)} ${reason}`;
		const error = this.trip(state, new HubUnavailableError(message, origin, reason, true));
		for (const other of state.inFlight.keys()) if (other !== controller) other.abort(error);
		return error;
	}

	/**
	 * A request past its deadline trips the origin; the origin's other requests in flight end
	 * with the same error, now: they wait on the same silent Hub.
	 */
	private deadlineError(
		origin: string,
		state: OriginState,
		controller: AbortController,
		timeoutMs: number,
		headersArrived: boolean
	): HubUnavailableError {
		const reason: unknown = controller.signal.reason;
		if (reason instanceof HubUnavailableError) return reason;
		const seconds = secondsOf(timeoutMs);
		const what = headersArrived
			? `answer unfinished after ${seconds} s`
			: `no answer within ${seconds} s`;
		const error = this.trip(state, this.stopped(origin, state, what));
		for (const other of state.inFlight.keys()) if (other !== controller) other.abort(error);
		return error;
	}

	/**
	 * While tripped, requests fail at once; after a pause one request is let through: a real
	 * answer closes the breaker, anything else keeps it open for another pause.
	 */
	private async trial(
		origin: string,
		state: OriginState,
		fetch: Fetch,
		...args: Parameters<Fetch>
	): Promise<Response> {
		const tripped = state.tripped!;
		// A clock that went back since the trip counts as the pause over, not as hours to come.
		const since = this.now() - tripped.at;
		if (tripped.trying || (since >= 0 && since < RETRY_TRIPPED_AFTER_MS)) throw tripped.error;
		tripped.trying = true;
		try {
			const response = await this.send(origin, state, fetch, ...args);
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
			state = { answered: false, inFlight: new Map() };
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
					: brokenOff.has(error as object)
						? `${this.hubAt(origin)} broke off its answer (${failure.reason})`
						: `cannot reach the Hub at ${origin} (${failure.reason})`;
			return this.trip(state, new HubUnavailableError(message, origin, failure.reason));
		}
		const down = await this.probeOnce(state, url);
		if (down) return this.trip(state, this.stopped(origin, state, down));
		// Still accepting connections: the SDK sends the request again, within its window.
		return this.stillFailing(origin, state, failure.reason) ?? error;
	}

	/** Undefined, or the error of the breaker this answer tripped. */
	private answered(
		origin: string,
		state: OriginState,
		status: number
	): HubUnavailableError | undefined {
		state.answered = true;
		if (status === 502 || status === 503) return this.stillFailing(origin, state, `HTTP ${status}`);
		state.failingSince = undefined;
		return undefined;
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
			: `${this.hubAt(origin)} stopped answering (${reason})`;
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

/** Statuses whose response cannot carry a body. */
const NO_BODY = new Set([101, 204, 205, 304]);

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

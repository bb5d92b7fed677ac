/** Turns what the SDK throws into our own errors, with a message a person can act on. */
import { HubError, SessionGoneError } from '../core/errors.js';
import { redact } from '../core/secrets/redact.js';
import { inlineText } from '../core/untrusted/text.js';
import { proxyName, proxyTakenBy } from './proxy.js';
import { takeRetryAfter } from './retry-after.js';

interface SdkError {
	readonly _tag?: string;
	readonly status?: number;
	readonly message?: string;
	readonly url?: string;
}

/** HTTP 429: nothing was done; the Hub asks to wait `retryAfterMs` (when it said). */
export class RateLimitedError extends HubError {
	override readonly name: string = 'RateLimitedError';
	constructor(
		message: string,
		readonly retryAfterMs: number | undefined
	) {
		super(message, 429);
	}
}

/** A create whose outcome is unknown: the session may or may not exist now. */
export class OutcomeUnknownError extends HubError {
	override readonly name: string = 'OutcomeUnknownError';
}

/**
 * The Hub stopped answering, or never did: every further request to it fails at once (see
 * breaker.ts). `origin` names the Hub, `reason` what went wrong (e.g. "connection refused").
 * `answerRefused`: something did answer, with what answer-policy.ts refuses (an HTML page, an
 * answer too large, a redirect); the fix is then the proxy or the URL, not waiting.
 */
export class HubUnavailableError extends HubError {
	override readonly name: string = 'HubUnavailableError';
	constructor(
		message: string,
		readonly origin: string,
		readonly reason: string,
		readonly answerRefused = false
	) {
		super(message);
	}
}

/** What became of a write in flight when `error` ended the run: it may or may not have happened. */
export function inFlightWhen(error: HubUnavailableError): string {
	return error.answerRefused ? 'its answer was not accepted' : 'the Hub stopped answering';
}

/** The breaker's error, wherever the SDK wrapped it (it becomes the `cause` of an APIError). */
export function unavailableCause(error: unknown): HubUnavailableError | undefined {
	for (let current = error, depth = 0; current && depth < 5; depth += 1) {
		if (current instanceof HubUnavailableError) return current;
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** HTTP 409 on the GitHub routes (no Agentuity OAuth login), or `connected: false`. */
export class GitHubNotConnectedError extends HubError {
	override readonly name: string = 'GitHubNotConnectedError';
	constructor() {
		super(
			'the Hub has no GitHub connection for this org: log in with GitHub in Agentuity, or pass --no-repo-check',
			409
		);
	}
}

export function statusOf(error: unknown): number | undefined {
	const candidate = error as SdkError | undefined;
	return candidate?._tag === 'APIErrorResponse' && typeof candidate.status === 'number'
		? candidate.status
		: undefined;
}

/** What to check on a 401 or 403, naming the variable the key was read from. */
function accessHint(status: number, keyVariable: string): string | undefined {
	if (status === 401) return ` (check the API key in ${keyVariable})`;
	if (status === 403) return ` (check that the API key may use this org: ${keyVariable}, --org)`;
	return undefined;
}

/**
 * Lists are read first and exist on every Hub: a 404 there means the URL leads to something
 * else (another service on that port, a path before /api).
 */
function noHubApiAt(error: unknown): string {
	const where = requestPath((error as SdkError | undefined)?.url);
	return ` (no Hub API${where}: give the Hub's root URL with --url or AGENTUITY_CODER_URL)`;
}

/** ` at ORIGIN/PATH` of a request URL, its query left out (a search may name a key). */
function requestPath(url: string | undefined): string {
	try {
		const { origin, pathname } = new URL(url ?? '');
		return ` at ${origin}${pathname}`;
	} catch {
		return '';
	}
}

/** Characters of what the Hub (or a gateway before it) said in an error that a message keeps. */
export const ECHO_LIMIT = 300;

/**
 * The text of a Hub's error, which may echo the request (env values, the Authorization header):
 * redacted first, then on one line with hidden characters escaped, then shortened to
 * ECHO_LIMIT characters, so a cut never leaves part of a secret to be seen.
 */
export function echoedText(text: string): string {
	const chars = [...inlineText(redact(text))];
	if (chars.length <= ECHO_LIMIT) return chars.join('');
	const rest = chars.length - ECHO_LIMIT;
	return `${chars.slice(0, ECHO_LIMIT).join('')}… (${rest} more characters)`;
}

/** A 401 when no key was sent at all: the fix is to set one, not to check it. */
const NO_KEY_HINT = ' (no API key was sent: set AGENTUITY_SDK_KEY)';

/**
 * `what` names the operation, e.g. `get session codesess_1`; `keyless`, that the client has no API
 * key to send; `keyVariable`, the environment variable the key it sends was read from.
 */
export function toHubError(
	error: unknown,
	what: string,
	sessionId?: string,
	keyless = false,
	keyVariable = 'AGENTUITY_SDK_KEY'
): HubError {
	if (error instanceof HubError) return error;
	const unavailable = unavailableCause(error);
	if (unavailable) return unavailable;
	const tag = (error as SdkError | undefined)?._tag;
	const status = statusOf(error);
	if (status === 404 && sessionId) return new SessionGoneError(sessionId);
	if (status === 429) {
		const url = (error as SdkError).url;
		return new RateLimitedError(`${what}: HTTP 429: rate limited by the Hub`, takeRetryAfter(url));
	}
	if (tag === 'ValidationInputError')
		return new HubError(`${what}: the SDK rejected the request before sending it`);
	if (tag === 'ValidationOutputError') {
		return new HubError(`${what}: the Hub answered with a shape the SDK does not accept`);
	}
	// The SDK parses a body labelled JSON as it comes: a proxy's page under that label fails there.
	if (error instanceof SyntaxError) {
		return new HubError(`${what}: the Hub's answer is not JSON (is a proxy in the way?)`);
	}
	const message = echoedText((error as SdkError | undefined)?.message ?? String(error));
	if (status === undefined || status === 0) return new HubError(`${what}: ${message}`);
	const hint =
		status === 401 && keyless
			? NO_KEY_HINT
			: (accessHint(status, keyVariable) ??
				(status === 404 && what.startsWith('list ') ? noHubApiAt(error) : ''));
	// What answered may be the proxy itself (its gateway timeout, its refusal): say it was there.
	const url = (error as SdkError | undefined)?.url;
	const proxy = url ? proxyTakenBy(url) : undefined;
	const via = proxy ? ` through ${proxyName(proxy)}` : '';
	return new HubError(`${what}: HTTP ${status}${via}: ${message}${hint}`, status);
}

/**
 * After the SDK's own retries, a 5xx or a broken connection leaves a write's outcome unknown.
 * A Hub that stopped answering is reported as such instead: nothing more can be learned from it.
 */
export function isOutcomeUnknown(error: unknown): boolean {
	if (error instanceof HubError || unavailableCause(error)) return false;
	// The SDK refused the body before sending it: nothing reached the Hub.
	if ((error as SdkError | undefined)?._tag === 'ValidationInputError') return false;
	const status = statusOf(error);
	return status === undefined || status === 0 || status >= 500;
}

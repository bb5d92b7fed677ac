/**
 * Where the Hub is and who we are, from flags and the SDK's own environment variables.
 * Without any of them we fail at once: the SDK alone would retry discovery for ~30 seconds.
 */
import { UserError } from '../core/errors.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './deadline.js';

export interface HubFlags {
	readonly local?: boolean;
	readonly url?: string;
	readonly org?: string;
	readonly region?: string;
	/** Seconds one request may go unanswered (`--request-timeout`; a number or its text). */
	readonly requestTimeout?: number | string;
}

export interface HubConnection {
	readonly url?: string;
	readonly apiKey?: string;
	readonly orgId?: string;
	readonly region?: string;
	/** How long one request may go unanswered before the Hub counts as stopped. */
	readonly requestTimeoutMs?: number;
}

/** The longest deadline a request can be given, in seconds (an hour). */
const MAX_REQUEST_TIMEOUT_S = 3600;

export function resolveConnection(flags: HubFlags, env: NodeJS.ProcessEnv): HubConnection {
	const url = flags.url ?? nonEmpty(env.AGENTUITY_CODER_URL);
	const apiKey = nonEmpty(env.AGENTUITY_SDK_KEY) ?? nonEmpty(env.AGENTUITY_CLI_KEY);
	const region = flags.region ?? nonEmpty(env.AGENTUITY_REGION);
	if (!url && !apiKey) {
		throw new UserError(
			"no Hub to talk to. Set AGENTUITY_SDK_KEY to reach your org's Hub (AGENTUITY_REGION or --region " +
				'picks the region, --org the organization), or name a Hub with AGENTUITY_CODER_URL or --url, ' +
				'or pass --local to use the embedded local Hub.'
		);
	}
	if (url) checkUrl(url);
	const requestTimeoutMs = requestTimeoutOf(flags, env);
	return { url, apiKey, orgId: flags.org, region, requestTimeoutMs };
}

/**
 * The request deadline in ms: `--request-timeout`, else CODER_SESSIONS_REQUEST_TIMEOUT, else the
 * default (30 s).
 */
export function requestTimeoutOf(flags: HubFlags, env: NodeJS.ProcessEnv): number {
	if (flags.requestTimeout !== undefined) {
		return parseSeconds('--request-timeout', String(flags.requestTimeout));
	}
	const fromEnv = nonEmpty(env.CODER_SESSIONS_REQUEST_TIMEOUT);
	if (fromEnv !== undefined) return parseSeconds('CODER_SESSIONS_REQUEST_TIMEOUT', fromEnv);
	return DEFAULT_REQUEST_TIMEOUT_MS;
}

function parseSeconds(name: string, text: string): number {
	const seconds = text.trim() === '' ? Number.NaN : Number(text);
	if (!Number.isFinite(seconds) || seconds < 0.1 || seconds > MAX_REQUEST_TIMEOUT_S) {
		throw new UserError(
			`${name}: expected a number of seconds from 0.1 to ${MAX_REQUEST_TIMEOUT_S} (got "${text}")`
		);
	}
	return Math.round(seconds * 1000);
}

function checkUrl(url: string): void {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new UserError(`invalid Hub URL "${url}": expected http(s)://host[:port]`);
	}
	if (parsed.username || parsed.password) {
		// Never quoted: the password would land in the terminal or the CI log.
		throw new UserError(
			'invalid Hub URL: it holds a user or password, which is never sent; give the URL without them (the API key goes in AGENTUITY_SDK_KEY)'
		);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new UserError(`invalid Hub URL "${url}": expected http(s)://host[:port]`);
	}
	if (/\/api\/?$/.test(parsed.pathname)) {
		throw new UserError(
			`Hub URL "${url}" ends in /api: give the Hub root, the client adds /api itself`
		);
	}
}

function nonEmpty(value: string | undefined): string | undefined {
	return value && value.trim() !== '' ? value.trim() : undefined;
}

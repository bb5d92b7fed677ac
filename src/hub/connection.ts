/**
 * Where the Hub is and who we are, from flags and the SDK's own environment variables.
 * Without any of them we fail at once: the SDK alone would retry discovery for ~30 seconds.
 */
import { isLoopbackHost } from './loopback.js';
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
	/** The variable the API key was read from, for a message about a key the Hub refused. */
	readonly apiKeyVariable?: ApiKeyVariable;
	readonly orgId?: string;
	readonly region?: string;
	/** How long one request may go unanswered before the Hub counts as stopped. */
	readonly requestTimeoutMs?: number;
}

/** The longest deadline a request can be given, in seconds (an hour). */
const MAX_REQUEST_TIMEOUT_S = 3600;

export type ApiKeyVariable = 'AGENTUITY_SDK_KEY' | 'AGENTUITY_CLI_KEY';

export function resolveConnection(flags: HubFlags, env: NodeJS.ProcessEnv): HubConnection {
	const url = hubUrlOf(flags, env);
	const { apiKey, apiKeyVariable } = apiKeyOf(env);
	// A region only matters to discovery: with a URL, AGENTUITY_REGION is left unchecked.
	const region = regionOf(flags, env, url === undefined);
	if (!url && !apiKey) {
		throw new UserError(
			"no Hub to talk to. Set AGENTUITY_SDK_KEY to reach your org's Hub (AGENTUITY_REGION or --region " +
				'picks the region, --org the organization), or name a Hub with AGENTUITY_CODER_URL or --url, ' +
				'or pass --local to use the embedded local Hub.'
		);
	}
	const requestTimeoutMs = requestTimeoutOf(flags, env);
	return { url, apiKey, apiKeyVariable, orgId: orgOf(flags), region, requestTimeoutMs };
}

const API_KEY_VARIABLES = ['AGENTUITY_SDK_KEY', 'AGENTUITY_CLI_KEY'] as const;

/**
 * The key as the SDK would send it, less the whitespace around it (a pasted secret's line
 * break). A blank variable is refused, as the SDK, given no key, reads it itself and sends a
 * blank one; so is a key with whitespace or a character outside visible ASCII inside: fetch
 * refuses it in a header, quoting the header up to its first line break in its error.
 */
function apiKeyOf(env: NodeJS.ProcessEnv): {
	apiKey?: string;
	apiKeyVariable?: ApiKeyVariable;
} {
	const apiKeyVariable = API_KEY_VARIABLES.find((name) => nonEmpty(env[name]) !== undefined);
	if (apiKeyVariable === undefined) {
		const blank = API_KEY_VARIABLES.find((name) => env[name]);
		if (blank) throw new UserError(`${blank} is blank: unset it, or set it to the API key`);
		return {};
	}
	const apiKey = nonEmpty(env[apiKeyVariable])!;
	if (!/^[\x21-\x7e]+$/.test(apiKey)) {
		throw new UserError(
			`${apiKeyVariable} holds a space, line break or a character an API key cannot have inside it: set it to the key alone`
		);
	}
	return { apiKey, apiKeyVariable };
}

/**
 * The region, a plain name: the SDK builds the discovery URL of it as text
 * (`https://catalyst-${region}.agentuity.cloud`), so `evil.example.com/#` would send the key to
 * evil.example.com.
 */
function regionOf(
	flags: HubFlags,
	env: NodeJS.ProcessEnv,
	discovered: boolean
): string | undefined {
	const [name, region] =
		flags.region !== undefined
			? ['--region', flags.region.trim()]
			: ['AGENTUITY_REGION', nonEmpty(env.AGENTUITY_REGION)];
	if (!discovered || region === undefined || /^[a-z0-9][a-z0-9-]*$/i.test(region)) return region;
	const shown = JSON.stringify(region);
	throw new UserError(
		`${name} ${shown} is not a region: expected a name of letters, digits and dashes (e.g. usc)`
	);
}

/** The org id goes in a header, which fetch refuses with a line break, as a Hub out of reach. */
function orgOf(flags: HubFlags): string | undefined {
	const org = flags.org;
	if (org === undefined || !/[\s\x00-\x1f\x7f]/.test(org)) return org;
	throw new UserError(
		`--org ${JSON.stringify(org)} is not an organization id: expected no space or line break`
	);
}

/**
 * The Hub root from --url, else AGENTUITY_CODER_URL, checked, without trailing slashes (the SDK
 * appends `/api`). A blank value is refused rather than taken as unset: the SDK, given no URL,
 * reads AGENTUITY_CODER_URL itself, unchecked.
 */
function hubUrlOf(flags: HubFlags, env: NodeJS.ProcessEnv): string | undefined {
	if (flags.url !== undefined && flags.url.trim() === '') {
		throw new UserError("--url is empty: give the Hub's root URL, or leave --url out");
	}
	const fromEnv = env.AGENTUITY_CODER_URL;
	if (flags.url === undefined && fromEnv && fromEnv.trim() === '') {
		throw new UserError("AGENTUITY_CODER_URL is blank: unset it, or set it to the Hub's root URL");
	}
	const url = flags.url?.trim() ?? nonEmpty(fromEnv);
	if (url === undefined) return undefined;
	checkUrl(url);
	return url.replace(/\/+$/, '');
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

/**
 * A Hub URL is a root: http(s), a host, maybe a path. What else a URL can hold is refused before
 * any request, and never echoed: a user name and password (fetch refuses them, naming them in its
 * error; the key belongs in AGENTUITY_SDK_KEY), a query or fragment (the SDK appends `/api` to the
 * whole text, so they would swallow the path), whitespace (the URL parser drops a line break
 * silently).
 */
function checkUrl(url: string): void {
	const shown = `Hub URL "${withoutCredentials(url)}"`;
	if (/\s/.test(url)) {
		throw new UserError(`${shown} holds a space, tab or line break: give the Hub's root URL`);
	}
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new UserError(`invalid ${shown}: expected http(s)://host[:port]`);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new UserError(`invalid ${shown}: expected http(s)://host[:port]`);
	}
	if (parsed.username !== '' || parsed.password !== '') {
		throw new UserError(
			`${shown} holds a user name or password: take them out of the URL; the Hub's API key goes in AGENTUITY_SDK_KEY`
		);
	}
	if (parsed.search !== '' || parsed.hash !== '' || /[?#]/.test(url)) {
		throw new UserError(
			`${shown} has a query or fragment: give the Hub's root URL alone; the Hub's API key goes in AGENTUITY_SDK_KEY`
		);
	}
	if (/\/api\/?$/.test(parsed.pathname)) {
		throw new UserError(`${shown} ends in /api: give the Hub root, the client adds /api itself`);
	}
}

/**
 * The URL as a message may show it: everything before its last `@` (after the scheme), and what
 * follows a `?` or `#`, become `…`. Parsed or not: a mistyped URL may hold a password too, and a
 * password may hold `/`, `?` or `#`. Line breaks and other control characters are escaped.
 */
function withoutCredentials(url: string): string {
	const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
	const rest = url.slice(scheme.length);
	const at = rest.lastIndexOf('@');
	const shown = (scheme + (at >= 0 ? `…${rest.slice(at)}` : rest)).replace(/([?#]).*$/s, '$1…');
	return JSON.stringify(shown).slice(1, -1);
}

function nonEmpty(value: string | undefined): string | undefined {
	return value && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * A warning when the API key would cross the network unencrypted: plain http to a host other
 * than this machine. kubectl does not send a bearer token over plain http at all; a Hub on a
 * trusted network (a local Hub served with --host and --token) may still be reached so, hence a
 * warning and not a refusal.
 */
export function keyInClearWarning(connection: HubConnection): string | undefined {
	const { url, apiKey, apiKeyVariable } = connection;
	if (!url || !apiKey) return undefined;
	const { protocol, hostname, host } = new URL(url);
	if (protocol !== 'http:' || isLoopbackHost(hostname)) return undefined;
	return `warning: the API key (${apiKeyVariable ?? 'AGENTUITY_SDK_KEY'}) is sent unencrypted to http://${host}: use https:// unless the network to it is trusted`;
}

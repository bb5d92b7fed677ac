/**
 * The SDK calls the global fetch; this one wrapper around it, installed once per process, is
 * where the Hub's circuit breaker, the Retry-After capture, the `--verbose` call log and the
 * proxy variables (proxy.ts) see every request.
 */
import { CircuitBreaker, urlOf } from './breaker.js';
import { noteToCallLog, withCallLog } from './call-log.js';
import { describeNetworkFailure, isAbort } from './network-failure.js';
import {
	describeRoute,
	followProxySettings,
	proxyAnswered,
	proxyFailure,
	proxyName,
	proxySettingsOf,
	proxyTakenBy,
	routeOf,
	type Proxy,
} from './proxy.js';
import { probeConnection } from './reachable.js';
import { noteRetryAfter } from './retry-after.js';

type Fetch = typeof globalThis.fetch;

/**
 * One undici dispatcher per proxy of the settings Hub requests follow now (proxy.ts holds the
 * settings, and says which proxy a request takes).
 */
interface Routing {
	readonly dispatchers: ReadonlyMap<Proxy, unknown>;
}
let routing: Routing | undefined;
/** Routings closeHubRoutes closed: their requests still in flight were ended by it. */
const closed = new WeakSet<Routing>();

/** The proxy a request to `url` takes, if any. */
function proxyFor(url: string): Proxy | undefined {
	return routing ? proxyTakenBy(url) : undefined;
}

export const breaker = new CircuitBreaker({
	// Through a proxy, the Hub's own address may be out of reach: the proxy is what must connect.
	probe: async (url) => {
		const proxy = proxyFor(url);
		if (!proxy) return probeConnection(url);
		const reason = await probeConnection(proxy.url.href);
		return reason && `via ${proxyName(proxy)}: ${reason}`;
	},
	via: (url) => {
		const proxy = proxyFor(url);
		return proxy && proxyName(proxy);
	},
});
let installed = false;

export function installHubFetch(): void {
	if (installed) return;
	installed = true;
	// The call log sits under the breaker: it sees each request that goes out, retries included.
	// Under it, the proxy: a failure there is named as the proxy's before anything describes it.
	const guarded = breaker.wrap(withCallLog(throughProxy(globalThis.fetch)));
	globalThis.fetch = async (input, init) => {
		const response = await guarded(input, init);
		noteRetryAfter(urlOf(input), response);
		return response;
	};
}

/**
 * From now on, Hub requests follow the proxy variables of `env` (none for the embedded local
 * Hub). undici loads only when one is set. `hubUrl` (undefined: discovered from the region)
 * is described once to the `--verbose` call log.
 */
export async function routeHubRequests(
	env: NodeJS.ProcessEnv | undefined,
	hubUrl: string | undefined
): Promise<void> {
	const settings = env ? proxySettingsOf(env) : undefined;
	followProxySettings(settings);
	if (!settings) {
		routing = undefined;
		return;
	}
	const { ProxyAgent } = await import('undici');
	const dispatchers = new Map<Proxy, unknown>();
	for (const proxy of [settings.http, settings.https]) {
		if (proxy && !dispatchers.has(proxy)) {
			const token = proxyAuthorization(proxy);
			// Plain HTTP proxying for an http:// Hub, as curl does: many proxies open a CONNECT
			// tunnel to port 443 alone. An https:// Hub is reached through a tunnel.
			dispatchers.set(
				proxy,
				new ProxyAgent({ uri: proxy.shown, proxyTunnel: false, ...(token ? { token } : {}) })
			);
		}
	}
	routing = { dispatchers };
	// Without a URL, the Hub is found over https from its region, and reached over https.
	const route = routeOf(settings, hubUrl ?? 'https://hub.invalid');
	noteToCallLog(describeRoute(route, hubUrl ? new URL(hubUrl).origin : "the region's Hub"));
}

/**
 * The Proxy-Authorization a proxy URL's user and password make, decoded from the URL, as curl
 * and Go send them: a user alone or with an empty password too (`user:`), which undici would
 * drop, leaving the proxy to answer 407.
 */
function proxyAuthorization({ url }: Proxy): string | undefined {
	if (url.username === '' && url.password === '') return undefined;
	const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
	return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

/**
 * Closes the proxies' connections, those still waiting included: a request given up at its
 * deadline leaves undici's tunnel (CONNECT) to a proxy that never answers open, which would keep
 * the process alive after the command ended. Called when the command is done.
 */
export async function closeHubRoutes(): Promise<void> {
	const closing = routing;
	routing = undefined;
	followProxySettings(undefined);
	if (!closing) return;
	closed.add(closing);
	await Promise.all(
		[...closing.dispatchers.values()].map((dispatcher) =>
			(dispatcher as { destroy(): Promise<void> }).destroy().catch(() => undefined)
		)
	);
}

/**
 * Sends each request through the proxy its URL takes. A failure at the proxy (refused, no
 * tunnel, HTTP 407) is a ProxyFailure naming it and its variable, never its user and password.
 */
function throughProxy(fetch: Fetch): Fetch {
	return async (input, init) => {
		const proxy = proxyFor(urlOf(input));
		const taken = routing;
		if (!proxy || !taken) return fetch(input, init);
		const dispatcher = taken.dispatchers.get(proxy);
		let response: Response;
		try {
			// `dispatcher` is undici's option, which Node's fetch (undici itself) takes.
			response = await fetch(input, { ...init, dispatcher } as RequestInit);
		} catch (error) {
			if (isAbort(error)) throw error;
			// closeHubRoutes ended it, as the command ended: no failure of the proxy's.
			if (closed.has(taken)) throw new DOMException('the command ended', 'AbortError');
			throw proxyFailure(proxy, describeNetworkFailure(error).reason);
		}
		// Only a proxy answers 407; the Hub never saw the request.
		if (response.status === 407) {
			await response.body?.cancel().catch(() => undefined);
			throw proxyAnswered(proxy, 407);
		}
		return response;
	};
}

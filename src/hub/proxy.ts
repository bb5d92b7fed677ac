/**
 * HTTP_PROXY, HTTPS_PROXY and NO_PROXY, as Terraform, kubectl and npm honour them: Node 20's
 * fetch ignores them, so without this a runner behind a proxy never reaches the Hub.
 *
 * Which proxy a request takes follows undici's EnvHttpProxyAgent (the rules Node's own
 * NODE_USE_ENV_PROXY uses): the lower-case variable first; an https:// request takes
 * HTTPS_PROXY, else HTTP_PROXY; NO_PROXY lists hosts reached directly, read as Go reads it
 * (noProxyEntries); a loopback Hub is always reached directly, as Terraform and kubectl do. The choice is made here, once per request, so
 * that `--verbose` and every message name the proxy a request really took; undici's ProxyAgent
 * (loaded only when a proxy variable is set) carries the request: plain HTTP proxying for an
 * http:// Hub, a CONNECT tunnel for an https:// one.
 */
import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { UserError } from '../core/errors.js';
import { registerSecrets } from '../core/secrets/redact.js';
import { inlineText } from '../core/untrusted/text.js';
import { isLoopbackHost } from './loopback.js';

export type ProxyVariable = 'HTTP_PROXY' | 'http_proxy' | 'HTTPS_PROXY' | 'https_proxy';
type NoProxyVariable = 'NO_PROXY' | 'no_proxy';

export interface Proxy {
	/** The variable that named it, for messages. */
	readonly variable: ProxyVariable;
	readonly url: URL;
	/** Scheme, host and port: never the user and password the URL may hold. */
	readonly shown: string;
}

/** What the proxy variables of one environment say. */
export interface ProxySettings {
	readonly http?: Proxy;
	readonly https?: Proxy;
	readonly noProxy?: {
		readonly variable: NoProxyVariable;
		readonly entries: readonly NoProxyEntry[];
	};
}

/**
 * One NO_PROXY item: every host (`*`), an address block (`10.0.0.0/8`, a single address being a
 * full-length block), or a domain (`.domain` with `subdomainsOnly`).
 */
type NoProxyEntry =
	| { readonly every: true }
	| { readonly addresses: BlockList; readonly family: IpFamily; readonly port: string }
	| { readonly domain: string; readonly subdomainsOnly: boolean; readonly port: string };

/**
 * How a request to one URL goes: through `proxy`, or straight: `excludedBy` NO_PROXY, to a
 * `loopback` address (never proxied, as Terraform and kubectl do), or with no proxy for its scheme.
 */
export type Route =
	| { readonly proxy: Proxy }
	| { readonly excludedBy: NoProxyVariable }
	| { readonly loopback: true }
	| { readonly direct: true };

/** The settings, or undefined when no proxy variable is set (requests go straight). */
export function proxySettingsOf(env: NodeJS.ProcessEnv): ProxySettings | undefined {
	const http = proxyOf(env, 'http_proxy', 'HTTP_PROXY');
	const https = proxyOf(env, 'https_proxy', 'HTTPS_PROXY') ?? http;
	if (!http && !https) return undefined;
	const noProxyVariable = isSet(env.no_proxy) ? 'no_proxy' : 'NO_PROXY';
	const entries = noProxyEntries(env[noProxyVariable] ?? '');
	return {
		...(http ? { http } : {}),
		...(https ? { https } : {}),
		...(entries.length > 0 ? { noProxy: { variable: noProxyVariable, entries } } : {}),
	};
}

export function routeOf(settings: ProxySettings, target: string | URL): Route {
	const url = new URL(target);
	const proxy = url.protocol === 'https:' ? settings.https : settings.http;
	if (!proxy) return { direct: true };
	// A Hub on this machine (`hub serve`) is out of a proxy's reach: a proxy set for the whole
	// runner must not take its requests.
	if (isLoopbackHost(url.hostname)) return { loopback: true };
	if (settings.noProxy && excluded(settings.noProxy.entries, url)) {
		return { excludedBy: settings.noProxy.variable };
	}
	return { proxy };
}

/** The settings Hub requests follow now (routeHubRequests sets them). */
let followed: ProxySettings | undefined;

export function followProxySettings(settings: ProxySettings | undefined): void {
	followed = settings;
}

/** The proxy a Hub request to `url` takes now, if any. */
export function proxyTakenBy(url: string): Proxy | undefined {
	if (!followed) return undefined;
	const route = routeOf(followed, url);
	return 'proxy' in route ? route.proxy : undefined;
}

/** `the proxy in HTTP_PROXY (http://proxy:3128)`. */
export function proxyName(proxy: Proxy): string {
	return `the proxy in ${proxy.variable} (${proxy.shown})`;
}

/** The `--verbose` line that says how requests to `hub` (an origin, or words) go. */
export function describeRoute(route: Route, hub: string): string {
	if ('proxy' in route) return `hub: requests to ${hub} go through ${proxyName(route.proxy)}`;
	if ('loopback' in route) {
		return `hub: ${hub} is on this machine: requests go to it directly, not through a proxy`;
	}
	if ('excludedBy' in route) {
		return `hub: ${route.excludedBy} excludes ${hub}: requests go to it directly, not through a proxy`;
	}
	return `hub: no proxy variable applies to ${hub}: requests go to it directly`;
}

/** An empty (or blank) variable counts as unset, as Go reads them: its other case applies. */
function isSet(value: string | undefined): boolean {
	return value !== undefined && value.trim() !== '';
}

function proxyOf(
	env: NodeJS.ProcessEnv,
	lower: ProxyVariable,
	upper: ProxyVariable
): Proxy | undefined {
	const variable = isSet(env[lower]) ? lower : upper;
	const text = env[variable]?.trim();
	if (!text) return undefined;
	const url = parseProxyUrl(variable, text);
	// A user alone is no secret: registered, a short one would cut words out of every output.
	if (url.password !== '') {
		const user = decodeURIComponent(url.username);
		const password = decodeURIComponent(url.password);
		// An error a proxy or undici echoes never shows them, in any form they are sent in.
		registerSecrets([
			url.password,
			password,
			`${user}:${password}`,
			Buffer.from(`${user}:${password}`).toString('base64'),
		]);
	}
	return { variable, url, shown: `${url.protocol}//${url.host}` };
}

/** A proxy URL; one without a scheme (`proxy:3128`) is http, as curl and Go take it. */
function parseProxyUrl(variable: ProxyVariable, text: string): URL {
	const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
	const refused = () =>
		new UserError(
			`${variable} is not a proxy URL: expected http://host:port (or http://user:password@host:port); ` +
				`its value is not shown, as it may hold a password`
		);
	let url: URL;
	try {
		url = new URL(withScheme);
	} catch {
		throw refused();
	}
	if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
		throw refused();
	}
	return url;
}

/**
 * NO_PROXY's items, read as Go's golang.org/x/net/http/httpproxy reads them (and so Terraform and
 * kubectl): comma-separated (spaces too, as curl), case and spaces ignored, empty items skipped;
 * `*` anywhere means every host; `10.0.0.0/8` and `fd00::/8` are address blocks; `10.0.0.5`,
 * `fd00::1`, `[fd00::1]` addresses, each optionally `:port` (an IPv6 address in brackets); else
 * a domain, `domain` covering its subdomains, `.domain` and `*.domain` its subdomains only.
 * Unlike Go, a trailing dot is ignored and a domain never matches an address.
 */
function noProxyEntries(text: string): NoProxyEntry[] {
	const entries: NoProxyEntry[] = [];
	for (const item of text.toLowerCase().split(/[,\s]+/)) {
		if (item === '') continue;
		if (item === '*') return [{ every: true }];
		const block = /^([^/]+)\/(\d{1,3})$/.exec(item);
		if (block) {
			const family = ipFamily(block[1]!);
			const bits = Number(block[2]);
			if (family && bits <= (family === 'ipv4' ? 32 : 128)) {
				const addresses = new BlockList();
				addresses.addSubnet(block[1]!, bits, family);
				entries.push({ addresses, family, port: '' });
			}
			continue;
		}
		// host:port, [IPv6]:port; a bare IPv6 address has colons but no port.
		const withPort = /^(\[[^\]]*\]|[^:]*):(\d*)$/.exec(item);
		const host = (withPort?.[1] ?? item).replace(/^\[(.*)\]$/, '$1');
		const port = withPort?.[2] ?? '';
		if (host === '') continue;
		const family = ipFamily(host);
		if (family) {
			const addresses = new BlockList();
			addresses.addAddress(host, family);
			entries.push({ addresses, family, port });
			continue;
		}
		const name = host.replace(/^\*\./, '.').replace(/\.$/, '');
		const subdomainsOnly = name.startsWith('.');
		// As a URL writes an international name: in punycode.
		const domain = domainToASCII(subdomainsOnly ? name.slice(1) : name);
		if (domain === '') continue;
		entries.push({ domain, subdomainsOnly, port });
	}
	return entries;
}

type IpFamily = 'ipv4' | 'ipv6';

function ipFamily(address: string): IpFamily | undefined {
	const version = isIP(address);
	return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

function excluded(entries: readonly NoProxyEntry[], url: URL): boolean {
	const host = url.hostname
		.toLowerCase()
		.replace(/^\[(.*)\]$/, '$1')
		.replace(/\.$/, '');
	const port = url.port || (url.protocol === 'https:' ? '443' : '80');
	const family = ipFamily(host);
	return entries.some((entry) => {
		if ('every' in entry) return true;
		if (entry.port !== '' && entry.port !== port) return false;
		// Go keeps IPv4 and IPv6 apart: `::/0` is no IPv4 address.
		if ('addresses' in entry) return family === entry.family && entry.addresses.check(host, family);
		if (family) return false;
		return host.endsWith(`.${entry.domain}`) || (!entry.subdomainsOnly && host === entry.domain);
	});
}

/** A request that failed at the proxy, not at the Hub: its message names the proxy. */
export class ProxyFailure extends Error {
	override readonly name = 'ProxyFailure';
}

/** Why a request through `proxy` failed, from the network failure's reason or undici's message. */
export function proxyFailure(proxy: Proxy, reason: string): ProxyFailure {
	// undici's words for a proxy's own answer: "Proxy response (502) !== 200 when HTTP
	// Tunneling" (CONNECT), "Proxy Authentication Required (407)" (plain HTTP proxying).
	const answered = /^Proxy (?:response|Authentication Required) \((\d{3})\)/.exec(reason);
	if (answered) return proxyAnswered(proxy, Number(answered[1]));
	return new ProxyFailure(`via ${proxyName(proxy)}: ${inlineText(reason)}`);
}

/** The proxy answered `status` itself (407), or refused to open a tunnel with it. */
export function proxyAnswered(proxy: Proxy, status: number): ProxyFailure {
	const hint =
		status === 407
			? proxy.url.username !== ''
				? `: the proxy refused the user and password in ${proxy.variable}`
				: `: the proxy asks for a user and password: give them in ${proxy.variable} (http://user:password@host:port)`
			: `: check ${proxy.variable}, or list the Hub's host in NO_PROXY if it is reached directly`;
	return new ProxyFailure(`via ${proxyName(proxy)}: the proxy answered HTTP ${status}${hint}`);
}

/**
 * What a web page must not be able to do to a local Hub, token or not. A page can send simple
 * cross-site requests (a form, or fetch without a preflight: no JSON content type) to any
 * address, and a DNS-rebinding page reaches 127.0.0.1 under its own host name. So:
 *
 * - every request names in `Host` an address the Hub listens on: `localhost`, `127.0.0.1`,
 *   `[::1]`, the `--host` it was bound to, or, bound to every address (`0.0.0.0`, `::`), any IP
 *   literal. The port is not compared (a port mapping may change it); a name a rebinding page
 *   uses is refused (403);
 * - a write (any method but GET, HEAD and OPTIONS) carries `Content-Type: application/json`
 *   (or `*+json`), which a page cannot send cross-site without a CORS preflight the Hub never
 *   answers (415), and no `Origin` other than the Hub's own, `http://` + `Host` (403), nor a
 *   `Sec-Fetch-Site` other than `same-origin` or `none` (403).
 *
 * The SDK's CoderClient sends JSON on every write, its host's name and no Origin.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { HttpError } from './errors.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '[::]', '[0:0:0:0:0:0:0:0]']);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `Example.COM.` as `example.com`; an IPv6 address in brackets, as a Host header writes it. */
function normalizeHost(host: string): string {
	const lower = host.trim().toLowerCase().replace(/\.$/, '');
	return isIP(lower) === 6 ? `[${lower}]` : lower;
}

/** The host name of a Host header (`[::1]:4100` → `[::1]`), or undefined when it is not one. */
function hostnameOf(header: string | undefined): string | undefined {
	if (!header || /[\s/?#@\\]/.test(header)) return undefined;
	try {
		const url = new URL(`http://${header}`);
		return url.hostname === '' ? undefined : normalizeHost(url.hostname);
	} catch {
		return undefined;
	}
}

const isIpLiteral = (hostname: string) => isIP(hostname.replace(/^\[(.*)\]$/, '$1')) !== 0;

const single = (value: string | string[] | undefined): string | undefined =>
	Array.isArray(value) ? value[0] : value;

/** Throws the HttpError a request gets when a page could have sent it; returns when it is fine. */
export function requestGuard(boundHost: string): (request: IncomingMessage) => void {
	const bound = normalizeHost(boundHost);
	const everywhere = WILDCARDS.has(bound);
	const allowed = new Set([...LOOPBACK_NAMES, ...(everywhere ? [] : [bound])]);
	const names = [...allowed, ...(everywhere ? ['any IP address'] : [])].join(', ');
	const listensOn = (hostname: string) =>
		allowed.has(hostname) || (everywhere && isIpLiteral(hostname));

	return (request) => {
		const host = single(request.headers.host);
		const hostname = hostnameOf(host);
		if (!hostname || !listensOn(hostname)) {
			throw new HttpError(
				403,
				'LOCAL_HUB_FORBIDDEN_HOST',
				`Host ${JSON.stringify(host ?? '')} is not an address this local Hub listens on (${names}): refused, as a DNS-rebinding page would send it`
			);
		}
		if (READS.has((request.method ?? 'GET').toUpperCase())) return;
		const origin = single(request.headers.origin);
		if (origin !== undefined && origin.toLowerCase() !== `http://${host}`.toLowerCase()) {
			throw new HttpError(
				403,
				'LOCAL_HUB_FORBIDDEN_ORIGIN',
				`Writes from another origin (${JSON.stringify(origin)}) are refused: the local Hub takes writes from its own clients, never from a web page`
			);
		}
		const site = single(request.headers['sec-fetch-site']);
		if (site !== undefined && site !== 'same-origin' && site !== 'none') {
			throw new HttpError(
				403,
				'LOCAL_HUB_FORBIDDEN_ORIGIN',
				`Writes from a ${site} page are refused: the local Hub takes writes from its own clients, never from a web page`
			);
		}
		const type = (single(request.headers['content-type']) ?? '')
			.split(';')[0]!
			.trim()
			.toLowerCase();
		if (type !== 'application/json' && !type.endsWith('+json')) {
			throw new HttpError(
				415,
				'CODER_INVALID_REQUEST',
				`${type === '' ? 'No Content-Type' : `Content-Type ${JSON.stringify(type)}`}: writes to the local Hub must be sent as application/json, even without a body`
			);
		}
	};
}

/**
 * What the breaker (breaker.ts) accepts of an answer, whoever sent it: the Hub, or a proxy,
 * gateway or login page in front of it.
 * - Size: one answer may hold at most MAX_ANSWER_BYTES, counted as decoded (a gzip or br body of
 *   a few KB can unpack to gigabytes). An endless or huge body ends there instead of filling
 *   memory until the deadline.
 * - Redirects are never followed to another origin, nor for a write: the request would carry the
 *   org header and its body to an address the user never named (fetch drops only the
 *   Authorization header), and a 301/302 turns a POST into a GET. Terraform providers and
 *   kubectl refuse such redirects too. A GET redirected within the same origin is followed, a few
 *   times at most.
 * - An HTML page in a 2xx answer is a portal or a proxy's page, not the Hub's API.
 */
import { inlineText } from '../core/untrusted/text.js';

/**
 * The most one answer may hold, decoded: 3 times the largest request body the local Hub takes
 * (a session detail echoes its task), far above a list page of 100 sessions (about 1 KB each).
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
/** Same-origin redirects of one GET followed, at most. */
export const MAX_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** An address to show: scheme, host and path, never a query, a fragment or a user and password. */
export function shownAddress(url: URL): string {
	if (url.protocol !== 'http:' && url.protocol !== 'https:')
		return `a non-HTTP address (${url.protocol})`;
	return inlineText(`${url.origin}${url.pathname}`);
}

export type RedirectVerdict =
	{ readonly follow: URL } | { readonly refuse: string } | { readonly answer: true };

/**
 * Whether to follow `response` from `from` (the `hops`-th redirect of this request), and if
 * not, why, in words that end a message about the Hub at `from`'s origin.
 */
export function judgeRedirect(
	response: Response,
	from: URL,
	method: string,
	hops: number
): RedirectVerdict {
	const location = response.headers.get('location');
	if (!REDIRECTS.has(response.status) || location === null) return { answer: true };
	const status = `HTTP ${response.status}`;
	let to: URL;
	try {
		to = new URL(location, from);
	} catch {
		return { refuse: `redirects to an address that is not a URL (${status})` };
	}
	if (to.origin !== from.origin) {
		return {
			refuse:
				`redirects to ${shownAddress(to)} (${status}); requests are not sent on to another ` +
				'address, where the org header and the request would go: if that is the Hub, name it ' +
				'with --url or AGENTUITY_CODER_URL',
		};
	}
	if (method !== 'GET' && method !== 'HEAD') {
		return {
			refuse: `redirects ${method} ${inlineText(from.pathname)} to ${inlineText(to.pathname)} (${status}); a write is not sent again elsewhere`,
		};
	}
	if (hops >= MAX_REDIRECTS) {
		return {
			refuse: `redirects ${method} ${inlineText(from.pathname)} more than ${MAX_REDIRECTS} times (a redirect loop)`,
		};
	}
	return { follow: to };
}

/**
 * The body of `response`, or undefined once it holds more than `maxBytes` (its reading is then
 * cancelled, which closes the connection).
 */
export async function readCapped(
	response: Response,
	maxBytes: number = MAX_ANSWER_BYTES
): Promise<Uint8Array | undefined> {
	// Announced too large: not a byte is read (a compressed length only grows once decoded).
	const declared = Number(response.headers.get('content-length') ?? '');
	if (Number.isFinite(declared) && declared > maxBytes) {
		await response.body?.cancel().catch(() => undefined);
		return undefined;
	}
	if (!response.body) return new Uint8Array(0);
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel().catch(() => undefined);
			return undefined;
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks, size);
}

/** A 2xx answer that is an HTML page (a captive portal, a proxy's sign-in or error page). */
export function isHtmlPage(response: Response): boolean {
	if (response.status < 200 || response.status > 299) return false;
	const type = response.headers.get('content-type')?.toLowerCase() ?? '';
	return type.includes('text/html') || type.includes('application/xhtml');
}

export function mib(bytes: number): string {
	return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

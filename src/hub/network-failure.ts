/** What a failed fetch says about the network, in words (Node's fetch hides it in `cause`). */
import { NETWORK_REASONS } from './reachable.js';

export interface NetworkFailure {
	/** e.g. "connection refused", "unknown host". */
	readonly reason: string;
	/** The server answered a TLS handshake with something else: it speaks plain HTTP. */
	readonly notTls: boolean;
}

const UNDICI_REASONS: Readonly<Record<string, string>> = {
	UND_ERR_SOCKET: 'connection reset',
	UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
	UND_ERR_CLOSED: 'connection closed',
};

/** A TLS handshake answered by a plain HTTP server fails with one of these. */
const PLAIN_HTTP_CODES = new Set([
	'ERR_SSL_WRONG_VERSION_NUMBER',
	'ERR_SSL_PACKET_LENGTH_TOO_LONG',
]);

/** An aborted request was given up by its caller: nothing to say about the network. */
export function isAbort(error: unknown): boolean {
	const name = (error as Error | undefined)?.name;
	return name === 'AbortError' || name === 'TimeoutError';
}

export function describeNetworkFailure(error: unknown): NetworkFailure {
	const codes: string[] = [];
	let deepest: unknown = error;
	for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string') codes.push(code);
		deepest = current;
		current = (current as { cause?: unknown }).cause;
	}
	if (codes.some((code) => PLAIN_HTTP_CODES.has(code)))
		return { reason: 'TLS handshake failed: the server speaks plain HTTP', notTls: true };
	for (const code of codes) {
		const reason = NETWORK_REASONS[code] ?? UNDICI_REASONS[code];
		if (reason) return { reason, notTls: false };
	}
	const tls = codes.find((code) => /SSL|TLS|CERT/.test(code));
	if (tls) return { reason: `TLS handshake failed (${tls})`, notTls: false };
	const message = deepest instanceof Error ? deepest.message : String(deepest);
	return { reason: message.split('\n')[0] ?? 'network error', notTls: false };
}

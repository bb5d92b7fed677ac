/**
 * A Hub that cannot be reached costs ~30 s of the SDK's retries before a misleading "HTTP 503".
 * A TCP connect to the Hub's address answers in milliseconds, sends no request, and turns
 * "connection refused" or an unknown host into a message that says so.
 */
import { connect } from 'node:net';
import { UserError } from '../core/errors.js';

const TIMEOUT_MS = 5000;

export const NETWORK_REASONS: Readonly<Record<string, string>> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'unknown host',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ECONNRESET: 'connection reset',
	ETIMEDOUT: 'connection timed out',
};

/** Through a proxy (`via`), the proxy is what must accept a connection. */
export async function assertReachable(
	url: string,
	via?: { readonly name: string; readonly url: URL }
): Promise<void> {
	const reason = await probeConnection(via?.url.href ?? url);
	if (!reason) return;
	const hub = new URL(url).origin;
	throw new UserError(
		via
			? `cannot reach the Hub at ${hub}: cannot reach ${via.name} (${reason})`
			: `cannot reach the Hub at ${hub} (${reason})`
	);
}

/** Opens and closes one TCP connection to the URL's host and port: why not, or undefined. */
export function probeConnection(url: string, timeoutMs = TIMEOUT_MS): Promise<string | undefined> {
	const parsed = new URL(url);
	const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
	const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
	return new Promise((resolve) => {
		const socket = connect({ host, port });
		const fail = (reason: string) => {
			socket.destroy();
			resolve(reason);
		};
		socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs / 1000} s`));
		socket.once('connect', () => {
			socket.setTimeout(0);
			// destroy, not end: a Hub that accepts but never reads (a stopped process) never closes its side.
			socket.destroy();
			resolve(undefined);
		});
		socket.once('error', (error: NodeJS.ErrnoException) =>
			fail(NETWORK_REASONS[error.code ?? ''] ?? error.message)
		);
	});
}

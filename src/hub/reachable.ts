/**
 * A Hub that cannot be reached costs ~30 s of the SDK's retries before a misleading "HTTP 503".
 * A TCP connect to the Hub's address answers in milliseconds, sends no request, and turns
 * "connection refused" or an unknown host into a message that says so.
 */
import { connect } from 'node:net';
import { UserError } from '../errors.js';

const TIMEOUT_MS = 5000;

const REASONS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'unknown host',
	EAI_AGAIN: 'host name lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ECONNRESET: 'connection reset',
};

export async function assertReachable(url: string): Promise<void> {
	const parsed = new URL(url);
	const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
	const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
	await new Promise<void>((resolve, reject) => {
		const socket = connect({ host, port });
		const fail = (reason: string) => {
			socket.destroy();
			reject(new UserError(`cannot reach the Hub at ${parsed.origin} (${reason})`));
		};
		socket.setTimeout(TIMEOUT_MS, () => fail(`no answer within ${TIMEOUT_MS / 1000} s`));
		socket.once('connect', () => {
			socket.end();
			resolve();
		});
		socket.once('error', (error: NodeJS.ErrnoException) =>
			fail(REASONS[error.code ?? ''] ?? error.message)
		);
	});
}

/**
 * The local Hub: an HTTP server speaking the Hub's session API as the SDK's CoderClient calls it
 * (README.md beside this file), under /api, plus /_local/* for stats. Fault injection applies to /api only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorize } from './auth.js';
import { HttpError, LocalHubStartError } from './errors.js';
import { FaultInjector } from './faults.js';
import type { HubContext } from './hub-context.js';
import { sendError, sendJson } from './http-io.js';
import { readJsonBody } from './request-body.js';
import { sessionIdGenerator } from './ids.js';
import { resolveOptions, type ResolvedOptions } from './options.js';
import { matchRoute } from './routes.js';
import { RequestStats } from './stats.js';
import { SessionStore } from './store.js';
import type { LocalHub, LocalHubOptions } from './types.js';

export const DEFAULT_ORG = 'default';

export async function startLocalHub(options: LocalHubOptions = {}): Promise<LocalHub> {
	const settings = resolveOptions(options);
	const warn = options.onWarning ?? ((message: string) => process.stderr.write(`${message}\n`));
	const store = await SessionStore.open(settings.stateFile, warn);
	const stats = new RequestStats();
	const now = options.now ?? (() => new Date());
	const faults = new FaultInjector(
		{ ...settings, random: options.random ?? Math.random, nowMs: () => performance.now() },
		(kind) => stats.fault(kind)
	);
	const hub: HubContext = {
		store,
		clock: { nowMs: () => now().getTime(), activateAfterMs: settings.activateAfterMs },
		now,
		newId: sessionIdGenerator(options.random, (id) => store.hasId(id)),
		maxPageSize: settings.maxPageSize,
		searchRules: settings.searchRules,
		githubRepos: settings.githubRepos,
		note: (key) => stats.note(key),
	};
	let closing = false;
	const server = createServer((request, response) => {
		if (closing) response.setHeader('connection', 'close');
		// One request, however broken, must never take the Hub down.
		handle(request, response).catch(() => response.destroy());
	});

	async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		// Held here: a request abandoned halfway through its body lets go of its socket.
		const socket = request.socket;
		const url = new URL(request.url ?? '/', 'http://local-hub');
		const segments = url.pathname.split('/').slice(1);
		if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
		try {
			if (segments[0] === '_local') {
				authorize(request, settings.token);
				return handleLocal(request.method ?? 'GET', segments.slice(1).join('/'), response);
			}
			const match =
				segments[0] === 'api'
					? matchRoute(request.method ?? 'GET', segments.slice(1))
					: {
							name: 'notFound',
							error: new HttpError(
								404,
								'NOT_FOUND',
								`No route for ${url.pathname}; the Hub API lives under /api`
							),
						};
			stats.request(match.name);
			await faults.admit();
			authorize(request, settings.token);
			if ('error' in match) throw match.error;
			const org =
				request.headers['x-agentuity-orgid'] || url.searchParams.get('orgId') || DEFAULT_ORG;
			const reply = await match.handler(hub, {
				org: Array.isArray(org) ? (org[0] ?? DEFAULT_ORG) : org,
				id: match.id,
				query: url.searchParams,
				body: () => readJsonBody(request),
			});
			// The duplicate-create window: durable on the Hub, but the client never hears of it.
			if (match.name === 'create' && reply.status === 201 && faults.resetAfterCommit()) {
				request.socket?.destroy();
				return;
			}
			sendJson(response, reply.status, reply.body);
		} catch (error) {
			if (error instanceof HttpError && error.status === 413) {
				// The rest of the body is not read, so the connection cannot carry another request.
				if (!response.headersSent && !socket.destroyed) {
					response.setHeader('connection', 'close');
					response.once('finish', () => socket.destroy());
					sendError(response, error);
				} else socket.destroy();
				return;
			}
			if (response.headersSent || !request.socket || request.socket.destroyed) return;
			sendError(
				response,
				error instanceof HttpError
					? error
					: new HttpError(
							500,
							'LOCAL_HUB_STORAGE_ERROR',
							error instanceof Error ? error.message : String(error)
						)
			);
		}
	}

	function handleLocal(method: string, path: string, response: ServerResponse): void {
		if (method === 'GET' && path === 'stats') return sendJson(response, 200, stats.snapshot());
		if (method === 'POST' && path === 'stats/reset') {
			stats.reset();
			return sendJson(response, 200, { reset: true });
		}
		if (method === 'GET' && path === 'health') {
			return sendJson(response, 200, {
				ok: true,
				sessions: store.size,
				journal: store.journalStats,
			});
		}
		throw new HttpError(404, 'NOT_FOUND', `No local route ${method} /_local/${path}`);
	}

	try {
		await listen(server, settings);
	} catch (error) {
		await store.close();
		throw error;
	}
	const port = (server.address() as AddressInfo).port;
	const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
	let closed: Promise<void> | undefined;
	return {
		url: `http://${host}:${port}`,
		port,
		stats: () => stats.snapshot(),
		close: () => {
			closing = true;
			closed ??= stopServer(server).then(() => store.close());
			return closed;
		},
	};
}

function listen(server: Server, settings: ResolvedOptions): Promise<void> {
	return new Promise((resolve, reject) => {
		server.once('error', (error: NodeJS.ErrnoException) => {
			const where = `${settings.host}:${settings.port}`;
			const reasons: Record<string, string> = {
				EADDRINUSE: `port ${settings.port} on ${settings.host} is already in use`,
				EACCES: `permission denied to listen on ${where}`,
				EADDRNOTAVAIL: `address ${settings.host} is not available on this machine`,
				ENOTFOUND: `host ${settings.host} cannot be resolved`,
			};
			reject(
				new LocalHubStartError(
					`local Hub cannot listen: ${reasons[error.code ?? ''] ?? error.message}`
				)
			);
		});
		server.listen(settings.port, settings.host, () => resolve());
	});
}

/** Lets in-flight requests finish; connections still open after 2 s are cut. */
function stopServer(server: Server): Promise<void> {
	return new Promise((resolve) => {
		const force = setTimeout(() => server.closeAllConnections(), 2000);
		force.unref();
		server.close(() => {
			clearTimeout(force);
			resolve();
		});
		server.closeIdleConnections();
	});
}

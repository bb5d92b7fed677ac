/**
 * The local Hub: an HTTP server speaking the Hub's session API as the SDK's CoderClient calls it
 * (README.md beside this file), under /api, plus /_local/* for stats. Fault injection applies to /api only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authorize } from './auth.js';
import { HttpError, LocalHubStartError } from './errors.js';
import { EventStreams } from './event-stream.js';
import { FaultInjector } from './faults.js';
import { loadFixtures } from './fixtures.js';
import type { HubContext } from './hub-context.js';
import { sendError, sendJson } from './http-io.js';
import { readJsonBody } from './request-body.js';
import { requestGuard } from './request-guard.js';
import { prefixedIdGenerator, sessionIdGenerator } from './ids.js';
import { ID_PREFIX, type LibraryKind } from './library-record.js';
import { handleLocal } from './local-admin.js';
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
	const recordIds = new Map<LibraryKind, () => string>();
	const streams = new EventStreams();
	const hub: HubContext = {
		store,
		clock: {
			nowMs: () => now().getTime(),
			activateAfterMs: settings.activateAfterMs,
			idleTimeoutMs: settings.idleTimeoutMs,
			writesAreActivity: !settings.strict,
		},
		snapshotBuilder: {
			readyAfterMs: settings.snapshotReadyAfterMs,
			buildFails: () => faults.snapshotBuildFails(),
		},
		now,
		newId: sessionIdGenerator(options.random, (id) => store.hasId(id)),
		newRecordId: (kind) => {
			let next = recordIds.get(kind);
			if (!next) {
				next = prefixedIdGenerator(ID_PREFIX[kind], options.random, (id) =>
					store.hasRecordId(kind, id)
				);
				recordIds.set(kind, next);
			}
			return next();
		},
		strict: settings.strict,
		maxPageSize: settings.maxPageSize,
		searchRules: settings.searchRules,
		totalSurplus: settings.totalSurplus,
		simulateActivity: settings.simulateActivity,
		echoedEnv: settings.echoEnv ? new Map() : undefined,
		spawnWorkers: settings.spawnWorkers,
		streams,
		githubRepos: settings.githubRepos,
		note: (key) => stats.note(key),
	};
	try {
		if (settings.fixtures) await loadFixtures(hub, settings.fixtures);
	} catch (error) {
		await store.close();
		throw error;
	}
	let closing = false;
	const guard = requestGuard(settings.host);
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
			// Before anything else, /_local included: a web page gets nothing done here.
			guard(request);
			const orgOf = (...names: string[]): string => {
				const header = request.headers['x-agentuity-orgid'];
				const fromHeader = Array.isArray(header) ? header[0] : header;
				const fromQuery = names.map((name) => url.searchParams.get(name)).find(Boolean);
				return fromHeader || fromQuery || DEFAULT_ORG;
			};
			if (segments[0] === '_local') {
				authorize(request, settings.token);
				const reply = await handleLocal(hub, stats, {
					method: request.method ?? 'GET',
					segments: segments.slice(1),
					org: orgOf('orgId'),
					body: () => readJsonBody(request),
				});
				return sendJson(response, reply.status, reply.body);
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
			// An EventSource cannot send headers: the event stream takes the key as ?api_key=.
			const isStream = match.name === 'events';
			authorize(
				request,
				settings.token,
				isStream ? (url.searchParams.get('api_key') ?? undefined) : undefined
			);
			if ('error' in match) throw match.error;
			const reply = await match.handler(hub, {
				org: isStream ? orgOf('org_id', 'orgId') : orgOf('orgId'),
				id: match.id,
				query: url.searchParams,
				body: () => readJsonBody(request),
			});
			if ('stream' in reply) {
				if (closing) throw new HttpError(503, 'LOCAL_HUB_CLOSING', 'The local Hub is stopping');
				return reply.stream(response);
			}
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
			// An event-stream client that is refused does not read the body: do not keep its socket.
			if (segments.at(-1) === 'events') response.setHeader('connection', 'close');
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
			streams.closeAll();
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

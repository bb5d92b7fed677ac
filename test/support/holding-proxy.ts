/**
 * A loopback proxy in front of a Hub that can stop one command at chosen points, so a test can
 * order two commands the way two real processes may interleave, without relying on timing.
 *
 * It forwards every request until one matches the current hold point; from then on it holds that
 * request and every later one (the gate is shut) until the test calls `release()`, which forwards
 * them in arrival order, opens the gate and moves on to the next hold point (after the last one,
 * nothing more is held). `held` resolves once the command is held; every wait is bounded, so a
 * test that never reaches its hold fails instead of hanging.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
	readonly method: string;
	/** Path and query, as sent. */
	readonly path: string;
	/** How many requests with this method and path (query left out) arrived before this one. */
	readonly earlier: number;
}

export interface HoldingProxy {
	readonly url: string;
	/** Every request in arrival order. */
	readonly log: readonly SeenRequest[];
	/**
	 * Resolves with the first request held at the current hold point; rejects after `timeoutMs`,
	 * or when `abandon` settles first (the command ended without reaching the hold point).
	 */
	held(timeoutMs?: number, abandon?: Promise<unknown>): Promise<SeenRequest>;
	/** Forwards the held requests and moves on to the next hold point. */
	release(): void;
	close(): Promise<void>;
}

/** Where to hold: the request, and every request that arrived before it. */
export type HoldPoint = (request: SeenRequest, earlier: readonly SeenRequest[]) => boolean;

/** After the plan: the first write, or the first read of a session the plan read already. */
export const afterPlan: HoldPoint = (request) =>
	request.method !== 'GET' || (isSessionRead(request) && request.earlier > 0);

/** At the first create. */
export const atCreate: HoldPoint = (request) =>
	request.method === 'POST' && request.path.split('?')[0] === '/api/hub/session';

/** At the read-back after the actions: the first listing once a create was sent. */
export const atReadBack: HoldPoint = (request, earlier) =>
	request.method === 'GET' &&
	request.path.startsWith('/api/hub/sessions') &&
	earlier.some((before) => atCreate(before, []));

/** `GET /api/hub/session/ID` (the detail read), not a list or another route. */
export function isSessionRead(request: SeenRequest): boolean {
	return request.method === 'GET' && /^\/api\/hub\/session\/[^/?]+(\?|$)/.test(request.path);
}

const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding']);
const DEFAULT_WAIT_MS = 60_000;

export async function startHoldingProxy(
	target: string,
	...points: readonly HoldPoint[]
): Promise<HoldingProxy> {
	const upstream = new URL(target);
	const log: SeenRequest[] = [];
	const counts = new Map<string, number>();
	const queue: (() => void)[] = [];
	let next = 0;
	let holding: SeenRequest | undefined;
	let onHeld: ((request: SeenRequest) => void) | undefined;

	const forward = (request: IncomingMessage, response: ServerResponse, body: Buffer) => {
		const headers: Record<string, string> = {};
		for (const [name, value] of Object.entries(request.headers)) {
			if (typeof value === 'string' && !HOP_HEADERS.has(name)) headers[name] = value;
		}
		headers.host = upstream.host;
		void fetch(new URL(request.url ?? '/', upstream), {
			method: request.method ?? 'GET',
			headers,
			body: body.length > 0 ? body : undefined,
		}).then(
			async (answer) => {
				const text = Buffer.from(await answer.arrayBuffer());
				const out: Record<string, string> = {};
				answer.headers.forEach((value, name) => {
					if (!HOP_HEADERS.has(name) && name !== 'content-length' && name !== 'content-encoding')
						out[name] = value;
				});
				response.writeHead(answer.status, out);
				response.end(text);
			},
			(error: unknown) => {
				response.writeHead(502, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ error: String(error) }));
			}
		);
	};

	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const method = request.method ?? 'GET';
			const path = request.url ?? '/';
			const route = `${method} ${path.split('?')[0]}`;
			const earlier = counts.get(route) ?? 0;
			counts.set(route, earlier + 1);
			const seen: SeenRequest = { method, path, earlier };
			const point = points[next];
			if (!holding && point?.(seen, log)) {
				holding = seen;
				onHeld?.(seen);
				onHeld = undefined;
			}
			log.push(seen);
			const body = Buffer.concat(chunks);
			if (holding) queue.push(() => forward(request, response, body));
			else forward(request, response, body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	return {
		url: `http://127.0.0.1:${port}`,
		log,
		held(timeoutMs = DEFAULT_WAIT_MS, abandon?: Promise<unknown>) {
			if (holding) return Promise.resolve(holding);
			return new Promise<SeenRequest>((resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`no request was held within ${timeoutMs} ms`)),
					timeoutMs
				);
				onHeld = (request) => {
					clearTimeout(timer);
					resolve(request);
				};
				const abandoned = (error: Error) => {
					clearTimeout(timer);
					reject(error);
				};
				abandon?.then(
					() => abandoned(new Error('the command finished before it reached its hold point')),
					(error: unknown) => abandoned(error instanceof Error ? error : new Error(String(error)))
				);
			});
		},
		release() {
			if (!holding) return;
			holding = undefined;
			next += 1;
			for (const send of queue.splice(0)) send();
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

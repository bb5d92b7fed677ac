/**
 * GET /hub/session/:id/events: the observer SSE stream (`CoderSSEClient`). On connect it sends a
 * snapshot, a hydration and the participants' presence, then every recorded event as a
 * broadcast; events recorded later (through /_local) follow live. A comment line keeps idle
 * streams open. `?subscribe=a,b` keeps broadcasts whose category or name is listed.
 */
import type { ServerResponse } from 'node:http';
import type { Handler } from './hub-context.js';
import { EMPTY_ACTIVITY, type StoredEvent, type StoredSession } from './session-record.js';
import { findSession } from './session-handlers.js';
import { lifecycleOf } from './wire.js';

const KEEPALIVE_MS = 15_000;

interface OpenStream {
	readonly sessionId: string;
	readonly wants: (event: StoredEvent) => boolean;
	readonly response: ServerResponse;
}

/** The open streams, so new events reach them and closing the Hub ends them. */
export class EventStreams {
	readonly #open = new Set<OpenStream>();

	get size(): number {
		return this.#open.size;
	}

	add(stream: OpenStream): void {
		this.#open.add(stream);
		const keepalive = setInterval(() => stream.response.write(': keepalive\n\n'), KEEPALIVE_MS);
		keepalive.unref();
		stream.response.once('close', () => {
			clearInterval(keepalive);
			this.#open.delete(stream);
		});
	}

	publish(sessionId: string, events: readonly StoredEvent[]): void {
		for (const stream of this.#open) {
			if (stream.sessionId !== sessionId) continue;
			for (const event of events) if (stream.wants(event)) writeBroadcast(stream, event);
		}
	}

	/** Ends every stream and its connection: a stream never goes idle, so nothing else would. */
	closeAll(): void {
		for (const { response } of this.#open) {
			response.end(() => response.socket?.destroy());
		}
		this.#open.clear();
	}
}

function frame(response: ServerResponse, event: string, data: Record<string, unknown>): void {
	response.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
}

function writeBroadcast(stream: OpenStream, event: StoredEvent): void {
	const { event: name, category, occurredAt, ...rest } = event;
	frame(stream.response, 'broadcast', {
		event: name,
		data: rest,
		category: category ?? 'session',
		sessionId: stream.sessionId,
		timestamp: Date.parse(occurredAt),
	});
}

const epoch = (time: string | undefined, fallback: string): number => Date.parse(time ?? fallback);

function presenceOf(session: StoredSession): Record<string, unknown>[] {
	const { participants } = session.activity ?? EMPTY_ACTIVITY;
	return participants
		.filter((participant) => !participant.disconnectedAt)
		.map((participant) => ({
			id: participant.id,
			role: ['lead', 'controller'].includes(participant.role) ? participant.role : 'observer',
			transport: participant.transport === 'ws' ? 'ws' : 'sse',
			subscriptions: [],
			connectedAt: epoch(participant.connectedAt, session.createdAt),
			lastActivity: epoch(participant.lastActivityAt ?? participant.connectedAt, session.createdAt),
		}));
}

export const openEventStream: Handler = (hub, request) => {
	const session = findSession(hub, request);
	const filters = (request.query.get('subscribe') ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean);
	const wants = (event: StoredEvent): boolean =>
		filters.length === 0 ||
		filters.includes(event.event) ||
		(event.category !== undefined && filters.includes(event.category));
	return {
		stream: (response) => {
			response.writeHead(200, {
				'content-type': 'text/event-stream; charset=utf-8',
				'cache-control': 'no-cache',
				connection: 'close',
			});
			const { participants, events } = session.activity ?? EMPTY_ACTIVITY;
			const now = hub.clock.nowMs();
			frame(response, 'snapshot', {
				sessionId: session.id,
				label: session.label,
				status: lifecycleOf(session, hub.clock).status,
				createdAt: session.createdAt,
				mode: 'sandbox',
				participants: participants
					.filter((participant) => !participant.disconnectedAt)
					.map((participant) => ({
						id: participant.id,
						role: participant.role,
						transport: participant.transport ?? 'ws',
						connectedAt: participant.connectedAt ?? session.createdAt,
					})),
				taskCount: new Set(events.flatMap((event) => (event.taskId ? [event.taskId] : []))).size,
				agentActivity: {},
			});
			frame(response, 'hydration', { sessionId: session.id, entries: [], task: session.task });
			frame(response, 'presence', {
				event: 'presence_update',
				participants: presenceOf(session),
				sessionId: session.id,
				timestamp: now,
			});
			const stream = { sessionId: session.id, wants, response };
			for (const event of events) if (wants(event)) writeBroadcast(stream, event);
			hub.streams.add(stream);
		},
	};
};

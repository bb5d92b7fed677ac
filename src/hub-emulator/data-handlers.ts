/**
 * The session data routes: participants, event history, replay and loop state, from what was
 * recorded for the session (through /_local or --simulate-activity).
 *
 * Strict (the REST reference's shapes and parameters): event history is newest first, paged by
 * `limit` and `beforeId` (an event id: only older events), without a `total`; participants take
 * `limit` and `includeDisconnected` (disconnected ones are left out unless it is `true`); replay
 * answers `{sessionId, entriesSource, sourceCounts, entries}`. The SDK sends `limit` and `offset`
 * instead, and `offset` is honoured over the same order. Lenient (earlier versions): events
 * oldest first with a `total`, every participant, replay as `{sessionId, events}`.
 */
import { HttpError } from './errors.js';
import type { Handler, RequestInfo } from './hub-context.js';
import { EMPTY_ACTIVITY } from './session-record.js';
import { findSession } from './session-handlers.js';
import { loopState } from './wire.js';

interface Paging {
	readonly offset: number;
	readonly limit?: number;
}

export function readPaging(query: URLSearchParams): Paging {
	const read = (name: string): number | undefined => {
		const text = query.get(name);
		if (text === null) return undefined;
		if (!/^\d{1,9}$/.test(text)) {
			throw new HttpError(
				400,
				'CODER_INVALID_REQUEST',
				`${name} must be a non-negative integer (got "${text}")`
			);
		}
		return Number(text);
	};
	const limit = read('limit');
	return { offset: read('offset') ?? 0, ...(limit !== undefined ? { limit } : {}) };
}

export function page<T>(items: readonly T[], paging: Paging): T[] {
	const end = paging.limit === undefined ? undefined : paging.offset + paging.limit;
	return items.slice(paging.offset, end);
}

function echo(request: RequestInfo, paging: Paging): Record<string, number> {
	return {
		...(request.query.has('limit') && paging.limit !== undefined ? { limit: paging.limit } : {}),
		...(request.query.has('offset') ? { offset: paging.offset } : {}),
	};
}

export const listParticipants: Handler = (hub, request) => {
	const session = findSession(hub, request);
	const paging = readPaging(request.query);
	const includeDisconnected = readBoolean(request.query, 'includeDisconnected') ?? !hub.strict;
	const { participants } = session.activity ?? EMPTY_ACTIVITY;
	const shown = includeDisconnected
		? participants
		: participants.filter((participant) => !participant.disconnectedAt);
	return { status: 200, body: { sessionId: session.id, participants: page(shown, paging) } };
};

export const listEventHistory: Handler = (hub, request) => {
	const session = findSession(hub, request);
	const paging = readPaging(request.query);
	const { events } = session.activity ?? EMPTY_ACTIVITY;
	if (!hub.strict) {
		// Oldest first, as recorded; `total` counts them all.
		return {
			status: 200,
			body: {
				sessionId: session.id,
				events: page(events, paging),
				total: events.length,
				...echo(request, paging),
			},
		};
	}
	const beforeId = readInteger(request.query, 'beforeId');
	const newestFirst = [...events]
		.filter((event) => beforeId === undefined || event.id < beforeId)
		.sort((a, b) => b.id - a.id);
	return {
		status: 200,
		body: { sessionId: session.id, events: page(newestFirst, paging), ...echo(request, paging) },
	};
};

export const getReplay: Handler = (hub, request) => {
	const session = findSession(hub, request);
	const paging = readPaging(request.query);
	const { replay } = session.activity ?? EMPTY_ACTIVITY;
	if (!hub.strict) {
		return { status: 200, body: { sessionId: session.id, events: page(replay, paging) } };
	}
	return {
		status: 200,
		body: {
			sessionId: session.id,
			entriesSource: replay.length > 0 ? 'session_entries' : 'none',
			sourceCounts: { durableStream: 0, sessionEntries: replay.length, eventHistory: 0 },
			entries: page(replay, paging),
		},
	};
};

function readBoolean(query: URLSearchParams, name: string): boolean | undefined {
	const text = query.get(name);
	if (text === null) return undefined;
	if (text !== 'true' && text !== 'false') {
		throw new HttpError(
			400,
			'CODER_INVALID_REQUEST',
			`${name} must be true or false (got "${text}")`
		);
	}
	return text === 'true';
}

function readInteger(query: URLSearchParams, name: string): number | undefined {
	const text = query.get(name);
	if (text === null) return undefined;
	if (!/^-?\d{1,15}$/.test(text)) {
		throw new HttpError(400, 'CODER_INVALID_REQUEST', `${name} must be an integer (got "${text}")`);
	}
	return Number(text);
}

export const getLoopState: Handler = (hub, request) => ({
	status: 200,
	body: loopState(findSession(hub, request), hub.clock),
});

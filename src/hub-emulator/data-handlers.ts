/**
 * The session data routes: participants, event history, replay and loop state, from what was
 * recorded for the session (through /_local or --simulate-activity). `limit`/`offset` page each
 * list and are echoed where the SDK schemas allow.
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
	const { participants } = session.activity ?? EMPTY_ACTIVITY;
	return { status: 200, body: { sessionId: session.id, participants: page(participants, paging) } };
};

/** Oldest first, as recorded; `total` counts them all. */
export const listEventHistory: Handler = (hub, request) => {
	const session = findSession(hub, request);
	const paging = readPaging(request.query);
	const { events } = session.activity ?? EMPTY_ACTIVITY;
	return {
		status: 200,
		body: {
			sessionId: session.id,
			events: page(events, paging),
			total: events.length,
			...echo(request, paging),
		},
	};
};

export const getReplay: Handler = (hub, request) => {
	const session = findSession(hub, request);
	const paging = readPaging(request.query);
	const { replay } = session.activity ?? EMPTY_ACTIVITY;
	return { status: 200, body: { sessionId: session.id, events: page(replay, paging) } };
};

export const getLoopState: Handler = (hub, request) => ({
	status: 200,
	body: loopState(findSession(hub, request), hub.clock),
});

/** A session's participants, event history and replay, summarised for `status`. */
import {
	toEventHistorySummary,
	toLoopSummary,
	toParticipantSummary,
	toReplaySummary,
} from './activity-map.js';
import { goneIsUndefined, readOther, type ReadContext } from './read-context.js';
import type {
	EventHistorySummary,
	LoopSummary,
	ParticipantSummary,
	ReplaySummary,
} from './types.js';

/**
 * Events asked for in one history read. The count shown is what that page holds (`50+` when
 * full): the REST reference documents no `total`, so none is relied on, and a second read would
 * cost a call per session for a number nobody acts on.
 */
export const EVENT_PAGE_SIZE = 50;

export function readParticipants(
	context: ReadContext,
	id: string
): Promise<ParticipantSummary | undefined> {
	return readSessionData(context, `list participants of session ${id}`, async () =>
		toParticipantSummary(await context.client.listParticipants(id))
	);
}

export async function readEventHistory(
	context: ReadContext,
	id: string
): Promise<EventHistorySummary | undefined> {
	const page = await readSessionData(context, `read event history of session ${id}`, () =>
		context.client.listEventHistory(id, { limit: EVENT_PAGE_SIZE })
	);
	return page ? toEventHistorySummary(page, EVENT_PAGE_SIZE) : undefined;
}

export function readReplay(context: ReadContext, id: string): Promise<ReplaySummary | undefined> {
	return readSessionData(context, `read replay of session ${id}`, async () =>
		toReplaySummary(await context.client.getReplay(id, { limit: 1 }))
	);
}

export async function readLoopState(
	context: ReadContext,
	id: string
): Promise<LoopSummary | undefined> {
	const state = await readSessionData(context, `read loop state of session ${id}`, () =>
		context.client.getLoopState(id)
	);
	return state ? toLoopSummary(state) : undefined;
}

/** A 404 means the session is gone. */
function readSessionData<T>(
	context: ReadContext,
	what: string,
	call: () => Promise<T>
): Promise<T | undefined> {
	return readOther(context, what, call, goneIsUndefined);
}

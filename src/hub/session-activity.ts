/**
 * Reads participants, event history and replay of many sessions, and the loop of those in loop
 * mode, at most `parallelism` calls at once.
 */
import pLimit from 'p-limit';
import { HubError } from '../core/errors.js';
import { HubUnavailableError } from './errors.js';
import type {
	EventHistorySummary,
	HubReader,
	LoopSummary,
	ParticipantSummary,
	ReplaySummary,
} from './types.js';
import type { LiveSession } from '../kinds/session/live.js';

/** What the session-data reads found; `error` when they failed (the row shows `?`). */
export interface SessionActivity {
	readonly participants?: ParticipantSummary;
	readonly events?: EventHistorySummary;
	readonly replay?: ReplaySummary;
	/** Loop mode: the loop, from getLoopState. */
	readonly loop?: LoopSummary;
	readonly error?: string;
}

/**
 * One failed read does not sink the table: the session's activity carries the Hub's message
 * (rate limits are already waited out by the Hub layer), unless the Hub stopped answering
 * altogether. Anything but a HubError is a bug.
 */
export async function readActivity(
	hub: HubReader,
	sessions: readonly Pick<LiveSession, 'id' | 'workflowMode' | 'archived'>[],
	parallelism: number
): Promise<Map<string, SessionActivity>> {
	const limit = pLimit(parallelism);
	const entries = await Promise.all(
		sessions.map(async ({ id, workflowMode, archived }): Promise<[string, SessionActivity]> => {
			try {
				const [participants, events, replay, loop] = await Promise.all([
					limit(() => hub.readParticipants(id)),
					limit(() => hub.readEventHistory(id)),
					limit(() => hub.readReplay(id)),
					workflowMode === 'loop' && !archived ? limit(() => hub.readLoopState(id)) : undefined,
				]);
				return [id, { participants, events, replay, ...(loop ? { loop } : {}) }];
			} catch (error) {
				if (!(error instanceof HubError) || error instanceof HubUnavailableError) throw error;
				return [id, { error: error.message }];
			}
		})
	);
	return new Map(entries);
}

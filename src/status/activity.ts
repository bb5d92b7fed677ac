/** Reads participants, event history and replay of many sessions, at most `parallelism` calls at once. */
import pLimit from 'p-limit';
import { HubError } from '../errors.js';
import { HubUnavailableError } from '../hub-client/errors.js';
import type { HubReader } from '../hub-client/types.js';
import type { SessionActivity } from './rows.js';

/**
 * One failed read does not sink the table: the session's activity carries the Hub's message
 * (rate limits are already waited out by the Hub layer), unless the Hub stopped answering
 * altogether. Anything but a HubError is a bug.
 */
export async function readActivity(
	hub: HubReader,
	ids: readonly string[],
	parallelism: number
): Promise<Map<string, SessionActivity>> {
	const limit = pLimit(parallelism);
	const entries = await Promise.all(
		ids.map(async (id): Promise<[string, SessionActivity]> => {
			try {
				const [participants, events, replay] = await Promise.all([
					limit(() => hub.readParticipants(id)),
					limit(() => hub.readEventHistory(id)),
					limit(() => hub.readReplay(id)),
				]);
				return [id, { participants, events, replay }];
			} catch (error) {
				if (!(error instanceof HubError) || error instanceof HubUnavailableError) throw error;
				return [id, { error: error.message }];
			}
		})
	);
	return new Map(entries);
}

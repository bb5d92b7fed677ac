/**
 * The SDK re-sends a POST after a connection reset or a 502/503 (hub-api.md section 6), so one
 * create can leave more than one session behind without apply ever seeing it. After the creates,
 * sessions that appeared during the run are read: any that carries the markers of a key this run
 * created is a duplicate, and is archived (the session the create answered with is kept).
 */
import pLimit from 'p-limit';
import type { HubWriter } from '../hub/types.js';
import { MARKER } from '../plan/markers.js';
import type { DuplicateArchived, Outcome } from './events.js';

export async function sweepDuplicates(
	outcomes: readonly Outcome[],
	hub: HubWriter,
	stack: string,
	knownIds: ReadonlySet<string>,
	parallelism: number
): Promise<DuplicateArchived[]> {
	const createdByKey = new Map<string, string>();
	for (const { action, status, sessionId } of outcomes) {
		if (status !== 'applied' || !sessionId) continue;
		if (action.kind === 'create' || action.kind === 'replace')
			createdByKey.set(action.key, sessionId);
	}
	if (createdByKey.size === 0) return [];
	const ours = new Set(createdByKey.values());
	const appeared = (await hub.listSessionIds()).filter((id) => !knownIds.has(id) && !ours.has(id));
	const limit = pLimit(parallelism);
	const found = await Promise.all(
		appeared.map((id) =>
			limit(async (): Promise<DuplicateArchived | undefined> => {
				const session = await hub.getSession(id);
				const key = session?.metadata[MARKER.key];
				if (!session || session.archived || session.metadata[MARKER.stack] !== stack || !key)
					return undefined;
				const kept = createdByKey.get(key);
				if (!kept) return undefined;
				await hub.archiveSession(id);
				return { key, id, kept };
			})
		)
	);
	return found.filter((entry): entry is DuplicateArchived => entry !== undefined);
}

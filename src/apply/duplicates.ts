/**
 * The SDK re-sends a POST after a connection reset or a 502/503 (hub-api.md section 6), so one
 * create can leave more than one session behind without apply ever seeing it. Such a copy
 * carries this run's own `coder-sessions/run` marker: it is archived in the same run (the
 * session the create answered with is kept). A copy that another run made carries that run's
 * marker and is never touched here: it is reported, and the next plan dedupes the key.
 */
import pLimit from 'p-limit';
import type { HubWriter } from '../hub-client/types.js';
import { MARKER } from '../ownership/markers.js';
import type { DuplicateArchived, NotConverged, Outcome } from './events.js';
import type { ReadBack } from './read-back.js';

/** Sessions this run's own re-sent creates left, beside the one each create answered with. */
export function ownDuplicates(
	outcomes: readonly Outcome[],
	back: ReadBack,
	stack: string,
	runId: string
): DuplicateArchived[] {
	const createdByKey = new Map<string, string>();
	for (const { action, status, sessionId } of outcomes) {
		if (status !== 'applied' || !sessionId) continue;
		if (action.kind === 'create' || action.kind === 'replace')
			createdByKey.set(action.key, sessionId);
	}
	const duplicates: DuplicateArchived[] = [];
	for (const id of back.appeared) {
		const session = back.sessions.get(id);
		if (!session || session.archived) continue;
		if (session.metadata[MARKER.stack] !== stack || session.metadata[MARKER.run] !== runId)
			continue;
		const key = session.metadata[MARKER.key];
		const kept = key === undefined ? undefined : createdByKey.get(key);
		if (key !== undefined && kept !== undefined && kept !== id) duplicates.push({ key, id, kept });
	}
	return duplicates;
}

/** Archives them; one that cannot be archived is reported as not converged. */
export async function archiveDuplicates(
	duplicates: readonly DuplicateArchived[],
	hub: HubWriter,
	parallelism: number
): Promise<{ archived: DuplicateArchived[]; failed: NotConverged[] }> {
	const limit = pLimit(parallelism);
	const archived: DuplicateArchived[] = [];
	const failed: NotConverged[] = [];
	await Promise.all(
		duplicates.map((duplicate) =>
			limit(async () => {
				try {
					await hub.archiveSession(duplicate.id);
					archived.push(duplicate);
				} catch (error) {
					const reason = error instanceof Error ? error.message : String(error);
					failed.push({
						key: duplicate.key,
						sessionId: duplicate.id,
						problem: `is a duplicate a re-sent create left, and could not be archived: ${reason}`,
					});
				}
			})
		)
	);
	return { archived, failed };
}

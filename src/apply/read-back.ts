/**
 * After the actions, one read of the Hub that the duplicate sweep, the verification and the
 * check for other writers share: the ids listed now, and the detail of every session that
 * appeared since the plan, of every session of the stack the plan saw active, of every session
 * an action touched, and of every active session the Hub's search finds for the stack's name:
 * a session that joined the stack during the run (import, adopt, take-over) existed before the
 * plan, so only its markers tell, and the search is how it is found without reading the org.
 */
import pLimit from 'p-limit';
import type { HubReader } from '../hub/types.js';
import { MARKER } from '../ownership/markers.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { Listing } from '../hub/discovery/types.js';

/** Search hits read in detail at most, beside the stack's own (see below). */
const JOIN_READS = 100;

export interface ReadBack {
	/** Detail per session id read; undefined when the Hub no longer has it (404). */
	readonly sessions: ReadonlyMap<string, LiveSession | undefined>;
	/** Sessions that could not be read, with the reason. */
	readonly unreadable: ReadonlyMap<string, string>;
	/** Sessions listed now that the plan did not see (read in full above). */
	readonly appeared: readonly string[];
	/** Why the Hub could not be listed, when it could not: then `appeared` is empty. */
	readonly listFailure?: string;
}

export async function readBack(
	hub: HubReader,
	stack: string,
	baseline: readonly LiveSession[],
	touched: Iterable<string>,
	parallelism: number,
	listing?: Listing
): Promise<ReadBack> {
	const known = new Set([...(listing?.ids ?? []), ...baseline.map((session) => session.id)]);
	let appeared: string[] = [];
	let searched: string[] = [];
	let listFailure: string | undefined;
	const includeArchived = listing?.includeArchived ?? true;
	await Promise.all([
		hub.listSessionIds({ includeArchived }).then(
			(ids) => (appeared = ids.filter((id) => !known.has(id))),
			(error: unknown) => (listFailure ??= messageOf(error))
		),
		searchIds(hub, stack).then(
			(ids) => (searched = ids),
			(error: unknown) => (listFailure ??= messageOf(error))
		),
	]);
	const stackActive = baseline
		.filter((session) => !session.archived && session.metadata[MARKER.stack] === stack)
		.map((session) => session.id);
	const ids = new Set<string>([...appeared, ...stackActive, ...touched]);
	// The search's hits besides those: sessions that joined the stack, or name it in their text.
	// Far more than the stack has means the Hub did not narrow the listing by the search (it
	// ignores the query): reading them all would be a full read, so joins go unseen instead.
	const hits = searched.filter((id) => !ids.has(id));
	if (hits.length <= Math.max(JOIN_READS, stackActive.length)) for (const id of hits) ids.add(id);
	const sessions = new Map<string, LiveSession | undefined>();
	const unreadable = new Map<string, string>();
	const limit = pLimit(parallelism);
	await Promise.all(
		[...ids].map((id) =>
			limit(async () => {
				try {
					sessions.set(id, await hub.getSession(id));
				} catch (error) {
					unreadable.set(id, messageOf(error));
				}
			})
		)
	);
	return { sessions, unreadable, appeared, ...(listFailure ? { listFailure } : {}) };
}

/**
 * The active sessions the Hub's search finds for the stack's name. Mostly the stack's own
 * (read anyway); the others are sessions that joined it, or name it in their text. A search that
 * does not look at metadata, or has not indexed a write yet, finds no joined session: see the
 * README's concurrency section for that window.
 */
async function searchIds(hub: HubReader, stack: string): Promise<string[]> {
	const ids: string[] = [];
	for await (const { sessions } of hub.listSummaries({ search: stack, includeArchived: false }))
		for (const { id } of sessions) ids.push(id);
	return ids;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

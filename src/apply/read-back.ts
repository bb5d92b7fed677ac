/**
 * After the actions, one read of the Hub that the duplicate sweep, the verification and the
 * check for other writers share: the sessions listed now, and the detail of every session that
 * appeared since the plan, of every session of the stack the plan saw active, of every session
 * an action touched, and of every active session the Hub's search finds for the stack's name:
 * a session that joined the stack during the run (import, adopt, take-over) existed before the
 * plan, so only its markers tell, and the search is how it is found without reading the org.
 *
 * A session this run wrote is not read again when its write's answer says what it is and nobody
 * wrote it since: it is listed now, active, and the Hub's search for this run's id finds it. Every
 * write carries its run's id in `coder-sessions/run`, so another writer's write after this run's
 * own (an apply, forget, import) replaces or empties that value, and the session drops out of
 * the search: it is read in detail, as is every written session the search does not find. The
 * search is trusted only when a search for a text no session holds finds nothing (a Hub that
 * ignores the query lists everything); a Hub whose search skips metadata, or has not indexed the
 * session yet, finds none of them, and then each is read as before.
 */
import pLimit from 'p-limit';
import { collectListing, listedIds } from '../hub/listing.js';
import type { HubReader, SessionSummary } from '../hub/types.js';
import { MARKER } from '../ownership/markers.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { Listing } from '../hub/discovery/types.js';

/** Search hits read in detail at most, beside the stack's own (see below). */
const JOIN_READS = 100;

export interface ReadBack {
	/** Detail per session id read; undefined when the Hub no longer has it (404). */
	readonly sessions: ReadonlyMap<string, LiveSession | undefined>;
	/** Sessions taken from their write's answer (see above) rather than read. */
	readonly answered?: ReadonlySet<string>;
	/** Sessions that could not be read, with the reason. */
	readonly unreadable: ReadonlyMap<string, string>;
	/** Sessions listed now that the plan did not see (read in full above). */
	readonly appeared: readonly string[];
	/** Why the Hub could not be listed, when it could not: then `appeared` is empty. */
	readonly listFailure?: string;
}

/** The sessions this run wrote, as their writes' answers say they are. */
export interface WriteAnswers {
	readonly runId: string;
	readonly sessions: ReadonlyMap<string, LiveSession>;
	/** A text no session holds, to tell whether the Hub's search narrows at all. */
	readonly absentText?: string;
}

export async function readBack(
	hub: HubReader,
	stack: string,
	baseline: readonly LiveSession[],
	touched: Iterable<string>,
	parallelism: number,
	listing?: Listing,
	answers?: WriteAnswers
): Promise<ReadBack> {
	const known = new Set([...(listing?.ids ?? []), ...baseline.map((session) => session.id)]);
	let appeared: string[] = [];
	let searched: string[] = [];
	let listed = new Map<string, SessionSummary>();
	let carryRun = new Set<string>();
	let listFailure: string | undefined;
	const includeArchived = listing?.includeArchived ?? true;
	const failed = (error: unknown) => (listFailure ??= messageOf(error));
	await Promise.all([
		collectListing(hub.listSummaries({ includeArchived, parallelism })).then((sessions) => {
			listed = new Map(sessions.map((session) => [session.id, session]));
			appeared = sessions.map(({ id }) => id).filter((id) => !known.has(id));
		}, failed),
		searchIds(hub, stack, false, parallelism).then((ids) => (searched = ids), failed),
		answers && answers.sessions.size > 0
			? stillThisRuns(hub, answers, parallelism).then((ids) => (carryRun = ids), failed)
			: undefined,
	]);
	// Written by this run, and by nobody since: the write's answer is what a read would say.
	const answered = new Map<string, LiveSession>();
	for (const [id, session] of answers?.sessions ?? []) {
		const summary = listed.get(id);
		if (!carryRun.has(id) || !summary || summary.archived) continue;
		answered.set(id, { ...session, createdAt: session.createdAt || summary.createdAt });
	}
	const stackActive = baseline
		.filter((session) => !session.archived && session.metadata[MARKER.stack] === stack)
		.map((session) => session.id);
	const ids = new Set<string>([...appeared, ...stackActive, ...touched]);
	for (const id of answered.keys()) ids.delete(id);
	// The search's hits besides those: sessions that joined the stack, or name it in their text.
	// Far more than the stack has means the Hub did not narrow the listing by the search (it
	// ignores the query): reading them all would be a full read, so joins go unseen instead.
	const hits = searched.filter((id) => !ids.has(id) && !answered.has(id));
	if (hits.length <= Math.max(JOIN_READS, stackActive.length)) for (const id of hits) ids.add(id);
	const sessions = new Map<string, LiveSession | undefined>(answered);
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
	return {
		sessions,
		unreadable,
		appeared,
		answered: new Set(answered.keys()),
		...(listFailure ? { listFailure } : {}),
	};
}

/**
 * The written sessions that still carry this run's id, as the Hub's search finds them: none at
 * all when the search does not narrow (it finds something for a text no session holds).
 */
async function stillThisRuns(
	hub: HubReader,
	answers: WriteAnswers,
	parallelism: number
): Promise<Set<string>> {
	const [found, absent] = await Promise.all([
		searchIds(hub, answers.runId, true, parallelism),
		searchIds(hub, answers.absentText ?? `${answers.runId}_absent`, true, parallelism),
	]);
	if (absent.length > 0) return new Set();
	return new Set(found.filter((id) => answers.sessions.has(id)));
}

/**
 * The sessions the Hub's search finds for a text; for the stack's name, the active ones. Mostly the stack's own
 * (read anyway); the others are sessions that joined it, or name it in their text. A search that
 * does not look at metadata, or has not indexed a write yet, finds no joined session: see the
 * README's concurrency section for that window.
 */
function searchIds(
	hub: HubReader,
	text: string,
	includeArchived: boolean,
	parallelism: number
): Promise<string[]> {
	return listedIds(hub.listSummaries({ search: text, includeArchived, parallelism }));
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

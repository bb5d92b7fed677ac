/**
 * The stack's sessions through the Hub's search, read so that a weak search can cost time but
 * never correctness.
 *
 * Steps:
 *  1. Search for the stack's name (active sessions) and read the detail of every hit.
 *  2. Verify: at least one hit is a session of the stack that the search can only have matched
 *     through the `coder-sessions/stack` marker in its metadata (witness.ts). When every session
 *     of the stack it found also names the stack in its task or label, search for the stack's
 *     token instead, a term only the `coder-sessions/search-token` marker holds
 *     (ownership/search-token.ts), read the hits not read yet, and take as witness a hit of the
 *     stack that holds the token in that marker alone. Without a witness, the search is
 *     unverified and the caller reads every session instead.
 *  3. List every active session (list calls only, no detail) and read the detail of those created
 *     or active less than SEARCH_LAG_MS ago (by the Hub's clock) that the search did not return,
 *     and of every session named by id (`adopt:` targets).
 *  4. When the plan needs archived history (an entry with `state: archived`, a key with no active
 *     session, `--only` naming a key the spec does not declare, `prune: delete`: plan-needs.ts),
 *     search again for the stack's name with archived sessions included and read the new hits.
 *
 * Why no active session of the stack is missed (so a create is planned only for a key that has
 * none, and every session the stack could remove was read through its detail). The Hub's search
 * is assumed to be (a) uniform: it matches the metadata values of every session or of none,
 * whichever key holds them (the Hub documents one search "across title, task, and metadata"),
 * and (b) at most SEARCH_LAG_MS behind a session's creation or last write. Take an active
 * session S of the stack. If it was created or written within the lag, the active listing of
 * step 3 shows it (listing does not depend on search) with that recent time, and its detail is
 * read. Otherwise the search has indexed S as it is; by step 2 the search matched a metadata
 * value of one session (its stack marker, or its token marker), so by (a) it matches S's stack
 * marker too, and S is a hit of step 1, whether or not S carries the token yet (a session made
 * before the token was written has the stack marker all the same). A search that ignores
 * metadata finds no witness and is never trusted: the token is in no task or label (a session
 * that copies it there is no witness); a search that indexes late is covered by step 3, whatever
 * its delay within the lag. `adopt:` targets are read by id, so a take-over is refused or allowed
 * on what the Hub holds now.
 *
 * Removals stay safe: a session the search missed is in no plan at all, and a hit is planned only
 * from its detail (markers, protection), as with a full read.
 */
import type { SessionSummary } from '../types.js';
import type { HubReader } from '../types.js';
import { MARKER } from '../../ownership/markers.js';
import { stackToken } from '../../ownership/search-token.js';
import type { LiveSession } from '../../kinds/session/live.js';
import pLimit from 'p-limit';
import { count, listAll } from './reads.js';
import { listedIds } from '../listing.js';
import type { DiscoveryRequest, Listing } from './types.js';
import {
	matchedThroughMetadata,
	matchedThroughToken,
	recentSessions,
	searchCutoff,
} from './witness.js';

/** Sessions read in detail that the active listing does not hold, by why they were read. */
export interface SearchUnlisted {
	/** Found by the search with archived sessions included: the history the plan needs. */
	readonly history: number;
	/** Named by id (`adopt:` targets). */
	readonly byId: number;
	/** Search hits the listing missed (archived or created meanwhile). */
	readonly other: number;
}

export type SearchOutcome =
	| {
			readonly verified: false;
			readonly reason: string;
			/** The hits read in detail: a full read need not read them again. */
			readonly read: readonly LiveSession[];
	  }
	| {
			readonly verified: true;
			/** What the witness matched: the stack marker, or the stack's token marker. */
			readonly witness: 'stack' | 'token';
			readonly live: LiveSession[];
			readonly listing: Listing;
			/** Sessions of the stack found. */
			readonly found: number;
			/** Active sessions listed and read in detail (search hits, recent sessions, ids named). */
			readonly read: number;
			readonly recent: number;
			/** Sessions read in detail that the active listing does not hold, and why. */
			readonly unlisted: SearchUnlisted;
	  };

export async function searchRead(
	hub: HubReader,
	request: DiscoveryRequest
): Promise<SearchOutcome> {
	const { stack } = request;
	const reads = sharedReads(hub, request);
	// Sessions named by id are read whatever the search finds.
	for (const id of request.byId ?? []) reads.read(id);
	// The listing of step 3 runs beside steps 1 and 2; it stops if the search is not verified.
	let unverified = false;
	const now = request.now ?? Date.now;
	const listing = listAll(
		hub,
		{ includeArchived: false, parallelism: request.parallelism },
		request.onProgress,
		() => unverified
	).then((listed) => {
		// Step 3's reads start as soon as the listing is whole: a search found unverified needs
		// them all the same, in the full read that follows (read a moment ago, not read again).
		if (!unverified)
			for (const { id } of recentSessions(listed, searchCutoff(listed, now()))) {
				reads.read(id);
			}
		return listed;
	});
	listing.catch(() => {});
	const hits = await searchIds(hub, request, stack, false, reads);
	const seen = new Set(hits);
	const hitDetails = await reads.readAll(hits);
	const ofStack = (session: LiveSession) => session.metadata[MARKER.stack] === stack;
	const byMarker = hitDetails.some((session) => matchedThroughMetadata(stack, session));
	let witness: 'stack' | 'token' | undefined = byMarker ? 'stack' : undefined;
	if (!witness && hitDetails.some(ofStack)) {
		// Every session of the stack found names it outside its markers: its token tells instead.
		const tokenHits = await searchIds(hub, request, stackToken(stack), false, reads);
		const fresh = tokenHits.filter((id) => !seen.has(id));
		hitDetails.push(...(await reads.readAll(fresh)));
		for (const id of fresh) seen.add(id);
		const found = new Set(tokenHits);
		const byToken = hitDetails.some((s) => found.has(s.id) && matchedThroughToken(stack, s));
		if (byToken) witness = 'token';
	}
	if (!witness) {
		const why = hitDetails.some(ofStack)
			? `each session of stack ${stack} it found also names the stack outside its markers, ` +
				`and a search for the stack's token (written on each session's next apply) found none of them`
			: `it found no session of stack ${stack}`;
		unverified = true;
		await listing.catch(() => {});
		return { verified: false, reason: `search unverified: ${why}`, read: await reads.everyRead() };
	}

	const listed = await listing;
	const recent = recentSessions(listed, searchCutoff(listed, now()));
	const extra = [...ids(recent), ...(request.byId ?? [])].filter((id) => !seen.has(id));
	const extraDetails = await reads.readAll([...new Set(extra)]);
	for (const id of extra) seen.add(id);

	const byId = new Set(request.byId ?? []);
	// Sessions the Hub spawned are kept to be counted as left alone (a copy of the stack's
	// markers makes them hits): they carry no markers here, so nothing plans them.
	const kept = (session: LiveSession) =>
		ofStack(session) || byId.has(session.id) || session.spawned !== undefined;
	const live = [...hitDetails, ...extraDetails].filter(kept);
	let history = 0;
	if (request.needsArchived(live.filter((session) => !session.archived))) {
		const found = await searchIds(hub, request, stack, true, reads);
		const fresh = found.filter((id) => !seen.has(id));
		const archived = await reads.readAll(fresh);
		history = archived.length;
		live.push(...archived.filter(kept));
	}
	// The note counts reads against the active listing: only those it holds are "N of M active".
	const listedIds = new Set(ids(listed));
	const readIds = [...hitDetails, ...extraDetails].map((session) => session.id);
	const read = readIds.filter((id) => listedIds.has(id)).length;
	const byIdUnlisted = readIds.filter((id) => !listedIds.has(id) && byId.has(id)).length;
	return {
		verified: true,
		witness,
		live,
		listing: { ids: listedIds, includeArchived: false },
		found: live.filter(ofStack).length,
		read,
		recent: recent.length,
		unlisted: { history, byId: byIdUnlisted, other: readIds.length - read - byIdUnlisted },
	};
}

/** Detail reads shared by every step of a search read. */
interface SharedReads {
	/** Starts reading a session's detail, unless already started: each session is read once. */
	read(id: string): Promise<LiveSession | undefined>;
	/** The details of these sessions (gone ones left out), once read. */
	readAll(ids: readonly string[]): Promise<LiveSession[]>;
	/** The details of every session read or being read. */
	everyRead(): Promise<LiveSession[]>;
}

/**
 * One queue of detail reads, `parallelism` at a time, for every step: a step's reads start as its
 * list pages come (not once its listing is whole), and a session two steps name is read once.
 */
function sharedReads(hub: HubReader, request: DiscoveryRequest): SharedReads {
	const limit = pLimit(request.parallelism);
	const started = new Map<string, Promise<LiveSession | undefined>>();
	let done = 0;
	const read = (id: string) => {
		let detail = started.get(id);
		if (!detail) {
			detail = limit(() => hub.getSession(id));
			started.set(id, detail);
			// Awaited by a step, or by everyRead; until then a failure must not go unhandled.
			detail.then(
				() => request.onProgress?.(`read ${count(++done, started.size)} sessions`),
				() => {}
			);
		}
		return detail;
	};
	const readAll = async (ids: readonly string[]) =>
		(await Promise.all(ids.map(read))).filter(
			(session): session is LiveSession => session !== undefined
		);
	return { read, readAll, everyRead: () => readAll([...started.keys()]) };
}

/** The ids a search lists, each read in detail as its page comes. */
function searchIds(
	hub: HubReader,
	request: DiscoveryRequest,
	search: string,
	includeArchived: boolean,
	reads: SharedReads
): Promise<string[]> {
	const query = { search, includeArchived, parallelism: request.parallelism };
	return listedIds(hub.listSummaries(query), (id) => void reads.read(id));
}

function ids(sessions: readonly SessionSummary[]): string[] {
	return sessions.map((session) => session.id);
}

/**
 * Every session of the org, archived ones included, each read in detail: what `plan` read before
 * it could search, and what it still reads when search cannot be trusted. Details are read while
 * the listing goes on.
 */
import pLimit from 'p-limit';
import type { HubReader, SummaryPage } from '../types.js';
import type { LiveSession } from '../../kinds/session/live.js';
import { count } from './reads.js';
import type { DiscoveryRequest, Listing } from './types.js';

export interface FullRead {
	readonly live: LiveSession[];
	readonly listing: Listing;
}

export interface FullReadStart {
	/** The listing of every session, archived included, when already started... */
	readonly pages?: AsyncIterator<SummaryPage>;
	/** ...and the page already taken from it. */
	readonly first?: SummaryPage;
	/** Sessions read in detail a moment ago: not read again. */
	readonly known?: readonly LiveSession[];
}

/** Lists every session, archived included, and reads the detail of each one listed. */
export async function fullRead(
	hub: HubReader,
	request: DiscoveryRequest,
	start: FullReadStart = {}
): Promise<FullRead> {
	const { first, known = [] } = start;
	const pages = start.pages ?? hub.listSummaries({ includeArchived: true })[Symbol.asyncIterator]();
	const readBefore = new Map(known.map((session) => [session.id, session]));
	const limit = pLimit(request.parallelism);
	const listed = new Set<string>();
	const details: Promise<LiveSession | undefined>[] = [];
	let total: number | undefined;
	let done = 0;
	const take = (page: SummaryPage) => {
		total = page.total;
		for (const { id } of page.sessions) {
			listed.add(id);
			const before = readBefore.get(id);
			const detail = before ? Promise.resolve(before) : limit(() => hub.getSession(id));
			// Handled at Promise.all below; until then a failure must not go unhandled.
			detail.then(
				() => request.onProgress?.(`read ${count(++done, total ?? listed.size)} sessions`),
				() => {}
			);
			details.push(detail);
		}
	};
	if (first) take(first);
	for (let next = await pages.next(); !next.done; next = await pages.next()) take(next.value);
	const sessions = await Promise.all(details);
	return {
		// A session deleted between the list and the detail read is simply gone.
		live: sessions.filter((session): session is LiveSession => session !== undefined),
		listing: { ids: listed, includeArchived: true },
	};
}

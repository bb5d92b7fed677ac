/**
 * Every session of the org, archived ones included, each read in detail: what `plan` read before
 * it could search, and what it still reads when search cannot be trusted. Details are read while
 * the listing goes on.
 */
import type { HubReader, SummaryPage } from '../types.js';
import type { LiveSession } from '../../kinds/session/live.js';
import { readListedDetails } from '../detail-reads.js';
import { count } from './reads.js';
import type { DiscoveryRequest, Listing } from './types.js';

export interface FullRead {
	readonly live: LiveSession[];
	readonly listing: Listing;
}

export interface FullReadStart {
	/** The listing of every session, archived included, when already started... */
	readonly pages?: AsyncIterable<SummaryPage>;
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
	const pages = start.pages ?? hub.listSummaries({ includeArchived: true });
	const { onProgress } = request;
	const { live, listed } = await readListedDetails(
		first ? withFirst(first, pages) : pages,
		(id) => hub.getSession(id),
		{
			parallelism: request.parallelism,
			known,
			...(onProgress
				? {
						onProgress: (done, given, total) =>
							onProgress(`read ${count(done, total ?? given)} sessions`),
					}
				: {}),
		}
	);
	return { live, listing: { ids: listed, includeArchived: true } };
}

/** The listing again with its page already taken put back in front. */
async function* withFirst(
	first: SummaryPage,
	rest: AsyncIterable<SummaryPage>
): AsyncGenerator<SummaryPage> {
	yield first;
	yield* rest;
}

/** The two reads a discovery is made of: a listing (cheap) and detail reads (one call each). */
import type { HubReader, ListQuery, SessionSummary, SummaryPage } from '../types.js';
import { collectListing } from '../listing.js';
import type { LiveSession } from '../../kinds/session/live.js';
import type { DiscoveryRequest } from './types.js';

/**
 * Every page of a listing; tells progress from the second page on (a long listing). Stops asking
 * for pages once `stopped` says so.
 */
export function listAll(
	hub: HubReader,
	query: ListQuery,
	onProgress?: (text: string) => void,
	stopped: () => boolean = () => false
): Promise<SessionSummary[]> {
	return collectListing(hub.listSummaries(query), {
		stopped,
		...(onProgress
			? {
					onPage: (listed: number, page: SummaryPage, pageNumber: number) => {
						if (pageNumber > 1) onProgress(`listed ${count(listed, page.total)} sessions`);
					},
				}
			: {}),
	});
}

/** The details of these sessions, gone ones left out. */
export function readEach(
	hub: HubReader,
	ids: readonly string[],
	request: DiscoveryRequest,
	what: string
): Promise<LiveSession[]> {
	const onProgress = request.onProgress;
	return hub.readDetails(ids, {
		parallelism: request.parallelism,
		...(onProgress
			? { onProgress: (done, total) => onProgress(`read ${count(done, total)} ${what}`) }
			: {}),
	});
}

export function count(done: number, total: number | undefined): string {
	const text = (n: number) => n.toLocaleString('en-US');
	return total === undefined || total < done ? text(done) : `${text(done)} of ${text(total)}`;
}

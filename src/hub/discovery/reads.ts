/** A discovery's listings (cheap: list calls only), and how its progress counts. */
import type { HubReader, ListQuery, SessionSummary, SummaryPage } from '../types.js';
import { collectListing } from '../listing.js';

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

export function count(done: number, total: number | undefined): string {
	const text = (n: number) => n.toLocaleString('en-US');
	return total === undefined || total < done ? text(done) : `${text(done)} of ${text(total)}`;
}

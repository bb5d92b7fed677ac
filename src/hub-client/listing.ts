/** Paging through the Hub's session list: offsets, short pages, and pages answered twice. */
import type { CoderSessionListItem } from '@agentuity/core/coder';
import { HubError } from '../errors.js';
import { isHistory } from './map.js';
import type { ListQuery, SessionSummary, SummaryPage } from './types.js';

/** Sessions per list call. The Hub documents no maximum; short pages end the listing. */
export const PAGE_SIZE = 100;

/** One list call: the page at `offset` of at most `limit` sessions. */
export type ListPageCall = (
	offset: number,
	limit: number,
	query: ListQuery
) => Promise<{ sessions: readonly CoderSessionListItem[]; total?: number }>;

/** Every page of the list, as the sessions not seen on an earlier page. */
export async function* listPages(
	call: ListPageCall,
	query: ListQuery
): AsyncGenerator<SummaryPage> {
	const seen = new Set<string>();
	let pageSize = query.pageSize ?? PAGE_SIZE;
	for (let offset = 0; ;) {
		const { sessions: page, total } = await call(offset, pageSize, query);
		// Paging by offset can show a session twice when others are created meanwhile.
		const fresh = page.filter((item) => !seen.has(item.sessionId));
		if (page.length > 0 && fresh.length === 0) {
			throw new HubError(
				'list sessions: the Hub answered the same page twice (does it ignore offset?)'
			);
		}
		for (const item of fresh) seen.add(item.sessionId);
		yield { sessions: fresh.map(toSummary), ...(total !== undefined ? { total } : {}) };
		offset += page.length;
		if (page.length === 0) break;
		if (page.length < pageSize) {
			// A short page ends the listing, unless the Hub caps pages below our size and its
			// `total` (only a hint) says more exist: then page on at the Hub's size.
			if (offset >= (total ?? 0)) break;
			pageSize = page.length;
		}
	}
}

function toSummary(item: CoderSessionListItem): SessionSummary {
	return {
		id: item.sessionId,
		createdAt: item.createdAt,
		...(item.lastActivityAt ? { lastActivityAt: item.lastActivityAt } : {}),
		archived: isHistory(item),
	};
}

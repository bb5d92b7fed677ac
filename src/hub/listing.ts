/** Paging through the Hub's session list: offsets, short pages, and pages answered twice. */
import type { CoderSessionListItem } from '@agentuity/core/coder';
import { HubError } from '../core/errors.js';
import { isHistory } from './map.js';
import type { ListQuery, SessionSummary, SummaryPage } from './types.js';

/** Sessions per list call. The Hub documents no maximum; short pages end the listing. */
export const PAGE_SIZE = 100;

/**
 * The most sessions one listing reads. Far beyond any org's history (a plan reads each listed
 * session in detail), and a bound on a Hub that never answers a short page: past it the listing
 * fails with a message rather than paging on for ever.
 */
export const MAX_LISTED_SESSIONS = 1_000_000;

/** One list call: the page at `offset` of at most `limit` sessions. */
export type ListPageCall = (
	offset: number,
	limit: number,
	query: ListQuery
) => Promise<{ sessions: readonly CoderSessionListItem[]; total?: number }>;

/**
 * Every page of the list, as the sessions not seen on an earlier page. Pages are asked for as
 * they are needed, until a short page: `total` is only a hint, so it never decides how many pages
 * are asked for up front (a Hub claiming a trillion sessions costs what it lists, not what it
 * claims). With `parallelism` and a `total` on the first page, up to that many pages below the
 * total are in flight at once; then paging goes on one by one from where they end, as without it.
 */
export async function* listPages(
	call: ListPageCall,
	query: ListQuery,
	maxSessions: number = MAX_LISTED_SESSIONS
): AsyncGenerator<SummaryPage> {
	const seen = new Set<string>();
	const fresh = (page: readonly CoderSessionListItem[]): CoderSessionListItem[] => {
		// Paging by offset can show a session twice when others are created meanwhile.
		const unseen = page.filter((item) => !seen.has(item.sessionId));
		if (page.length > 0 && unseen.length === 0) {
			throw new HubError(
				'list sessions: the Hub answered the same page twice (does it ignore offset?)'
			);
		}
		for (const item of unseen) seen.add(item.sessionId);
		return unseen;
	};
	let pageSize = query.pageSize ?? PAGE_SIZE;
	let offset = 0;
	const first = await call(offset, pageSize, query);
	yield summaryPage(fresh(first.sessions), first.total);
	offset += first.sessions.length;
	checkCap(offset, maxSessions, first.total);
	if (first.sessions.length === 0) return;
	if (first.sessions.length < pageSize && offset >= (first.total ?? 0)) return;
	pageSize = Math.min(pageSize, first.sessions.length);
	if ((query.parallelism ?? 1) > 1 && first.total !== undefined) {
		const end = first.total;
		let next = offset;
		// At most `parallelism` pages in flight, so a caller that stops early stops the calls too.
		const inFlight: ReturnType<ListPageCall>[] = [];
		const ask = () => {
			if (next >= end || next > maxSessions) return;
			const page = call(next, pageSize, query);
			next += pageSize;
			// Handled in order below; until then a failure must not go unhandled.
			page.catch(() => {});
			inFlight.push(page);
		};
		for (let i = 0; i < (query.parallelism ?? 1); i++) ask();
		try {
			while (inFlight.length > 0) {
				const { sessions, total } = await inFlight.shift()!;
				// A short page ends the listing: no page past it is asked for.
				const full = sessions.length >= pageSize;
				if (full) ask();
				yield summaryPage(fresh(sessions), total);
				offset += sessions.length;
				checkCap(offset, maxSessions, total);
				if (!full) return;
			}
		} finally {
			// Pages asked for past the end (a total that said more) are answered before the listing
			// ends: no call of it outlives it.
			await Promise.allSettled(inFlight);
		}
	}
	for (;;) {
		const { sessions: page, total } = await call(offset, pageSize, query);
		yield summaryPage(fresh(page), total);
		offset += page.length;
		checkCap(offset, maxSessions, total);
		if (page.length === 0) break;
		if (page.length < pageSize) {
			// A short page ends the listing, unless the Hub caps pages below our size and its
			// `total` (only a hint) says more exist: then page on at the Hub's size.
			if (offset >= (total ?? 0)) break;
			pageSize = page.length;
		}
	}
}

/**
 * Every session of a listing, page after page. `onPage` is told of each page with the count so
 * far; once `stopped` says so, no further page is asked for.
 */
export async function collectListing(
	pages: AsyncIterable<SummaryPage>,
	options: {
		readonly onPage?: (listed: number, page: SummaryPage, pageNumber: number) => void;
		readonly stopped?: () => boolean;
	} = {}
): Promise<SessionSummary[]> {
	const all: SessionSummary[] = [];
	let pageNumber = 0;
	for await (const page of pages) {
		if (options.stopped?.()) break;
		all.push(...page.sessions);
		pageNumber += 1;
		options.onPage?.(all.length, page, pageNumber);
	}
	return all;
}

/** The ids a listing holds, in its order; `onId` is told of each as its page comes. */
export async function listedIds(
	pages: AsyncIterable<SummaryPage>,
	onId?: (id: string) => void
): Promise<string[]> {
	const ids: string[] = [];
	for await (const { sessions } of pages) {
		for (const { id } of sessions) {
			ids.push(id);
			onId?.(id);
		}
	}
	return ids;
}

/** Fails a listing that went past `max` sessions. */
function checkCap(listed: number, max: number, total?: number): void {
	if (listed <= max) return;
	const text = (n: number) => n.toLocaleString('en-US');
	const claimed = total !== undefined && total > listed ? ` (its total says ${text(total)})` : '';
	throw new HubError(
		`list sessions: stopped after ${text(max)} sessions, the most one listing reads, and the Hub still lists more${claimed}`
	);
}

function summaryPage(sessions: readonly CoderSessionListItem[], total?: number): SummaryPage {
	return { sessions: sessions.map(toSummary), ...(total !== undefined ? { total } : {}) };
}

function toSummary(item: CoderSessionListItem): SessionSummary {
	return {
		id: item.sessionId,
		createdAt: item.createdAt,
		...(item.lastActivityAt ? { lastActivityAt: item.lastActivityAt } : {}),
		archived: isHistory(item),
		...(typeof item.label === 'string' ? { label: item.label } : {}),
	};
}

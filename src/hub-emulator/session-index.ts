/**
 * In-memory index of sessions: by org and id for reads, and per org two arrays kept in list
 * order (createdAt, then id, ascending) so a page is a slice, not a sort.
 */
import { isHistoryStatus } from './lifecycle.js';
import { isArchived, type StoredSession } from './session-record.js';
import { FULL_SEARCH, isIndexed, searchableText, type SearchRules } from './search.js';

export interface ListQuery {
	readonly includeArchived: boolean;
	/**
	 * Without includeArchived, hide every history-only session (shut down, stopped, failed,
	 * errored), not only archived ones: the strict Hub's reading of "Include archived sessions".
	 */
	readonly hideHistory?: boolean;
	readonly search?: string;
	/** How weak the search is (default: label, task and metadata of every session). */
	readonly searchRules?: SearchRules;
	/** The Hub's time, for rules that delay indexing. */
	readonly nowMs?: number;
	readonly limit?: number;
	readonly offset: number;
}

export interface ListPage {
	readonly sessions: readonly StoredSession[];
	/** Matches before paging. */
	readonly total: number;
}

function compareOrder(a: StoredSession, b: StoredSession): number {
	if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
	return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Index of `session`'s slot in a sorted array: its position if present, else where it goes. */
function slotOf(sorted: readonly StoredSession[], session: StoredSession): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if (compareOrder(sorted[middle]!, session) < 0) low = middle + 1;
		else high = middle;
	}
	return low;
}

function insertSorted(sorted: StoredSession[], session: StoredSession): void {
	const last = sorted[sorted.length - 1];
	// Creates nearly always arrive in order, so appending is the common case.
	if (!last || compareOrder(last, session) < 0) sorted.push(session);
	else sorted.splice(slotOf(sorted, session), 0, session);
}

function removeSorted(sorted: StoredSession[], session: StoredSession): void {
	const slot = slotOf(sorted, session);
	if (sorted[slot]?.id === session.id) sorted.splice(slot, 1);
}

function replaceSorted(sorted: StoredSession[], session: StoredSession): void {
	const slot = slotOf(sorted, session);
	if (sorted[slot]?.id === session.id) sorted[slot] = session;
}

class OrgSessions {
	readonly byId = new Map<string, StoredSession>();
	readonly all: StoredSession[] = [];
	readonly unarchived: StoredSession[] = [];
}

export class SessionIndex {
	readonly #orgs = new Map<string, OrgSessions>();
	readonly #ids = new Set<string>();
	readonly #searchText = new WeakMap<StoredSession, string>();

	get size(): number {
		return this.#ids.size;
	}

	/** Ids are unique across orgs, as on the real Hub. */
	hasId(id: string): boolean {
		return this.#ids.has(id);
	}

	get(org: string, id: string): StoredSession | undefined {
		return this.#orgs.get(org)?.byId.get(id);
	}

	/** Inserts or replaces a session (createdAt and id never change). */
	put(session: StoredSession): void {
		let org = this.#orgs.get(session.org);
		if (!org) {
			org = new OrgSessions();
			this.#orgs.set(session.org, org);
		}
		const previous = org.byId.get(session.id);
		org.byId.set(session.id, session);
		this.#ids.add(session.id);
		if (!previous) {
			insertSorted(org.all, session);
			if (!isArchived(session)) insertSorted(org.unarchived, session);
			return;
		}
		replaceSorted(org.all, session);
		if (isArchived(previous) && !isArchived(session)) insertSorted(org.unarchived, session);
		else if (!isArchived(previous) && isArchived(session)) removeSorted(org.unarchived, previous);
		else if (!isArchived(session)) replaceSorted(org.unarchived, session);
	}

	delete(org: string, id: string): boolean {
		const sessions = this.#orgs.get(org);
		const session = sessions?.byId.get(id);
		if (!sessions || !session) return false;
		sessions.byId.delete(id);
		this.#ids.delete(id);
		removeSorted(sessions.all, session);
		removeSorted(sessions.unarchived, session);
		return true;
	}

	list(org: string, query: ListQuery): ListPage {
		const sessions = this.#orgs.get(org);
		const unarchived = !sessions ? [] : query.includeArchived ? sessions.all : sessions.unarchived;
		const pool =
			query.hideHistory && !query.includeArchived
				? unarchived.filter((session) => !isHistoryStatus(session.status))
				: unarchived;
		const matches = query.search ? this.#filter(pool, query.search.toLowerCase(), query) : pool;
		const end = query.limit === undefined ? undefined : query.offset + query.limit;
		return { sessions: matches.slice(query.offset, end), total: matches.length };
	}

	/** Every session, in no particular order (for snapshots). */
	*values(): IterableIterator<StoredSession> {
		for (const org of this.#orgs.values()) yield* org.byId.values();
	}

	#filter(pool: readonly StoredSession[], needle: string, query: ListQuery): StoredSession[] {
		const rules = query.searchRules ?? FULL_SEARCH;
		const nowMs = query.nowMs ?? Date.now();
		return pool.filter((session) => {
			if (!isIndexed(session, rules, nowMs)) return false;
			// One Hub keeps one set of rules for its lifetime, so the cached text stays right.
			let text = this.#searchText.get(session);
			if (text === undefined) {
				text = searchableText(session, rules);
				this.#searchText.set(session, text);
			}
			return text.includes(needle);
		});
	}
}

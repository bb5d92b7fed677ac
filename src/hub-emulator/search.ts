/**
 * How the local Hub's `search` may be weaker than the SDK documents, to test clients that must
 * not trust it: by default it matches label, task and metadata values of every session at once.
 */
import { searchText, type StoredSession } from './session-record.js';

export interface SearchRules {
	/** Match label and task only, as a Hub whose search does not index metadata. */
	readonly ignoreMetadata: boolean;
	/** A new session is searchable only this long after its creation (0: at once). */
	readonly delayMs: number;
}

export const FULL_SEARCH: SearchRules = { ignoreMetadata: false, delayMs: 0 };

/** The lowercase text the search matches, under these rules. */
export function searchableText(session: StoredSession, rules: SearchRules): string {
	return rules.ignoreMetadata
		? [session.label, session.task].join('\n').toLowerCase()
		: searchText(session);
}

/** Has the search indexed this session yet, at `nowMs`? */
export function isIndexed(session: StoredSession, rules: SearchRules, nowMs: number): boolean {
	return rules.delayMs === 0 || Date.parse(session.createdAt) + rules.delayMs <= nowMs;
}

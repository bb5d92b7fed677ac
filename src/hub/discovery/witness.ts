/**
 * Pure checks behind a verified search: did the search match the stack's marker or its token in
 * metadata, and which listed sessions are too recent for the search to be trusted with. See search-read.ts.
 */
import { MARKER } from '../../ownership/markers.js';
import { stackToken } from '../../ownership/search-token.js';
import type { SessionSummary } from '../types.js';
import type { LiveSession } from '../../kinds/session/live.js';

/**
 * How long after a write the Hub's search is assumed to show it. Sessions created or active
 * more recently are read in detail whatever the search says.
 */
export const SEARCH_LAG_MS = 15 * 60 * 1000;

/**
 * A session of the stack that the search for its name can only have matched through the stack
 * marker in its metadata: the stack's name is in no other text the search may look at. Its
 * detail must echo the task, or nothing can be concluded.
 */
export function matchedThroughMetadata(stack: string, session: LiveSession): boolean {
	if (session.metadata[MARKER.stack] !== stack) return false;
	return heldOnlyBy(session, MARKER.stack, stack);
}

/**
 * A session of the stack that the search for the stack's token can only have matched through the
 * token marker: what verifies the search when every session names the stack in its task.
 */
export function matchedThroughToken(stack: string, session: LiveSession): boolean {
	const token = stackToken(stack);
	if (session.metadata[MARKER.stack] !== stack || session.metadata[MARKER.searchToken] !== token)
		return false;
	return heldOnlyBy(session, MARKER.searchToken, token);
}

/** Whether `needle` is in the session's marker `marker` and in no other text the search reads. */
function heldOnlyBy(session: LiveSession, marker: string, needle: string): boolean {
	if (session.task === undefined) return false;
	const lower = needle.toLowerCase();
	const otherText = [
		session.label,
		session.task,
		...Object.entries(session.metadata)
			.filter(([name]) => name !== marker)
			.map(([, value]) => value),
	];
	return !otherText.some((text) => text.toLowerCase().includes(lower));
}

/**
 * The moment before which the search is trusted: SEARCH_LAG_MS before now, by the earlier of the
 * local clock and the newest time the Hub listed (so a local clock ahead of the Hub's never
 * narrows the window).
 */
export function searchCutoff(listed: readonly SessionSummary[], nowMs: number): number {
	let newest = -Infinity;
	for (const session of listed) {
		// An unreadable time is no time: Math.max would make every other one unreadable too.
		for (const time of [Date.parse(session.createdAt), timeOf(session.lastActivityAt)]) {
			if (Number.isFinite(time)) newest = Math.max(newest, time);
		}
	}
	const hubNow = Number.isFinite(newest) ? Math.min(nowMs, newest) : nowMs;
	return hubNow - SEARCH_LAG_MS;
}

/** Listed sessions created or active at or after the cutoff: the search may not show them yet. */
export function recentSessions(
	listed: readonly SessionSummary[],
	cutoffMs: number
): SessionSummary[] {
	return listed.filter(
		(session) =>
			!(Date.parse(session.createdAt) < cutoffMs) || timeOf(session.lastActivityAt) >= cutoffMs
	);
}

function timeOf(text: string | undefined): number {
	return text === undefined ? -Infinity : Date.parse(text);
}

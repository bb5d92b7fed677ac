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

/** The moments before which the search is trusted: one for creations, one for activity. */
export interface SearchCutoff {
	readonly createdMs: number;
	readonly activeMs: number;
}

/**
 * SEARCH_LAG_MS before now, by the earlier of the local clock and the newest time the Hub listed
 * (so a local clock ahead of the Hub's never narrows the window). Creations are measured from the
 * newest creation time, which no session created a moment ago can be later than; activity from
 * the newest time of either kind. So one activity time ahead of a Hub clock behind ours (a client
 * or a node whose clock runs ahead) cannot leave a session created a moment ago out.
 */
export function searchCutoff(listed: readonly SessionSummary[], nowMs: number): SearchCutoff {
	let newestCreated = -Infinity;
	let newest = -Infinity;
	for (const session of listed) {
		// An unreadable time is no time: Math.max would make every other one unreadable too.
		const created = Date.parse(session.createdAt);
		const active = timeOf(session.lastActivityAt);
		if (Number.isFinite(created)) newestCreated = Math.max(newestCreated, created);
		for (const time of [created, active])
			if (Number.isFinite(time)) newest = Math.max(newest, time);
	}
	const before = (time: number) =>
		(Number.isFinite(time) ? Math.min(nowMs, time) : nowMs) - SEARCH_LAG_MS;
	return { createdMs: before(newestCreated), activeMs: before(newest) };
}

/** Listed sessions created or active at or after the cutoff: the search may not show them yet. */
export function recentSessions(
	listed: readonly SessionSummary[],
	cutoff: SearchCutoff
): SessionSummary[] {
	return listed.filter(
		(session) =>
			!(Date.parse(session.createdAt) < cutoff.createdMs) ||
			timeOf(session.lastActivityAt) >= cutoff.activeMs
	);
}

function timeOf(text: string | undefined): number {
	return text === undefined ? -Infinity : Date.parse(text);
}

/**
 * Two applies of one stack can overlap (two merges, a laptop and CI), and the Hub offers no lock
 * nor compare-and-set. A run cannot stop another, but it can see, when it reads back, what it
 * did not write itself: sessions of its stack that appeared, changed, or went away since its
 * plan read the Hub. Every write of a run carries the run's id in `coder-sessions/run`, which is
 * how its own writes are told apart. Pure.
 */
import { MARKER } from '../ownership/markers.js';
import type { OtherWrite, Outcome } from './events.js';
import type { ReadBack } from './read-back.js';
import type { LiveSession } from '../session/live.js';

/** Markers another writer changes; activity on the session (status, messages) changes none. */
const WRITE_MARKERS = [MARKER.run, MARKER.applied, MARKER.stack, MARKER.key, MARKER.protect];

export function otherWrites(
	stack: string,
	runId: string,
	baseline: readonly LiveSession[],
	back: ReadBack,
	outcomes: readonly Outcome[]
): OtherWrite[] {
	// Sessions this run archived, deleted or cut loose from the stack (forget empties every marker).
	const removedByUs = new Set(
		outcomes
			.filter((o) => o.status !== 'skipped' && 'live' in o.action && o.action.live)
			.filter((o) => ['archive', 'dedupe', 'replace', 'delete', 'forget'].includes(o.action.kind))
			.map((o) => ('live' in o.action && o.action.live ? o.action.live.id : ''))
	);
	const writes: OtherWrite[] = [];
	for (const id of back.appeared) {
		const session = back.sessions.get(id);
		if (!session || session.metadata[MARKER.stack] !== stack) continue;
		if (session.metadata[MARKER.run] === runId) continue;
		writes.push({ key: keyOf(session), sessionId: id, change: 'created' });
	}
	for (const before of baseline) {
		if (before.archived || before.metadata[MARKER.stack] !== stack) continue;
		if (!back.sessions.has(before.id)) continue; // unreadable: verification says so
		const now = back.sessions.get(before.id);
		const push = (change: OtherWrite['change']) =>
			writes.push({ key: keyOf(before), sessionId: before.id, change });
		if (!now) {
			if (!removedByUs.has(before.id)) push('deleted');
		} else if (now.archived && !removedByUs.has(before.id)) {
			push('archived');
		} else if (
			!removedByUs.has(before.id) &&
			now.metadata[MARKER.run] !== runId &&
			changedMarkers(before, now)
		) {
			push('changed');
		}
	}
	return writes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function changedMarkers(before: LiveSession, now: LiveSession): boolean {
	return WRITE_MARKERS.some((marker) => before.metadata[marker] !== now.metadata[marker]);
}

function keyOf(session: LiveSession): string {
	return session.metadata[MARKER.key] ?? session.id;
}

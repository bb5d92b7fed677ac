/**
 * Two applies of one stack can overlap (two merges, a laptop and CI), and the Hub offers no lock
 * nor compare-and-set. A run cannot stop another, but it can see, when it reads back, what it
 * did not write itself: sessions of its stack that appeared, joined, changed, or went away since
 * its plan read the Hub, and sessions it wrote that another run wrote after it. Every write of a
 * run carries the run's id in `coder-sessions/run`, which is how its own writes are told apart.
 * Pure.
 */
import { compareText } from '../ownership/key-groups.js';
import { MARKER } from '../ownership/markers.js';
import type { OtherWrite, Outcome } from './events.js';
import { changedMarkers } from './guard.js';
import type { ReadBack } from './read-back.js';
import type { LiveSession } from '../kinds/session/live.js';

export function otherWrites(
	stack: string,
	runId: string,
	baseline: readonly LiveSession[],
	back: ReadBack,
	outcomes: readonly Outcome[]
): OtherWrite[] {
	// Outcomes whose write may have reached the Hub.
	const mayHaveWritten = new Set<Outcome['status']>(['applied', 'failed', 'unknown']);
	const removalKinds = new Set(['archive', 'dedupe', 'replace', 'delete']);
	const writeKinds = new Set(['create', 'adopt', 'update', 'replace', 'forget']);
	const done = outcomes.filter((o) => mayHaveWritten.has(o.status));
	// Sessions this run archived or deleted (a replace archives the one it replaces).
	const removedByUs = new Set(
		done
			.filter((o) => removalKinds.has(o.action.kind))
			.flatMap((o) => ('live' in o.action && o.action.live ? [o.action.live.id] : []))
	);
	// Sessions this run wrote, by the key it wrote them for: each carries this run's id, and stays
	// as this run left it, unless another writer wrote or removed it since.
	const writtenByUs = new Map(
		outcomes
			.filter((o) => o.status === 'applied' && writeKinds.has(o.action.kind))
			.flatMap((o) => (o.sessionId ? [[o.sessionId, o.action.key] as const] : []))
	);
	const before = new Map(baseline.map((session) => [session.id, session]));
	const appeared = new Set(back.appeared);
	// The three loops below see disjoint sessions: the ones this run wrote, the ones the plan did
	// not hold as the stack's, and the ones it did, so none is named twice.
	const writes: OtherWrite[] = [];
	const push = (key: string, sessionId: string, change: OtherWrite['change']) =>
		writes.push({ key, sessionId, change });
	for (const [id, key] of writtenByUs) {
		if (!back.sessions.has(id)) continue; // unreadable: verification says so
		const now = back.sessions.get(id);
		if (!now) push(key, id, 'deleted');
		else if (now.archived && before.get(id)?.archived !== true) push(key, id, 'archived');
		else if (now.metadata[MARKER.run] !== runId) push(key, id, 'changed');
	}
	for (const [id, now] of back.sessions) {
		if (!now || writtenByUs.has(id) || now.metadata[MARKER.run] === runId) continue;
		if (now.metadata[MARKER.stack] !== stack) continue;
		if (appeared.has(id)) push(keyOf(now), id, 'created');
		else if (!now.archived && before.get(id)?.metadata[MARKER.stack] !== stack)
			push(keyOf(now), id, 'joined');
	}
	for (const seen of baseline) {
		if (seen.archived || seen.metadata[MARKER.stack] !== stack) continue;
		if (!back.sessions.has(seen.id) || writtenByUs.has(seen.id)) continue; // unreadable: verification says so
		const now = back.sessions.get(seen.id);
		const removed = removedByUs.has(seen.id);
		if (!now) {
			if (!removed) push(keyOf(seen), seen.id, 'deleted');
		} else if (now.archived && !removed) {
			push(keyOf(seen), seen.id, 'archived');
		} else if (
			!removed &&
			now.metadata[MARKER.run] !== runId &&
			changedMarkers(seen, now).length > 0
		) {
			push(keyOf(seen), seen.id, 'changed');
		}
	}
	return writes.sort((a, b) => compareText(a.key, b.key));
}

function keyOf(session: LiveSession): string {
	return session.metadata[MARKER.key] ?? session.id;
}

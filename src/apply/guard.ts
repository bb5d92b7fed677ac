/**
 * The re-read before a write. The Hub has no compare-and-set, so an action cannot make its write
 * conditional; it can read the session again just before it writes, and write only if the
 * session is still what the plan saw: the same ownership markers and applied stamp (every
 * `coder-sessions/` key), and not archived or deleted since. That narrows the window in which
 * two writers can undo each other from the whole run to the moment between the read and the
 * write. Pure.
 */
import { MARKER, MARKER_PREFIX } from '../ownership/markers.js';
import type { LiveSession } from '../kinds/session/live.js';

export type Recheck =
	/** As the plan saw it (status and fields other than the markers may have moved). */
	| { readonly state: 'unchanged' }
	/** 404: deleted since the plan. */
	| { readonly state: 'gone' }
	/** Archived since the plan, its markers as the plan saw them. */
	| { readonly state: 'archived' }
	/** Its markers differ from the plan's: another writer forgot, adopted or applied it. */
	| {
			readonly state: 'changed';
			readonly markers: readonly string[];
			/** In words: "forgotten", "adopted as k of stack s", "applied by run run_...". */
			readonly what: string;
	  };

export function recheck(before: LiveSession, now: LiveSession | undefined): Recheck {
	if (!now) return { state: 'gone' };
	const markers = changedMarkers(before, now);
	if (markers.length > 0)
		return { state: 'changed', markers, what: describeMarkers(before, now, markers) };
	if (now.archived && !before.archived) return { state: 'archived' };
	return { state: 'unchanged' };
}

/** The `coder-sessions/` keys whose values differ (an emptied marker reads as absent). */
export function changedMarkers(before: LiveSession, now: LiveSession): string[] {
	const names = new Set(
		[...Object.keys(before.metadata), ...Object.keys(now.metadata)].filter((name) =>
			name.startsWith(MARKER_PREFIX)
		)
	);
	return [...names].filter((name) => before.metadata[name] !== now.metadata[name]).sort();
}

/** What another writer did, in words: "archived", "deleted", "forgotten", "applied by run_...". */
export function describeRecheck(found: Exclude<Recheck, { state: 'unchanged' }>): string {
	switch (found.state) {
		case 'gone':
			return 'deleted';
		case 'archived':
			return 'archived';
		case 'changed':
			return found.what;
	}
}

/** How the markers moved, as the command that moves them that way would say it. */
function describeMarkers(
	before: LiveSession,
	now: LiveSession,
	markers: readonly string[]
): string {
	const was = before.metadata;
	const is = now.metadata;
	if (was[MARKER.stack] !== is[MARKER.stack]) {
		if (is[MARKER.stack] === undefined) return 'forgotten: its markers were emptied';
		if (was[MARKER.stack] === undefined)
			return `adopted as ${is[MARKER.key] ?? '?'} of stack ${is[MARKER.stack]}`;
		return `taken over by stack ${is[MARKER.stack]}`;
	}
	if (was[MARKER.key] !== is[MARKER.key]) return `now key ${is[MARKER.key] ?? '(none)'}`;
	if (is[MARKER.run] !== undefined && is[MARKER.run] !== was[MARKER.run])
		return `applied by run ${is[MARKER.run]}`;
	return `${markers.join(', ')} changed`;
}

/** The outcome message of a write skipped because of it. */
export function conflictMessage(
	found: Exclude<Recheck, { state: 'unchanged' }>,
	notDone: string
): string {
	return `changed by another writer since the plan (${describeRecheck(found)}); ${notDone}`;
}

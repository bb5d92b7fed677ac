/**
 * Forgetting a session: the stack stops managing it, the session stays as it is. The Hub merges
 * metadata on update and offers no way to remove a key (the SDK refuses a null value), so the
 * markers are emptied instead; an empty marker reads as no marker (hub/map.ts). Pure.
 */
import { MARKER_PREFIX } from '../kinds/session/marker-prefix.js';
import type { LiveSession } from '../kinds/session/live.js';

/** The `coder-sessions/` keys the session carries, sorted: a forget empties each (apply). */
export function markerKeys(session: Pick<LiveSession, 'metadata'>): string[] {
	return Object.keys(session.metadata)
		.filter((key) => key.startsWith(MARKER_PREFIX))
		.sort();
}

/** An empty `coder-sessions/` value is a forgotten marker: read as absent. */
export function isClearedMarker(key: string, value: string): boolean {
	return value === '' && key.startsWith(MARKER_PREFIX);
}

/** The live sessions a stack manages, grouped by entry key. Pure. */
import type { LiveSession } from '../hub/types.js';
import { MARKER } from './markers.js';

/** Per key, oldest first (by creation time, then id); archived sessions included. */
export function managedByKey(
	stack: string,
	live: readonly LiveSession[]
): Map<string, LiveSession[]> {
	const byKey = new Map<string, LiveSession[]>();
	for (const session of live) {
		const key = session.metadata[MARKER.key];
		if (session.metadata[MARKER.stack] !== stack || key === undefined) continue;
		byKey.set(key, [...(byKey.get(key) ?? []), session]);
	}
	for (const sessions of byKey.values()) {
		sessions.sort((a, b) => compareText(a.createdAt, b.createdAt) || compareText(a.id, b.id));
	}
	return byKey;
}

export function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

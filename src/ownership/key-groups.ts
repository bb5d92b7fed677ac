/** The live sessions a stack manages, grouped by entry key. Pure. */
import { byCreation } from './creation-order.js';
import { MARKER } from './markers.js';
import type { LiveSession } from '../kinds/session/live.js';

/** A key's live sessions, oldest first. */
export interface KeyGroup {
	readonly active: readonly LiveSession[];
	/** The newest session, when none is active. */
	readonly latest: LiveSession;
	readonly all: readonly LiveSession[];
}

/** Per key, oldest first (by creation time, then id); archived sessions included. */
export function managedByKey(
	stack: string,
	live: readonly LiveSession[]
): Map<string, LiveSession[]> {
	const byKey = new Map<string, LiveSession[]>();
	for (const session of live) {
		const key = session.metadata[MARKER.key];
		if (session.metadata[MARKER.stack] !== stack || key === undefined) continue;
		const sessions = byKey.get(key);
		if (sessions) sessions.push(session);
		else byKey.set(key, [session]);
	}
	for (const sessions of byKey.values()) {
		sessions.sort(byCreation);
	}
	return byKey;
}

export function keyGroups(stack: string, live: readonly LiveSession[]): Map<string, KeyGroup> {
	const groups = new Map<string, KeyGroup>();
	for (const [key, all] of managedByKey(stack, live)) {
		const active = all.filter((session) => !session.archived);
		groups.set(key, { active, latest: all[all.length - 1]!, all });
	}
	return groups;
}

/** How many sessions this stack manages, and how many it leaves alone. */
export interface OwnershipCounts {
	readonly managed: number;
	readonly otherStacks: number;
	/** Plain sessions without markers. */
	readonly unmanaged: number;
	/**
	 * Sessions the Hub spawned from others (workers, derived sessions): never any stack's.
	 * Present only when there are some.
	 */
	readonly spawned?: number;
}

export function ownershipCounts(stack: string, live: readonly LiveSession[]): OwnershipCounts {
	let managed = 0;
	let otherStacks = 0;
	let unmanaged = 0;
	let spawned = 0;
	for (const session of live) {
		const owner = session.metadata[MARKER.stack];
		if (session.spawned) spawned += 1;
		else if (owner === undefined || session.metadata[MARKER.key] === undefined) unmanaged += 1;
		else if (owner !== stack) otherStacks += 1;
		else managed += 1;
	}
	return { managed, otherStacks, unmanaged, ...(spawned > 0 ? { spawned } : {}) };
}

/**
 * Of several active sessions with one key (oldest first), the one kept: the newest (by creation
 * time, then id). Plan dedupes the others; status shows them as duplicates.
 *
 * The rule reads nothing but the sessions, so every run agrees on it whatever its spec says: two
 * applies that overlap may each dedupe, but never each keep a different copy and archive the
 * other's. The newest is the one no run can have seen a newer copy beside, and it is the new
 * session of a replace interrupted between its create and its archive.
 */
export function keptSession(active: readonly LiveSession[]): LiveSession | undefined {
	return active.at(-1);
}

export { compareText } from './creation-order.js';

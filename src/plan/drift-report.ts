/**
 * The drift report of a stack: every active managed session read against its applied stamp,
 * plus the spec entries apply has yet to create. Pure; read-only by nature.
 */
import { compareText, managedByKey } from '../ownership/key-groups.js';
import { MARKER } from '../ownership/markers.js';
import { parseStamp } from '../ownership/stamp.js';
import type { DesiredSession, Spec } from '../kinds/session/desired.js';
import { outsideChanges, pendingChanges, type OutsideChange, type PendingChange } from './drift.js';
import type { LiveSession } from '../kinds/session/live.js';

/** `none`: never applied by coder-sessions (made by hand with the markers, or adopted without a stamp). */
export type StampState = 'applied' | 'none' | 'unreadable';

/** What apply would do to the whole session, beyond field changes. */
export type PendingAction = 'create' | 'adopt' | 'archive' | 'delete';

export interface SessionDrift {
	readonly key: string;
	/** Absent for an entry with nothing active on the Hub. */
	readonly sessionId?: string;
	readonly label?: string;
	readonly stamp?: StampState;
	readonly outside: readonly OutsideChange[];
	readonly pending: readonly PendingChange[];
	readonly pendingAction?: PendingAction;
	/** Why, for people only. */
	readonly note?: string;
}

export interface DriftCounts {
	/** Entries and active managed sessions looked at. */
	readonly sessions: number;
	readonly clean: number;
	/** Sessions changed outside coder-sessions: these make `drift` exit 6. */
	readonly outside: number;
	/** Sessions (or entries) with spec changes not yet applied. */
	readonly pending: number;
	readonly neverApplied: number;
}

export interface DriftReport {
	readonly stack: string;
	readonly files: readonly string[];
	readonly sessions: readonly SessionDrift[];
	readonly counts: DriftCounts;
}

export function detectDrift(spec: Spec, live: readonly LiveSession[]): DriftReport {
	const groups = managedByKey(spec.stack, live);
	const entries = new Map(spec.sessions.map((entry) => [entry.key, entry]));
	const sessions: SessionDrift[] = [];
	for (const [key, group] of groups) {
		const active = group.filter((session) => !session.archived);
		sessions.push(
			...active.map((session) => sessionDrift(session, key, entries.get(key), spec.prune))
		);
	}
	for (const entry of spec.sessions) {
		if (entry.state !== 'active' || groups.get(entry.key)?.some((session) => !session.archived))
			continue;
		sessions.push({
			key: entry.key,
			outside: [],
			pending: [],
			...toBeCreated(entry, groups.has(entry.key)),
		});
	}
	sessions.sort(
		(a, b) => compareText(a.key, b.key) || compareText(a.sessionId ?? '', b.sessionId ?? '')
	);
	return { stack: spec.stack, files: spec.files, sessions, counts: countDrift(sessions) };
}

function sessionDrift(
	session: LiveSession,
	key: string,
	entry: DesiredSession | undefined,
	prune: Spec['prune']
): SessionDrift {
	const base = { key, sessionId: session.id, label: session.label };
	const text = session.metadata[MARKER.applied];
	const stamp = parseStamp(text);
	const removal = removalOf(entry, prune);
	if (!stamp) {
		const unreadable = text !== undefined;
		return {
			...base,
			stamp: unreadable ? 'unreadable' : 'none',
			// A stamp that is there but unreadable was overwritten: that is a change made outside the tool.
			outside: unreadable ? [{ field: 'stamp' }] : [],
			pending: [],
			...removal,
		};
	}
	const outside = outsideChanges(session, stamp, entry);
	const pending = entry && !removal.pendingAction ? pendingChanges(session, stamp, entry) : [];
	return { ...base, stamp: 'applied', outside, pending, ...removal };
}

function toBeCreated(
	entry: DesiredSession,
	archived: boolean
): Pick<SessionDrift, 'pendingAction' | 'note'> {
	if (entry.adopt)
		return { pendingAction: 'adopt', note: `not adopted yet: apply adopts session ${entry.adopt}` };
	return {
		pendingAction: 'create',
		note: archived
			? 'only archived on the Hub: apply creates it anew'
			: 'not on the Hub: apply creates it',
	};
}

function removalOf(
	entry: DesiredSession | undefined,
	prune: Spec['prune']
): Pick<SessionDrift, 'pendingAction' | 'note'> {
	if (entry?.state === 'archived')
		return { pendingAction: 'archive', note: 'state: archived in the spec: apply archives it' };
	if (entry) return {};
	if (prune === 'keep') return { note: 'not in the spec (prune: keep leaves it)' };
	return {
		pendingAction: prune,
		note: `not in the spec: apply ${prune === 'delete' ? 'deletes' : 'archives'} it (prune: ${prune})`,
	};
}

export function countDrift(sessions: readonly SessionDrift[]): DriftCounts {
	const isPending = (s: SessionDrift) => s.pending.length > 0 || s.pendingAction !== undefined;
	return {
		sessions: sessions.length,
		clean: sessions.filter((s) => s.outside.length === 0 && !isPending(s) && s.stamp !== 'none')
			.length,
		outside: sessions.filter((s) => s.outside.length > 0).length,
		pending: sessions.filter(isPending).length,
		neverApplied: sessions.filter((s) => s.stamp === 'none').length,
	};
}

/** The exit-code question: did anything change on the Hub outside coder-sessions? */
export function hasOutsideDrift(report: DriftReport): boolean {
	return report.counts.outside > 0;
}

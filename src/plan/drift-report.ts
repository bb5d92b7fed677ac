/**
 * The drift report of a stack: its plan's prior state, each active managed session with what
 * changed outside coder-sessions and what the spec changed since, plus the spec entries apply has
 * yet to create. Pure; read-only by nature.
 */
import { compareText } from '../ownership/key-groups.js';
import type { DesiredSession, Spec } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';
import {
	isActive,
	type ActivePriorSession,
	type OutsideChange,
	type PendingChange,
	type PlanWithPrior,
	type StampState,
} from './types.js';
import { viewPlan } from './view-plan.js';
import type { ResourceDrift } from './resource-views.js';

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
	/**
	 * Records of the other kinds whose live values differ from the spec, field by field: like a
	 * session changed outside coder-sessions, they make `drift` exit 6.
	 */
	readonly resources?: readonly ResourceDrift[];
}

/** The drift report of `spec` against `live`: their plan, viewed as drift. */
export function detectDrift(spec: Spec, live: readonly LiveSession[]): DriftReport {
	return driftOfPlan(spec, viewPlan(spec, live));
}

/** `plan` is the plan of `spec` (see viewPlan); the spec gives the entries and the files. */
export function driftOfPlan(spec: Spec, plan: PlanWithPrior): DriftReport {
	const entries = new Map(spec.sessions.map((entry) => [entry.key, entry]));
	const active = plan.prior.filter(isActive);
	const sessions: SessionDrift[] = active.map((session) =>
		sessionDrift(session, entries.get(session.key), plan.prune)
	);
	const activeKeys = new Set(active.map((session) => session.key));
	const keysOnHub = new Set(plan.prior.map((session) => session.key));
	for (const entry of spec.sessions) {
		if (entry.state !== 'active' || activeKeys.has(entry.key)) continue;
		sessions.push({
			key: entry.key,
			outside: [],
			pending: [],
			...toBeCreated(entry, keysOnHub.has(entry.key)),
		});
	}
	sessions.sort(
		(a, b) => compareText(a.key, b.key) || compareText(a.sessionId ?? '', b.sessionId ?? '')
	);
	return { stack: spec.stack, files: spec.files, sessions, counts: countDrift(sessions) };
}

function sessionDrift(
	session: ActivePriorSession,
	entry: DesiredSession | undefined,
	prune: Spec['prune']
): SessionDrift {
	const removal = removalOf(entry, prune);
	return {
		key: session.key,
		sessionId: session.id,
		label: session.label,
		stamp: session.stamp,
		outside: session.outside,
		// An entry to archive or prune is past its field changes.
		pending: removal.pendingAction ? [] : session.pending,
		...removal,
	};
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
	return report.counts.outside > 0 || (report.resources?.length ?? 0) > 0;
}

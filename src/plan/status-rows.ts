/**
 * The rows of `status`: one per managed session of the stack worth showing, plus one per spec
 * entry with nothing on the Hub, each saying whether it matches the spec, as its plan says.
 * Pure.
 */
import type { ResourceStatusRow } from './resource-views.js';
import { latest } from '../hub/activity-map.js';
import type { HubCallCounts } from '../hub/types.js';
import type { SessionActivity } from '../hub/session-activity.js';
import type { FieldChange, Plan } from './types.js';
import { viewPlan } from './view-plan.js';
import { compareCreatedAt } from '../ownership/creation-order.js';
import { compareText, keptSession, managedByKey } from '../ownership/key-groups.js';
import type { DesiredSession, Spec } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';

/**
 * - `in-sync`: active and matching the spec (env compared by key and template only);
 * - `drifted`: active but differing from the spec, or active where the spec says archived;
 * - `missing`: declared active, but nothing active on the Hub (apply would create it);
 * - `archived`: archived, as the spec wants or for a key the spec no longer declares;
 * - `extra`: active, but its key is not in the spec (prune decides what apply does);
 * - `duplicate`: a second active session of a key (the next apply archives it).
 */
export type SyncState = 'in-sync' | 'drifted' | 'missing' | 'archived' | 'extra' | 'duplicate';

export interface StatusRow {
	readonly key: string;
	/** Absent when nothing of this key is on the Hub. */
	readonly session?: LiveSession;
	readonly sync: SyncState;
	/** For `drifted`: the fields that differ (`state` when the spec says archived). */
	readonly changedFields: readonly string[];
	readonly activity?: SessionActivity;
}

export interface StatusCounts {
	readonly sessions: number;
	readonly inSync: number;
	readonly drifted: number;
	readonly missing: number;
	readonly archived: number;
	readonly extra: number;
	readonly duplicate: number;
	/** Archived sessions of keys that also have a newer or active one: history, not shown. */
	readonly olderArchived: number;
}

export interface StatusView {
	readonly stack: string;
	readonly files: readonly string[];
	readonly rows: readonly StatusRow[];
	readonly counts: StatusCounts;
	readonly hubCalls: Readonly<HubCallCounts>;
	/** One row per record of the other kinds the stack owns; absent with sessions alone. */
	readonly resources?: readonly ResourceStatusRow[];
}

/**
 * Per key: every active session (duplicates too), else the newest archived one. `plan` is the
 * plan of `spec` and `live` (see viewPlan): it says which fields of a session differ.
 */
export function buildStatusRows(
	spec: Spec,
	live: readonly LiveSession[],
	plan: Plan = viewPlan(spec, live)
): { rows: StatusRow[]; olderArchived: number } {
	const groups = managedByKey(spec.stack, live);
	const changes = plannedChanges(plan);
	const rows: StatusRow[] = [];
	let shown = 0;
	for (const entry of spec.sessions)
		rows.push(...rowsOf(entry.key, groups.get(entry.key), entry, changes));
	for (const [key, sessions] of groups) {
		if (!spec.sessions.some((entry) => entry.key === key))
			rows.push(...rowsOf(key, sessions, undefined, changes));
	}
	for (const row of rows) if (row.session) shown += 1;
	const managed = [...groups.values()].reduce((sum, sessions) => sum + sessions.length, 0);
	rows.sort(
		(a, b) =>
			compareText(a.key, b.key) ||
			compareCreatedAt(a.session?.createdAt ?? '', b.session?.createdAt ?? '')
	);
	return { rows, olderArchived: managed - shown };
}

/** Per session id: the field changes the plan makes to it. */
type PlannedChanges = ReadonlyMap<string, readonly FieldChange[]>;

function plannedChanges(plan: Plan): PlannedChanges {
	return new Map(
		plan.actions.flatMap((action) =>
			'changes' in action ? [[action.live.id, action.changes] as const] : []
		)
	);
}

function rowsOf(
	key: string,
	sessions: readonly LiveSession[] | undefined,
	entry: DesiredSession | undefined,
	changes: PlannedChanges
): StatusRow[] {
	const active = (sessions ?? []).filter((session) => !session.archived);
	if (active.length > 0) {
		const kept = keptSession(active);
		return active.map((session) =>
			session === kept
				? activeRow(key, session, entry, changes)
				: { key, session, sync: 'duplicate', changedFields: [] }
		);
	}
	const newest = sessions?.at(-1);
	const wantsActive = entry !== undefined && entry.state === 'active';
	return [{ key, session: newest, sync: wantsActive ? 'missing' : 'archived', changedFields: [] }];
}

function activeRow(
	key: string,
	session: LiveSession,
	entry: DesiredSession | undefined,
	changes: PlannedChanges
): StatusRow {
	if (!entry) return { key, session, sync: 'extra', changedFields: [] };
	if (entry.state !== 'active') return { key, session, sync: 'drifted', changedFields: ['state'] };
	const changedFields = (changes.get(session.id) ?? []).map((change) => change.field);
	return { key, session, sync: changedFields.length > 0 ? 'drifted' : 'in-sync', changedFields };
}

export function withActivity(
	rows: readonly StatusRow[],
	activityById: ReadonlyMap<string, SessionActivity>
): StatusRow[] {
	return rows.map((row) => {
		const activity = row.session && activityById.get(row.session.id);
		return activity ? { ...row, activity } : row;
	});
}

export function countRows(rows: readonly StatusRow[], olderArchived: number): StatusCounts {
	const count = (sync: SyncState) => rows.filter((row) => row.sync === sync).length;
	return {
		sessions: rows.length,
		inSync: count('in-sync'),
		drifted: count('drifted'),
		missing: count('missing'),
		archived: count('archived'),
		extra: count('extra'),
		duplicate: count('duplicate'),
		olderArchived,
	};
}

/** The latest sign of life: the session's own timestamp, a participant's, or the newest event. */
export function lastActivityOf(row: StatusRow): string | undefined {
	if (!row.session) return undefined;
	return latest([
		row.session.lastActivityAt,
		row.activity?.participants?.lastActivityAt,
		row.activity?.events?.lastEventAt,
	]);
}

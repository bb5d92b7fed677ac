import type { RenderKind } from '../kinds/kind.js';
import type { ResolvedReference } from './references.js';
/**
 * The plan model: pure data, no IO, no rendering. A plan is computed from a Spec and the live
 * sessions of the Hub, rendered for people, saved for later, and carried out by apply.
 */
import type { OwnershipCounts } from '../ownership/key-groups.js';
import type { DesiredSession, Prune } from '../kinds/session/desired.js';

export type ActionKind =
	'create' | 'adopt' | 'update' | 'replace' | 'dedupe' | 'archive' | 'delete' | 'forget' | 'noop';

import type { FieldName } from '../kinds/session/fields/index.js';

export type Json =
	null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

/** One env key's change; values are never part of a plan. */
export interface EnvKeyChange {
	readonly key: string;
	readonly change: 'added' | 'removed' | 'changed' | 'unchanged';
}

export interface FieldChange {
	readonly field: FieldName;
	/** Absent when the live value is unknown (the Hub does not echo it) or unset. */
	readonly before?: Json;
	readonly after?: Json;
	/** For env only: per-key changes; before/after are never set for env. */
	readonly envKeys?: readonly EnvKeyChange[];
	/** True when the difference was found through the applied digest, not the live value. */
	readonly viaDigest?: boolean;
}

/**
 * A change made on the Hub outside coder-sessions: the live session no longer holds what its
 * `coder-sessions/applied` stamp says was written.
 */
export interface OutsideChange {
	/** `stamp`: the applied stamp itself was overwritten with something unreadable. */
	readonly field: FieldName | 'stamp';
	readonly live?: Json;
	/** What was applied, when known: the spec still holds the applied value. */
	readonly applied?: Json;
	/** For metadata: the spec's keys whose live value differs from the applied one. */
	readonly keys?: readonly string[];
}

/** A spec change not yet applied: the spec no longer says what the applied stamp records. */
export interface PendingChange {
	readonly field: FieldName;
	/** The spec's value (absent for env: keys only). */
	readonly spec?: Json;
	readonly envKeys?: readonly EnvKeyChange[];
	/** Applying this change replaces the session. */
	readonly replace: boolean;
}

/** `none`: never applied by coder-sessions (made by hand with the markers, or adopted without a stamp). */
export type StampState = 'applied' | 'none' | 'unreadable';

/**
 * One managed session as the plan read it (the prior state): an active one read against its
 * applied stamp, an archived one as history only (never compared).
 */
export type PriorSession =
	| {
			readonly key: string;
			readonly id: string;
			readonly label: string;
			readonly archived: false;
			readonly stamp: StampState;
			/** Changes made on the Hub since apply wrote the stamp: what `drift` reports. */
			readonly outside: readonly OutsideChange[];
			/** Spec changes since apply wrote the stamp (none without a spec entry or a stamp). */
			readonly pending: readonly PendingChange[];
	  }
	| { readonly key: string; readonly id: string; readonly label: string; readonly archived: true };

export type ActivePriorSession = Extract<PriorSession, { archived: false }>;

export const isActive = (session: PriorSession): session is ActivePriorSession => !session.archived;

/** What the plan knew of a live session; `precondition` is checked again before a saved plan applies. */
export interface LiveRef {
	readonly id: string;
	readonly label: string;
	readonly status: string;
	readonly createdAt: string;
	readonly protect: boolean;
	readonly precondition: string;
}

interface ActionBase {
	readonly key: string;
	/** For people only: apply never branches on it. */
	readonly reason: string;
}

export type Action =
	| (ActionBase & { readonly kind: 'create'; readonly desired: DesiredSession })
	/** Marks an existing session as this entry's (`adopt:`), with the in-place changes, in one update. */
	| (ActionBase & {
			readonly kind: 'adopt';
			readonly live: LiveRef;
			readonly desired: DesiredSession;
			readonly changes: readonly FieldChange[];
			/** The `coder-sessions/applied` stamp this adopt writes (see next-stamp.ts). */
			readonly stamp: string;
			/** The stack that owns the session now, when it is taken over from another stack. */
			readonly foreignStack?: string;
			/**
			 * The session is protected on the Hub and the entry does not say `protect: true`: the
			 * adopt keeps it protected (its `desired.protect` is true); unprotecting it is a later,
			 * separate update.
			 */
			readonly staysProtected?: true;
	  })
	| (ActionBase & {
			readonly kind: 'update';
			readonly live: LiveRef;
			readonly desired: DesiredSession;
			readonly changes: readonly FieldChange[];
			/** The `coder-sessions/applied` stamp this update writes (see next-stamp.ts). */
			readonly stamp: string;
	  })
	| (ActionBase & {
			readonly kind: 'replace';
			readonly live: LiveRef;
			readonly desired: DesiredSession;
			readonly changes: readonly FieldChange[];
			readonly forcedBy: readonly FieldName[];
			/** Asked for with `--replace KEY`: recreated even when no field forces it. */
			readonly requested?: true;
			/** Set when the replaced session is an `adopt:` target owned by another stack. */
			readonly foreignStack?: string;
	  })
	| (ActionBase & { readonly kind: 'dedupe'; readonly live: LiveRef; readonly keep: string })
	| (ActionBase & { readonly kind: 'archive'; readonly live: LiveRef })
	| (ActionBase & { readonly kind: 'delete'; readonly live: LiveRef })
	/** `state: unmanaged`: empties the markers (`markers`, the keys it carries); the session stays. */
	| (ActionBase & {
			readonly kind: 'forget';
			readonly live: LiveRef;
			readonly markers: readonly string[];
	  })
	| (ActionBase & { readonly kind: 'noop'; readonly live?: LiveRef });

export type ChangeKind = Exclude<ActionKind, 'noop'>;

/** What the generic path does to an entry of a kind other than sessions. */
export type ResourceActionKind = 'create' | 'update' | 'replace' | 'delete' | 'noop';

/** One field's change on a record of another kind. */
export interface ResourceFieldChange {
	readonly field: string;
	/** Absent when unset on that side. */
	readonly before?: Json;
	readonly after?: Json;
	/** A reference whose record is new: `skillBucket docs-kit is replaced`. */
	readonly because?: string;
	/** How plans show the field's values (`lines`: a line diff, `list`: added and removed). */
	readonly render?: RenderKind;
}

/** An action on an entry of a kind of the kind table other than sessions (src/kinds/kind.ts). */
export interface ResourceAction {
	readonly kind: ResourceActionKind;
	/** The kind's name (`agent`, `workspace`). */
	readonly resource: string;
	/** The entry key within its section. */
	readonly key: string;
	/** How plans and `--only` name it: `agents.reviewer`. */
	readonly qualifiedKey: string;
	/** The kind's level: creates go up the levels, removals down. */
	readonly level: number;
	/** For people only: apply never branches on it. */
	readonly reason: string;
	/** The live record's id (all but create). */
	readonly id?: string;
	/** Create, update and replace: every desired value of the entry. */
	readonly desired?: Readonly<Record<string, Json>>;
	/** Update and replace: the fields that differ. */
	readonly changes?: readonly ResourceFieldChange[];
	/** Replace: the create-only fields whose change forces it. */
	readonly forcedBy?: readonly string[];
	/** What the Hub does for an update or delete, when more or other: `update and publish`, `archive`. */
	readonly verb?: string;
	/** The qualified keys of the entries it references: an action on them must succeed first. */
	readonly dependsOn?: readonly string[];
	/** Each reference field's values, resolved to the Hub's handles where known at plan time. */
	readonly references?: Readonly<Record<string, readonly ResolvedReference[]>>;
	/**
	 * Delete of a spare record of a key (two applies created it at once): the id of the record
	 * that stays. Like a session's dedupe, it takes nothing away the spec wants, so no rail counts it.
	 */
	readonly keeps?: string;
	/**
	 * Delete, and replace for the record it recreates: the qualified keys of this run's writes
	 * on other kinds that take a record off the one removed. The removal waits for them and is
	 * not attempted when one does not succeed: what still names the record keeps a record there.
	 */
	readonly movedOffBy?: readonly string[];
	/** As `movedOffBy`, for the session actions that take a session off the removed record. */
	readonly sessionsMovingOff?: readonly string[];
	/**
	 * A noop on a record the Hub is still preparing (a workspace's snapshot building): apply
	 * waits for it before building what stands on it.
	 */
	readonly settling?: true;
	/** Create, update, replace: the entry has `protect: true`, written into the record's marker. */
	readonly protect?: true;
	/** Update, replace, delete: the live record's marker says `protect`; no plan may remove it. */
	readonly liveProtect?: true;
	/**
	 * Update, replace, delete: the live record carried no marker (the entry's `adopt:` names it),
	 * so apply finds it unmarked and writes; a record the plan saw marked and apply finds
	 * unmarked was forgotten meanwhile, and is left alone.
	 */
	readonly unmarked?: true;
}

/** The generic path's part of a plan. */
export interface ResourcePlan {
	/** Ordered by level, then by qualified key. */
	readonly actions: readonly ResourceAction[];
	/** Live records of each kind the stack owns. */
	readonly managed: Readonly<Record<string, number>>;
	/** Live records of each kind that are not the stack's: never touched, only counted. */
	readonly notOwned: Readonly<Record<string, number>>;
	/** Creates that would overwrite or collide with a record the stack does not own: the plan is refused. */
	readonly conflicts?: readonly string[];
	/** Replaces the Hub cannot carry out (an agent recreated with the slug the old one keeps): the plan is refused. */
	readonly unreplaceable?: readonly string[];
	/** Entries whose `adopt:` names no record, or one of another stack or key: the plan is refused. */
	readonly unadoptable?: readonly string[];
}

export type Hazard =
	| {
			readonly kind: 'protected';
			/**
			 * Keys of protected sessions that this plan would archive, delete or replace, or archive
			 * as a duplicate while the kept session goes too.
			 */
			readonly keys: readonly string[];
	  }
	| {
			readonly kind: 'bulk-removal';
			readonly removals: number;
			readonly managed: number;
			readonly thresholdPct: number;
			/** The removals by kind; they add up to `removals`. */
			readonly byKind: RemovalCounts;
			/** The removals by resource kind (`session`, `agent`), when other kinds than sessions go. */
			readonly byResource?: Readonly<Record<string, number>>;
	  }
	| { readonly kind: 'empty-spec'; readonly managed: number }
	/** `--destroy`: every removal needs the exact count, whatever the share of the stack. */
	| {
			readonly kind: 'destroy';
			readonly removals: number;
			/** The removals by resource kind, when other kinds than sessions go. */
			readonly byResource?: Readonly<Record<string, number>>;
	  }
	| {
			readonly kind: 'foreign-owner';
			/** `adopt:` targets owned by another stack; lifted only by --take-over. */
			readonly sessions: readonly {
				readonly key: string;
				readonly sessionId: string;
				readonly stack: string;
			}[];
	  };

/** Removals the safety rails count, by kind: each archives or deletes an active session. */
export interface RemovalCounts {
	readonly archive: number;
	readonly delete: number;
	/** A replace archives the session it replaces. */
	readonly replace: number;
}

/** Sessions the plan saw, by owner. */
export type PlanCounts = OwnershipCounts;

export interface Plan {
	readonly stack: string;
	readonly prune: Prune;
	/** Deterministic order: destructive last, as apply runs them; then by key. */
	readonly actions: readonly Action[];
	readonly hazards: readonly Hazard[];
	/**
	 * Removals the safety rails count: archives, deletes and replaces of active sessions (not
	 * dedupes, which keep one session of the key). The count `--allow-removals` must name.
	 */
	readonly removals: number;
	/** `removals` by kind. */
	readonly removalsByKind: RemovalCounts;
	readonly counts: PlanCounts;
	/** sha256 over the canonical changes: never over text or timestamps. */
	readonly fingerprint: string;
	/** Keys given with --only; empty means every key. */
	readonly only: readonly string[];
	/** Planned with --take-over: adopting sessions of other stacks is allowed. */
	readonly takeOver?: boolean;
	/** Planned with --destroy: every active session of the stack (or of `only`) is archived. */
	readonly destroy?: true;
	/** Keys given with --replace: a saved plan is planned again with them. */
	readonly replace?: readonly string[];
	/** The spec's `allowRemovals`: the exact removal count the removal rails let pass. */
	readonly allowRemovals?: number;
	/**
	 * The actions on the other kinds of the kind table; absent when it has no kind but sessions.
	 * Their deletes count among `removals` (as `delete`).
	 */
	readonly resources?: ResourcePlan;
}

/**
 * A plan as planSessions makes it: the changes, and the prior state they were planned from, so
 * one read of the Hub and one comparison per session serve plan, drift and status.
 */
export interface PlanWithPrior extends Plan {
	/**
	 * The stack's managed sessions in scope as this plan read them, by key then id. A saved plan
	 * leaves it out (see withoutPrior): apply reads the Hub again.
	 */
	readonly prior: readonly PriorSession[];
}

/** The plan without its prior state: what a saved plan stores, whatever it is given. */
export function withoutPrior(plan: Plan): Plan {
	if (!('prior' in plan)) return plan;
	const { prior: _prior, ...changes } = plan as PlanWithPrior;
	return changes;
}

export const ACTION_ORDER: Record<ActionKind, number> = {
	create: 0,
	adopt: 1,
	update: 2,
	replace: 3,
	dedupe: 4,
	archive: 5,
	delete: 6,
	forget: 7,
	noop: 8,
};

export function hasChanges(plan: Pick<Plan, 'actions' | 'resources'>): boolean {
	return (
		plan.actions.some((action) => action.kind !== 'noop') ||
		(plan.resources?.actions.some((action) => action.kind !== 'noop') ?? false)
	);
}

export function summarize(plan: Plan): Record<ChangeKind, number> {
	const summary: Record<ChangeKind, number> = {
		create: 0,
		adopt: 0,
		update: 0,
		replace: 0,
		dedupe: 0,
		archive: 0,
		delete: 0,
		forget: 0,
	};
	for (const action of plan.actions) if (action.kind !== 'noop') summary[action.kind] += 1;
	return summary;
}

export function fieldsOf(changes: readonly FieldChange[]): FieldName[] {
	return changes.map((change) => change.field);
}

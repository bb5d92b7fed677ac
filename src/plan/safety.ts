/** Safety rails as data (octoDNS-style): plan shows them, apply refuses on them. Pure. */
import type { Action, Hazard, Plan, RemovalCounts } from './types.js';

export const BULK_REMOVAL_PCT = 25;
export const BULK_REMOVAL_MIN_MANAGED = 8;

export interface HazardInput {
	readonly actions: readonly Action[];
	/** Archives, deletes and replaces of active sessions (see countRemovals). */
	readonly removals: RemovalCounts;
	/** Active (not archived) sessions of this stack. */
	readonly managed: number;
	/** Entries in the spec. */
	readonly declared: number;
	/** `--take-over`: adopting sessions of other stacks is wanted (per entry: `takeOver: true`). */
	readonly takeOver?: boolean;
	/** `--destroy`: any removal at all is a hazard the exact count lifts. */
	readonly destroy?: boolean;
	/** The removals by resource kind (`session`, `note`) when other kinds than sessions go. */
	readonly byResource?: Readonly<Record<string, number>>;
	/** Qualified keys of protected records of other kinds the plan would delete or replace. */
	readonly protectedResources?: readonly string[];
}

/**
 * What the removal rails weigh: every action that archives or deletes an active session. A
 * replace archives the session it replaces, so it counts. A dedupe does not: the key keeps a
 * session. Archived sessions are history (deleting them under prune: delete is not what the
 * rails guard against).
 */
export function countRemovals(
	actions: readonly Action[],
	isArchived: (sessionId: string) => boolean
): RemovalCounts {
	const counts = { archive: 0, delete: 0, replace: 0 };
	for (const action of actions) {
		if (action.kind !== 'archive' && action.kind !== 'delete' && action.kind !== 'replace')
			continue;
		if (!isArchived(action.live.id)) counts[action.kind] += 1;
	}
	return counts;
}

export function totalRemovals(counts: RemovalCounts): number {
	return counts.archive + counts.delete + counts.replace;
}

/**
 * The actions that would take a protected session away: an archive, delete or replace of one
 * (or a replace into a protected entry), and a dedupe of a protected copy only when the session
 * it keeps is archived, deleted or replaced by the same plan. Archiving a spare copy while the
 * kept session stays leaves the key protected: that is no protected removal.
 */
export function protectedRemovals(actions: readonly Action[]): Action[] {
	const removedIds = new Set(
		actions.flatMap((action) =>
			action.kind === 'archive' || action.kind === 'delete' || action.kind === 'replace'
				? [action.live.id]
				: []
		)
	);
	return actions.filter((action) => {
		switch (action.kind) {
			case 'archive':
			case 'delete':
				return action.live.protect;
			case 'replace':
				return action.live.protect || action.desired.protect;
			case 'dedupe':
				return action.live.protect && removedIds.has(action.keep);
			default:
				return false;
		}
	});
}

export function assessHazards(input: HazardInput): Hazard[] {
	const hazards: Hazard[] = [];
	const protectedKeys = [
		...protectedRemovals(input.actions).map((action) => action.key),
		...(input.protectedResources ?? []),
	];
	if (protectedKeys.length > 0)
		hazards.push({ kind: 'protected', keys: [...new Set(protectedKeys)] });
	const foreign = input.takeOver
		? []
		: input.actions.flatMap((action) =>
				(action.kind === 'adopt' || action.kind === 'replace') &&
				action.foreignStack &&
				!action.desired.takeOver
					? [{ key: action.key, sessionId: action.live.id, stack: action.foreignStack }]
					: []
			);
	if (foreign.length > 0) hazards.push({ kind: 'foreign-owner', sessions: foreign });

	const removals = totalRemovals(input.removals);
	const byResource =
		input.byResource && Object.keys(input.byResource).length > 0
			? { byResource: input.byResource }
			: {};
	if (input.destroy) {
		if (removals > 0) hazards.push({ kind: 'destroy', removals, ...byResource });
		return hazards;
	}
	// An empty spec is refused only when it would remove something (not with prune: keep).
	if (input.declared === 0 && removals > 0) {
		hazards.push({ kind: 'empty-spec', managed: input.managed });
	} else if (
		input.managed >= BULK_REMOVAL_MIN_MANAGED &&
		removals * 100 > input.managed * BULK_REMOVAL_PCT
	) {
		hazards.push({
			kind: 'bulk-removal',
			removals,
			managed: input.managed,
			thresholdPct: BULK_REMOVAL_PCT,
			byKind: input.removals,
			...byResource,
		});
	}
	return hazards;
}

/**
 * Hazards that `--allow-removals N` lifts when N is the exact removal count; protection is never
 * lifted, and a foreign owner only by planning again with --take-over.
 */
export function blockingHazards(
	hazards: readonly Hazard[],
	removals: number,
	allowRemovals?: number
): Hazard[] {
	return hazards.filter(
		(hazard) =>
			hazard.kind === 'protected' || hazard.kind === 'foreign-owner' || allowRemovals !== removals
	);
}

/** The hazards the removal count can lift: a bulk removal, an emptied spec, a destroy. */
export function isLiftable(hazard: Hazard): boolean {
	return (
		hazard.kind === 'bulk-removal' || hazard.kind === 'empty-spec' || hazard.kind === 'destroy'
	);
}

/**
 * The hazards apply refuses this plan on, given the count allowed by the spec's `allowRemovals`
 * (or by `--allow-removals`, which must agree with it).
 */
export function refusedHazards(
	plan: Pick<Plan, 'hazards' | 'removals' | 'allowRemovals'>,
	allowRemovals: number | undefined = plan.allowRemovals
): Hazard[] {
	return blockingHazards(plan.hazards, plan.removals, allowRemovals);
}

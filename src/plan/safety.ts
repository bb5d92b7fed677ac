/** Safety rails as data (octoDNS-style): plan shows them, apply refuses on them. Pure. */
import type { Action, Hazard } from './types.js';

export const BULK_REMOVAL_PCT = 25;
export const BULK_REMOVAL_MIN_MANAGED = 8;

export interface HazardInput {
	readonly actions: readonly Action[];
	/** archive + delete actions. */
	readonly removals: number;
	/** Active (not archived) live sessions of this stack. */
	readonly managed: number;
	/** Entries in the spec. */
	readonly declared: number;
	/** `--take-over`: adopting sessions of other stacks is wanted. */
	readonly takeOver?: boolean;
}

export function assessHazards(input: HazardInput): Hazard[] {
	const hazards: Hazard[] = [];
	const protectedKeys = input.actions
		.filter(
			(action) =>
				(action.kind === 'archive' ||
					action.kind === 'delete' ||
					action.kind === 'replace' ||
					action.kind === 'dedupe') &&
				(action.live.protect || ('desired' in action && action.desired.protect))
		)
		.map((action) => action.key);
	if (protectedKeys.length > 0)
		hazards.push({ kind: 'protected', keys: [...new Set(protectedKeys)] });
	const foreign = input.takeOver
		? []
		: input.actions.flatMap((action) =>
				(action.kind === 'adopt' || action.kind === 'replace') && action.foreignStack
					? [{ key: action.key, sessionId: action.live.id, stack: action.foreignStack }]
					: []
			);
	if (foreign.length > 0) hazards.push({ kind: 'foreign-owner', sessions: foreign });

	// An empty spec is refused only when it would remove something (not with prune: keep).
	if (input.declared === 0 && input.removals > 0) {
		hazards.push({ kind: 'empty-spec', managed: input.managed });
	} else if (
		input.managed >= BULK_REMOVAL_MIN_MANAGED &&
		input.removals * 100 > input.managed * BULK_REMOVAL_PCT
	) {
		hazards.push({
			kind: 'bulk-removal',
			removals: input.removals,
			managed: input.managed,
			thresholdPct: BULK_REMOVAL_PCT,
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

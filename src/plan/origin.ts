/**
 * Which actions of a plan a change introduces, found by planning the spec as it was at a base
 * (say the pull request's merge base) against the same live sessions: an action the base plan
 * holds too, with the same changes, was pending without the change (drift on the Hub, or a base
 * not yet applied).
 */
import { canonicalJson } from '../ownership/digest.js';
import { canonicalAction } from './fingerprint.js';
import type { Action, Plan } from './types.js';

export type ActionOrigin = 'change' | 'base';

/** The base a plan was compared with, and the origin of each of its actions. */
export interface BaseAttribution {
	/** The ref as given, e.g. `origin/main`. */
	readonly ref: string;
	/** The commit the ref named. */
	readonly commit: string;
	/** One per action of the plan, in plan order. */
	readonly origins: readonly ActionOrigin[];
	/** Why the base could not be planned, so that every action counts as the change's. */
	readonly note?: string;
}

const identity = (action: Action): string => canonicalJson(canonicalAction(action));

/** Without a base plan, every action is the change's. */
export function attributeOrigins(plan: Plan, basePlan: Plan | undefined): ActionOrigin[] {
	const pending = new Map<string, number>();
	for (const action of basePlan?.actions ?? []) {
		const id = identity(action);
		pending.set(id, (pending.get(id) ?? 0) + 1);
	}
	return plan.actions.map((action) => {
		const id = identity(action);
		const left = pending.get(id) ?? 0;
		if (left === 0) return 'change';
		pending.set(id, left - 1);
		return 'base';
	});
}

/** The actions split by origin, each side in plan order; without a base, all are the change's. */
export function splitByOrigin<A extends Action>(
	actions: readonly A[],
	originOf: (action: A) => ActionOrigin
): { change: A[]; base: A[] } {
	const change: A[] = [];
	const base: A[] = [];
	for (const action of actions) (originOf(action) === 'base' ? base : change).push(action);
	return { change, base };
}

/** The origin of each action object of the plan, for renderers that filter or reorder actions. */
export function originLookup(
	plan: Plan,
	attribution: BaseAttribution
): (action: Action) => ActionOrigin {
	const byAction = new Map<Action, ActionOrigin>();
	plan.actions.forEach((action, index) => {
		byAction.set(action, attribution.origins[index] ?? 'change');
	});
	return (action) => byAction.get(action) ?? 'change';
}

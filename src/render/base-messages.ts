/** What the text and markdown renderers say about a plan compared with a base (`plan --base`). */
import { originLookup, splitByOrigin, type BaseAttribution } from '../plan/origin.js';
import type { Action, Plan } from '../plan/types.js';
import { plural } from './format.js';

export const CHANGE_TITLE = 'This change';
export const BASE_TITLE = 'Already pending without this change';

/** The actions that change something, split by origin; all on the change's side without a base. */
export function changesByOrigin<A extends Action>(
	plan: Plan,
	actions: readonly A[],
	base: BaseAttribution | undefined
): { change: A[]; base: A[] } {
	if (!base) return { change: [...actions], base: [] };
	return splitByOrigin(actions, originLookup(plan, base));
}

/** `Compared with origin/main (1a2b3c4d5e6f): 1 action from this change, 2 already pending without it.` */
export function baseSummaryText(base: BaseAttribution, own: number, pending: number): string {
	return `Compared with ${base.ref} (${base.commit.slice(0, 12)}): ${plural(own, 'action')} from this change, ${pending} already pending without it.`;
}

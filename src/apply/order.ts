import type { Action, ActionKind } from '../plan/types.js';

/**
 * Apply runs in phases, non-destructive first: creates, adopts, updates, replaces (each creates
 * the new session before archiving the old), dedupes, archives, deletes, forgets. A phase ends before the
 * next begins, so nothing is removed while its replacement could still fail to appear.
 */
export const PHASES: readonly ActionKind[] = [
	'create',
	'adopt',
	'update',
	'replace',
	'dedupe',
	'archive',
	'delete',
	'forget',
];

export function phasesOf(actions: readonly Action[]): Action[][] {
	return PHASES.map((kind) => actions.filter((action) => action.kind === kind)).filter(
		(phase) => phase.length > 0
	);
}

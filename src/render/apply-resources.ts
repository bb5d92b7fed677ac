/**
 * What apply says of the actions on the other kinds of the kind table: their JSON entries, the
 * line of each finished one, and their lines in the closing summary. Each is named by its
 * qualified key (`notes.a`) and its kind (`note`).
 */
import type { ApplyResult, OutcomeStatus, ResourceOutcome } from '../apply/events.js';
import type { ResourceAction, ResourceActionKind } from '../plan/types.js';
import { inlineText as shown } from '../core/untrusted/text.js';
import { verbOf } from './resource-actions.js';

export interface ApplyJsonResourceV1 {
	/** The kind of record (`note`). */
	readonly resource: string;
	readonly key: string;
	readonly qualifiedKey: string;
	/** What was done: create, update, replace or delete. */
	readonly kind: ResourceActionKind;
	/** What the Hub does, in the kind's words (`update and publish`, `archive`), else `kind`. */
	readonly verb: string;
	readonly status: OutcomeStatus;
	/** The record the action started from (null for a create). */
	readonly idBefore: string | null;
	/** The record the entry has after the action (null when none, or not known). */
	readonly idAfter: string | null;
	readonly message?: string;
}

function idAfter(action: ResourceAction, outcome: ResourceOutcome | undefined): string | null {
	const before = action.id ?? null;
	if (outcome?.status !== 'applied') return action.kind === 'create' ? null : before;
	if (action.kind === 'delete') return null;
	return outcome.id ?? before;
}

export function resourceActionJson(
	action: ResourceAction,
	outcome?: ResourceOutcome
): ApplyJsonResourceV1 {
	return {
		resource: action.resource,
		key: action.key,
		qualifiedKey: action.qualifiedKey,
		kind: action.kind,
		verb: verbOf(action),
		status: outcome?.status ?? 'not-attempted',
		idBefore: action.id ?? null,
		idAfter: idAfter(action, outcome),
		...(outcome?.message ? { message: outcome.message } : {}),
	};
}

/** `create notes.a (note)`, `update and publish agents.r (agent)`: how a line names the action. */
export function resourceSubject(action: ResourceAction): string {
	return `${shown(verbOf(action))} ${shown(action.qualifiedKey)} (${shown(action.resource)})`;
}

/** `update and publish` done: `updated and published`. */
export function doneText(verb: string): string {
	return verb
		.split(' ')
		.map((word) =>
			word === 'and' || word === '' ? word : word.endsWith('e') ? `${word}d` : `${word}ed`
		)
		.join(' ');
}

/**
 * The summary's lines on the other kinds, e.g. "Applied 3 of 3 on other kinds: 1 created note,
 * 2 deleted notes.", then each action not attempted (a dependency failed) and each record that
 * read back otherwise than planned. None when the run had no such actions.
 */
export function resourceSummaryLines(result: ApplyResult): string[] {
	const outcomes = result.resourceOutcomes ?? [];
	if (outcomes.length === 0) return [];
	const applied = outcomes.filter((outcome) => outcome.status === 'applied');
	const counts = new Map<string, number>();
	for (const { action } of applied) {
		const what = `${doneText(verbOf(action))}\u0000${action.resource}`;
		counts.set(what, (counts.get(what) ?? 0) + 1);
	}
	const parts = [...counts].map(([what, count]) => {
		const [verb, resource] = what.split('\u0000') as [string, string];
		return `${count} ${verb} ${shown(count === 1 ? resource : `${resource}s`)}`;
	});
	const lines = [
		`Applied ${applied.length} of ${outcomes.length} on other kinds${parts.length > 0 ? `: ${parts.join(', ')}` : ''}.`,
	];
	for (const { action, message } of outcomes.filter((o) => o.status === 'not-attempted'))
		lines.push(`Not attempted: ${resourceSubject(action)}${message ? `: ${shown(message)}` : ''}`);
	for (const problem of result.resourceNotConverged ?? []) {
		const id = problem.id ? `, ${shown(problem.id)}` : '';
		lines.push(
			`Not converged: ${shown(problem.qualifiedKey)} (${shown(problem.resource)}${id}) ${shown(problem.problem)}`
		);
	}
	return lines;
}

/**
 * After apply: each record of another kind an action applied to, as listed back, must be what the
 * plan wanted: a created, updated or replacing record the stack's, under its key, with the
 * desired values, and the only one of its key; a deleted or replaced one gone. Pure.
 */
import {
	resourceRows,
	type AnyResourceKindRow,
	type KindTable,
	type LiveLookup,
} from '../kinds/kind.js';
import { resolvedValues } from './kinds.js';
import { fieldChanges } from '../plan/kinds.js';
import type { ResourceNotConverged, ResourceOutcome } from './events.js';
import type { ResourceListing } from './resource-read-back.js';

export function verifyResourceOutcomes(
	outcomes: readonly ResourceOutcome[],
	listing: ResourceListing,
	table: KindTable,
	stack: string
): ResourceNotConverged[] {
	const rows = new Map(resourceRows(table).map((row) => [row.name, row]));
	const created = new Map(
		outcomes.flatMap((outcome) =>
			outcome.status === 'applied' &&
			outcome.id !== undefined &&
			(outcome.action.kind === 'create' || outcome.action.kind === 'replace')
				? [[outcome.action.qualifiedKey, outcome.id] as const]
				: []
		)
	);
	// A removal that did not go through is reported as such; the record it kept is no surprise.
	const kept = new Set(
		outcomes.flatMap((outcome) =>
			outcome.action.kind === 'delete' && outcome.status !== 'applied' ? [outcome.action.id] : []
		)
	);
	const lookup: LiveLookup = {
		records: (kind) => {
			const listed = listing.get(kind);
			return listed && 'records' in listed ? listed.records : [];
		},
	};
	return outcomes.flatMap((outcome) => {
		const row = rows.get(outcome.action.resource);
		const listed = listing.get(outcome.action.resource);
		if (outcome.status !== 'applied' || !row || !listed) return [];
		const { action } = outcome;
		const problem = (text: string, id = outcome.id): ResourceNotConverged => ({
			resource: action.resource,
			qualifiedKey: action.qualifiedKey,
			...(id !== undefined ? { id } : {}),
			problem: text,
		});
		if ('failure' in listed) return [problem(`could not be read back: ${listed.failure}`)];
		const byId = new Map(listed.records.map((record) => [row.idOf(record), record]));
		if (action.kind === 'delete')
			return byId.has(action.id!) ? [problem('still present after delete')] : [];
		const problems: ResourceNotConverged[] = [];
		const found = outcome.id !== undefined ? byId.get(outcome.id) : undefined;
		const resolved = resolvedValues(action, created);
		const desired = 'values' in resolved ? resolved.values : (action.desired ?? {});
		const wrote = recordProblem(row, found, action.key, desired, stack, lookup);
		if (wrote) problems.push(problem(wrote));
		if (action.kind === 'replace' && byId.has(action.id!) && !kept.has(action.id))
			problems.push(problem('the record replaced is still on the Hub', action.id));
		const ofKey = listed.records.filter((record) => {
			const owner = row.ownerOf(record);
			return owner?.stack === stack && owner.key === action.key && !kept.has(row.idOf(record));
		});
		if (ofKey.length > 1) {
			const ids = ofKey.map((record) => row.idOf(record)).join(', ');
			problems.push(
				problem(
					`${ofKey.length} records of the stack have this key (${ids}): another apply created it too; the next plan deletes the spare ones`
				)
			);
		}
		return problems;
	});
}

function recordProblem(
	row: AnyResourceKindRow,
	record: unknown,
	key: string,
	desired: Readonly<Record<string, unknown>>,
	stack: string,
	lookup: LiveLookup
): string | undefined {
	if (record === undefined) return 'not found on the Hub after apply';
	const owner = row.ownerOf(record);
	// Not recognised as the stack's: the next plan would not see it, and create again.
	if (owner?.stack !== stack || owner.key !== key)
		return 'does not read back as a record of the stack for this key';
	const left = fieldChanges(row, desired, record, lookup).map((change) => change.field);
	return left.length > 0 ? `still differs in ${left.join(', ')}` : undefined;
}

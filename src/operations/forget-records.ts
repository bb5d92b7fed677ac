/**
 * `forget KEY` for records of the other kinds (`forget agents.reviewer`): the stack stops owning
 * them without deleting them. An update writes each record's description without the ownership
 * marker (the row's `forgetInput`); the record stays as it is. A kind the Hub cannot change
 * (every field `replace`: saved skills, skill buckets) keeps its marker: forget refuses it.
 */
import { ExitCode } from '../core/exit-code.js';
import { UserError } from '../core/errors.js';
import { readOnly } from '../hub/client.js';
import type { HubWriter } from '../hub/types.js';
import {
	qualifiedKey,
	resourceRows,
	type AnyResourceKindRow,
	type KindTable,
} from '../kinds/kind.js';
import type { Spec } from '../kinds/session/desired.js';
import { compareText } from '../ownership/key-groups.js';
import { resourceRowOfKey } from '../plan/resource-views.js';
import { BUILT_IN_KINDS } from '../kinds/table.js';
import type { Environment } from './environment.js';
import { readResourceRecords } from './resource-planning.js';
import { withSpecAndHub, type SpecAndHub } from './spec-and-hub.js';

/** One record of a key being forgotten. */
export interface RecordForgetTarget {
	readonly kind: string;
	readonly qualifiedKey: string;
	readonly id: string;
}

export type RecordForgetOutcome =
	| { readonly status: 'cancelled'; readonly targets: readonly RecordForgetTarget[] }
	| {
			readonly status: 'forgotten';
			readonly targets: readonly RecordForgetTarget[];
			/** Per target, in their order: why its update failed, or why it still carries the marker. */
			readonly failures: ReadonlyMap<string, string>;
			readonly succeeded: boolean;
	  };

/** Whether every key names a record of another kind (`notes.a`); none or some: sessions. */
export function namesRecords(table: KindTable, keys: readonly string[]): boolean {
	const records = keys.filter((key) => resourceRowOfKey(table, key) !== undefined);
	if (records.length === 0) return false;
	if (records.length < keys.length) {
		throw new UserError(
			`forget sessions and records of other kinds in separate runs: ${records.join(', ')} name records of other kinds`
		);
	}
	return true;
}

export async function forgetRecords(
	spec: Spec,
	keys: readonly string[],
	hub: HubWriter,
	table: KindTable,
	approve: 'auto' | ((targets: readonly RecordForgetTarget[]) => Promise<boolean>)
): Promise<RecordForgetOutcome> {
	const unique = [...new Set(keys)];
	const rows = new Map(unique.map((key) => [key, resourceRowOfKey(table, key)!]));
	refuseUnchangeable([...rows.values()], unique);
	const declared = unique.filter((key) =>
		(spec.resources ?? []).some(
			(entry) =>
				entry.kind === rows.get(key)!.name && qualifiedKey(rows.get(key)!, entry.key) === key
		)
	);
	if (declared.length > 0) {
		const one = declared.length === 1;
		throw new UserError(
			`still in the spec: ${declared.join(', ')}. The next plan would create ${one ? 'it' : 'them'} again: first delete the ${one ? 'entry' : 'entries'}.`
		);
	}
	const kinds = [...new Set(rows.values())];
	const live = await readResourceRecords(readOnly(hub), kinds);
	const owned = (key: string) => recordsOf(rows.get(key)!, spec.stack, live, key);
	const unknown = unique.filter((key) => owned(key).length === 0);
	if (unknown.length > 0) {
		const known = kinds
			.flatMap((row) => recordsOf(row, spec.stack, live).map((each) => each.target.qualifiedKey))
			.sort(compareText);
		throw new UserError(
			`forget names no record of stack ${spec.stack}: ${unknown.join(', ')} (its records of ${kinds.length === 1 ? 'that kind' : 'those kinds'}: ${known.length > 0 ? [...new Set(known)].join(', ') : 'none'})`
		);
	}
	const shown = unique.flatMap(owned);
	const targets = shown.map((each) => each.target);
	if (approve !== 'auto' && !(await approve(targets))) return { status: 'cancelled', targets };
	// A prompt may wait long: each record is read again, so the update keeps a description edited
	// meanwhile, and never writes to a record another writer took or removed.
	const found = approve === 'auto' ? shown : await readAgain(hub, kinds, shown);
	const failures = new Map<string, string>();
	for (const { row, record, target, moved } of found) {
		if (moved === 'forgotten') continue;
		if (moved) {
			failures.set(target.id, moved);
			continue;
		}
		try {
			if (!hub.kindStore) throw new Error(`this Hub connection cannot change ${row.section}`);
			await hub.kindStore(row).update(target.id, row.forgetInput!(record));
		} catch (error) {
			failures.set(target.id, error instanceof Error ? error.message : String(error));
		}
	}
	// Read back: a record still marked is still the stack's.
	const after = await readResourceRecords(readOnly(hub), kinds);
	for (const { row, target } of found) {
		if (failures.has(target.id)) continue;
		const record = (after.get(row.name) ?? []).find((each) => row.idOf(each) === target.id);
		if (record !== undefined && row.ownerOf(record)?.stack === spec.stack)
			failures.set(target.id, 'still carries the ownership marker after the update');
	}
	return { status: 'forgotten', targets, failures, succeeded: failures.size === 0 };
}

interface Found {
	readonly row: AnyResourceKindRow;
	readonly record: unknown;
	readonly target: RecordForgetTarget;
	/** What another writer did to it since it was shown: `forgotten` is done already. */
	readonly moved?: string;
}

/** The records shown, as the Hub holds them now. */
async function readAgain(
	hub: HubWriter,
	kinds: readonly AnyResourceKindRow[],
	shown: readonly Found[]
): Promise<Found[]> {
	const now = await readResourceRecords(readOnly(hub), kinds);
	return shown.map((each) => {
		const record = (now.get(each.row.name) ?? []).find(
			(candidate) => each.row.idOf(candidate) === each.target.id
		);
		if (record === undefined) return { ...each, moved: 'gone from the Hub since it was shown' };
		const owner = each.row.ownerOf(record);
		const was = each.row.ownerOf(each.record);
		if (owner === undefined) return { ...each, record, moved: 'forgotten' };
		if (owner.stack !== was?.stack || owner.key !== was.key)
			return {
				...each,
				record,
				moved: `now ${qualifiedKey(each.row, owner.key)} of stack ${owner.stack}; not written`,
			};
		return { ...each, record };
	});
}

/** A kind without `forgetInput` cannot drop its marker: refused before anything is read. */
function refuseUnchangeable(rows: readonly AnyResourceKindRow[], keys: readonly string[]): void {
	const refused = [...new Set(rows.filter((row) => !row.forgetInput))];
	if (refused.length === 0) return;
	const messages = refused.map((row) => {
		const named = keys.filter((key) => key.startsWith(`${row.section}.`)).join(', ');
		const updatable = row.fields.some((field) => field.onChange === 'update');
		return updatable
			? `${row.section} cannot be forgotten: coder-sessions has no way to take the ownership marker off a ${row.name} (${named})`
			: `${row.section} cannot be forgotten: the Hub cannot change a ${row.name} once it is made, so the ownership marker of one this stack made stays (${named}): keep its entry, or remove the entry and let apply delete the record. One taken in with adopt: carries no marker: remove its entry, and the stack leaves it alone.`;
	});
	throw new UserError(messages.join('\n'), ExitCode.Refused);
}

/** The qualified keys of the records of every kind `stack` owns on the Hub, sorted. */
export async function ownedRecordKeys(
	hub: HubWriter,
	stack: string,
	table: KindTable = BUILT_IN_KINDS
): Promise<string[]> {
	const rows = resourceRows(table);
	const live = await readResourceRecords(readOnly(hub), rows);
	const keys = rows.flatMap((row) =>
		recordsOf(row, stack, live).map((each) => each.target.qualifiedKey)
	);
	return [...new Set(keys)].sort(compareText);
}

function recordsOf(
	row: AnyResourceKindRow,
	stack: string,
	live: ReadonlyMap<string, readonly unknown[]>,
	key?: string
): Found[] {
	return (live.get(row.name) ?? []).flatMap((record) => {
		const owner = row.ownerOf(record);
		if (owner?.stack !== stack) return [];
		const qualified = qualifiedKey(row, owner.key);
		if (key !== undefined && qualified !== key) return [];
		const target = { kind: row.name, qualifiedKey: qualified, id: row.idOf(record) };
		return [{ row, record, target }];
	});
}

/** Loads the spec, opens the Hub, forgets the keys' records, closes the Hub. */
export function forgetRecordsFiles(
	keys: readonly string[],
	request: SpecAndHub & {
		readonly approve:
			'auto' | ((spec: Spec, targets: readonly RecordForgetTarget[]) => Promise<boolean>);
	},
	environment: Environment
): Promise<{ readonly spec: Spec; readonly outcome: RecordForgetOutcome }> {
	const { approve } = request;
	const table = request.table ?? BUILT_IN_KINDS;
	return withSpecAndHub(request, environment, async (spec, connected) => {
		const outcome = await forgetRecords(
			spec,
			keys,
			connected.hub,
			table,
			approve === 'auto' ? 'auto' : (targets) => approve(spec, targets)
		);
		return { spec, outcome };
	});
}

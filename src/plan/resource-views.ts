/**
 * What `drift`, `status` and `show` say of the records of the other kinds (every resource row of
 * the kind table): their drift from the spec, one row per record the stack owns, one record in
 * full. Pure: from the rows, the live records and the plan of the other kinds.
 */
import { compareText } from '../ownership/key-groups.js';
import {
	qualifiedKey,
	resourceRows,
	type AnyResourceKindRow,
	type KindTable,
	type LiveLookup,
} from '../kinds/kind.js';
import type { Json, ResourcePlan } from './types.js';

/** One field whose live value differs from the spec's. */
export interface ResourceFieldDrift {
	readonly field: string;
	/** Absent when unset on the Hub. */
	readonly live?: Json;
	readonly spec?: Json;
	/** Applying the spec recreates the record (the Hub cannot change the field). */
	readonly replace: boolean;
}

/** A record of the stack whose live values differ from its entry: what `drift` reports. */
export interface ResourceDrift {
	/** The row's name (`agent`). */
	readonly kind: string;
	readonly qualifiedKey: string;
	readonly id: string;
	readonly fields: readonly ResourceFieldDrift[];
}

/**
 * The plan's updates and replaces that change a field: the record's live values differ from the
 * spec (edited on the Hub, or the spec changed since). Those that change no field (an adoption,
 * a marker, a draft to publish, `--replace`) are left out: no value differs.
 */
export function resourceDrift(plan: ResourcePlan | undefined): ResourceDrift[] {
	return (plan?.actions ?? []).flatMap((action) => {
		if (action.kind !== 'update' && action.kind !== 'replace') return [];
		const changes = action.changes ?? [];
		if (changes.length === 0 || action.id === undefined) return [];
		const forced = new Set(action.forcedBy ?? []);
		return [
			{
				kind: action.resource,
				qualifiedKey: action.qualifiedKey,
				id: action.id,
				fields: changes.map((change) => ({
					field: change.field,
					...(change.before !== undefined ? { live: change.before } : {}),
					...(change.after !== undefined ? { spec: change.after } : {}),
					replace: forced.has(change.field),
				})),
			},
		];
	});
}

/** One record the stack owns, as `status` lists it. */
export interface ResourceStatusRow {
	readonly kind: string;
	readonly qualifiedKey: string;
	readonly id: string;
	/** The row's `statusOf` words (absent when the row has none). */
	readonly status?: string;
	/** The record's marker says `protect`. */
	readonly protect?: true;
}

/** Every record of `stack` of every resource kind, by level, then qualified key, then id. */
export function resourceStatusRows(
	table: KindTable,
	stack: string,
	live: ReadonlyMap<string, readonly unknown[]>
): ResourceStatusRow[] {
	const rows = [...resourceRows(table)].sort((a, b) => a.level - b.level);
	return rows.flatMap((row) =>
		ownedRecords(row, stack, live.get(row.name) ?? [])
			.map(({ key, record }) => statusRow(row, key, record))
			.sort((a, b) => compareText(a.qualifiedKey, b.qualifiedKey) || compareText(a.id, b.id))
	);
}

function statusRow(row: AnyResourceKindRow, key: string, record: unknown): ResourceStatusRow {
	const status = row.statusOf?.(record);
	return {
		kind: row.name,
		qualifiedKey: qualifiedKey(row, key),
		id: row.idOf(record),
		...(status !== undefined ? { status } : {}),
		...(row.ownerOf(record)?.protect ? { protect: true as const } : {}),
	};
}

function ownedRecords(row: AnyResourceKindRow, stack: string, records: readonly unknown[]) {
	return records.flatMap((record) => {
		const owner = row.ownerOf(record);
		return owner?.stack === stack ? [{ key: owner.key, record }] : [];
	});
}

/** One record in full: `show agents.reviewer`. */
export interface ResourceRecordView extends ResourceStatusRow {
	/** Each field's live value, in the row's order (absent when unset on the Hub). */
	readonly fields: readonly { readonly name: string; readonly value?: Json }[];
}

/**
 * The record of `stack` a qualified key names among the resource kinds, or undefined when the
 * key names no resource kind (a session, a saved plan's file); a key of a resource kind that
 * names no record of the stack is a `missing` answer listing the keys there are.
 */
export function findResourceRecord(
	table: KindTable,
	stack: string,
	live: ReadonlyMap<string, readonly unknown[]>,
	key: string
):
	| { readonly found: ResourceRecordView[] }
	| { readonly missing: string; readonly known: readonly string[] }
	| undefined {
	const row = resourceRowOfKey(table, key);
	if (!row) return undefined;
	const lookup: LiveLookup = { records: (kind) => live.get(kind) ?? [] };
	const owned = ownedRecords(row, stack, live.get(row.name) ?? []);
	const matching = owned.filter((each) => qualifiedKey(row, each.key) === key);
	if (matching.length === 0) {
		const known = owned.map((each) => qualifiedKey(row, each.key)).sort(compareText);
		return { missing: key, known: [...new Set(known)] };
	}
	return {
		found: matching.map(({ key: entryKey, record }) => ({
			...statusRow(row, entryKey, record),
			fields: row.fields.map((field) => {
				const value = field.live(record, lookup);
				return { name: field.name, ...(value !== undefined ? { value: value as Json } : {}) };
			}),
		})),
	};
}

/** The resource row whose qualified keys a key is spelled as (`notes.a`: the `notes` section). */
export function resourceRowOfKey(table: KindTable, key: string): AnyResourceKindRow | undefined {
	return resourceRows(table).find((row) =>
		row.qualify === 'section' ? key.startsWith(`${row.section}.`) : false
	);
}

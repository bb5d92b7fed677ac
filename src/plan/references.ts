/**
 * References between entries, resolved for a plan. A reference value is the key of an entry the
 * spec declares (resolved to the Hub's handle of its record: the id, or an agent's slug) or a
 * value naming an existing record (an id, a built-in agent), used as is. An entry created or
 * replaced by the plan has no id yet: its handle is known after apply, and whatever takes it is
 * changed with it, each change saying why. Pure.
 */
import {
	qualifiedKey,
	type AnyResourceKindRow,
	type KindReference,
	type KindTable,
	type KindValues,
} from '../kinds/kind.js';

/** The fate of a declared entry, as the plan of its kind decided it. */
export interface PlannedEntry {
	readonly row: AnyResourceKindRow;
	readonly key: string;
	readonly values: KindValues;
	/** The record kept (noop, update), if any. */
	readonly record?: unknown;
	/** `create` or `replace`: the record will be new. */
	readonly renewed?: 'create' | 'replace';
}

/** One reference value, resolved. */
export interface ResolvedReference {
	/** As the spec writes it. */
	readonly value: string;
	/** The entry it names, qualified (`skills.style-guide`); absent for an id or a built-in. */
	readonly entry?: string;
	/** The handle the Hub knows it by; absent when the record is new (known after apply). */
	readonly handle?: string;
	/** Why the handle changes: `skill style-guide is replaced`. */
	readonly because?: string;
}

/** The entries of every resource kind decided so far, by qualified key. */
export type PlannedEntries = ReadonlyMap<string, PlannedEntry>;

const asList = (value: unknown): string[] =>
	Array.isArray(value)
		? value.filter((each): each is string => typeof each === 'string')
		: typeof value === 'string'
			? [value]
			: [];

function rowNamed(table: KindTable, kind: string): AnyResourceKindRow | undefined {
	const row = table.find((each) => each.name === kind);
	return row && row.builtIn === undefined ? row : undefined;
}

/** The handle of a live record: its id, or what the kind's handle reads (an agent's slug). */
export function liveHandle(row: AnyResourceKindRow, record: unknown): string {
	return row.handle ? row.handle.live(record) : row.idOf(record);
}

const RENEWED_WORDS = { create: 'created', replace: 'replaced' } as const;

/** Resolves the values of one reference field. */
export function resolveReference(
	table: KindTable,
	reference: KindReference,
	value: unknown,
	planned: PlannedEntries,
	live: (kind: string) => readonly unknown[]
): ResolvedReference[] {
	const target = rowNamed(table, reference.kind);
	return asList(value).map((each) => {
		if (!target) return { value: each, handle: each };
		const entry = qualifiedKey(target, each);
		const fate = planned.get(entry);
		if (fate) {
			if (target.handle)
				return { value: each, entry, handle: target.handle.desired(each, fate.values) };
			if (fate.renewed || fate.record === undefined) {
				return {
					value: each,
					entry,
					because: `${target.name} ${each} is ${RENEWED_WORDS[fate.renewed ?? 'create']}`,
				};
			}
			return { value: each, entry, handle: target.idOf(fate.record) };
		}
		// Not declared: an id (or a handle, or a built-in name) of a record the stack may not own.
		const byId = target.handle
			? live(target.name).find((record) => target.idOf(record) === each)
			: undefined;
		return { value: each, handle: byId ? target.handle!.live(byId) : each };
	});
}

/** The handles of resolved references, in the shape of the field (a list or one value). */
export function handlesOf(
	reference: KindReference,
	resolved: readonly ResolvedReference[]
): unknown {
	const handles = resolved.map((each) => each.handle ?? null);
	return reference.many ? handles : handles[0];
}

/**
 * A live field's handles written as the spec would: the key of the entry whose record has the
 * handle, else the handle itself.
 */
export function keysOfHandles(
	table: KindTable,
	reference: KindReference,
	live: unknown,
	planned: PlannedEntries
): unknown {
	const target = rowNamed(table, reference.kind);
	if (!target) return live;
	const keyOf = new Map<string, string>();
	for (const fate of planned.values()) {
		if (fate.row !== target || fate.record === undefined) continue;
		keyOf.set(liveHandle(target, fate.record), fate.key);
	}
	const name = (handle: string) => keyOf.get(handle) ?? handle;
	if (Array.isArray(live))
		return live.map((each) => (typeof each === 'string' ? name(each) : each));
	return typeof live === 'string' ? name(live) : live;
}

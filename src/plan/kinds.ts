/**
 * The generic planner: for each resource row of the kind table, the entries of its section
 * matched by key with the live records the stack owns. Pure: the same spec and records always
 * give the same actions. Sessions keep their own planner (diff.ts).
 */
import {
	qualifiedKey,
	resourceRows,
	type AnyResourceKindRow,
	type DesiredResource,
	type KindTable,
	type LiveLookup,
	NO_LOOKUP,
} from '../kinds/kind.js';
import type { Prune } from '../kinds/session/desired.js';
import { canonicalJson } from '../ownership/digest.js';
import { compareText } from '../ownership/key-groups.js';
import type { Json, ResourceAction, ResourceFieldChange, ResourcePlan } from './types.js';

export interface ResourcePlanInput {
	readonly stack: string;
	readonly prune: Prune;
	readonly entries: readonly DesiredResource[];
	/** The live records of each resource kind, by the row's name. */
	readonly live: ReadonlyMap<string, readonly unknown[]>;
	/** Qualified keys in scope (`--only`); undefined: every entry. */
	readonly only?: ReadonlySet<string>;
	/** `--destroy`: every owned record in scope is deleted. */
	readonly destroy?: boolean;
	/** `--replace`: qualified keys whose record is recreated even when nothing forces it. */
	readonly replace?: ReadonlySet<string>;
}

export const RESOURCE_REPLACE_REQUESTED = 'replace requested (--replace)';

const same = (a: unknown, b: unknown): boolean =>
	canonicalJson(a ?? null) === canonicalJson(b ?? null);

export function planResources(table: KindTable, input: ResourcePlanInput): ResourcePlan {
	const actions: ResourceAction[] = [];
	const managed: Record<string, number> = {};
	const notOwned: Record<string, number> = {};
	for (const row of resourceRows(table)) {
		const records = input.live.get(row.name) ?? [];
		const owned = new Map<string, unknown[]>();
		for (const record of records) {
			const owner = row.ownerOf(record);
			if (owner?.stack !== input.stack) continue;
			owned.set(owner.key, [...(owned.get(owner.key) ?? []), record]);
		}
		const ownedCount = [...owned.values()].reduce((sum, group) => sum + group.length, 0);
		managed[row.name] = ownedCount;
		notOwned[row.name] = records.length - ownedCount;
		const inScope = (key: string) => !input.only || input.only.has(qualifiedKey(row, key));
		const entries = input.destroy ? [] : input.entries.filter((entry) => entry.kind === row.name);
		const declared = new Set(entries.map((entry) => entry.key));
		for (const entry of entries) {
			if (!inScope(entry.key)) continue;
			const [primary, ...extra] = sortById(row, owned.get(entry.key) ?? []);
			const requested = input.replace?.has(qualifiedKey(row, entry.key)) === true;
			actions.push(planEntry(table, row, entry, primary, requested));
			for (const record of extra) {
				const keeps = row.idOf(primary);
				const spare = removal(row, entry.key, record, 'duplicate');
				actions.push({ ...spare, keeps, reason: `${spare.reason} (${keeps} stays)` });
			}
		}
		for (const [key, group] of owned) {
			if (declared.has(key) || !inScope(key)) continue;
			for (const record of sortById(row, group)) {
				actions.push(
					input.prune === 'keep' && !input.destroy
						? noop(row, key, record, 'not in the spec; prune: keep leaves it')
						: removal(row, key, record, input.destroy ? 'destroy' : 'removed')
				);
			}
		}
	}
	actions.sort(
		(a, b) =>
			a.level - b.level ||
			compareText(a.qualifiedKey, b.qualifiedKey) ||
			compareText(a.id ?? '', b.id ?? '')
	);
	return { actions, managed, notOwned };
}

function sortById(row: AnyResourceKindRow, records: readonly unknown[]): unknown[] {
	return [...records].sort((a, b) => compareText(row.idOf(a), row.idOf(b)));
}

function planEntry(
	table: KindTable,
	row: AnyResourceKindRow,
	entry: DesiredResource,
	live: unknown,
	replaceRequested = false
): ResourceAction {
	const base = {
		resource: row.name,
		key: entry.key,
		qualifiedKey: qualifiedKey(row, entry.key),
		level: row.level,
		desired: entry.values as Readonly<Record<string, Json>>,
		...dependencies(table, row, entry),
	};
	if (live === undefined) return { ...base, kind: 'create', reason: 'not on the Hub' };
	const id = row.idOf(live);
	const changes = fieldChanges(row, entry.values, live);
	const fixed = new Set(row.fields.filter((f) => f.onChange === 'replace').map((f) => f.name));
	const forcedBy = changes.map((change) => change.field).filter((field) => fixed.has(field));
	if (forcedBy.length > 0) {
		return {
			...base,
			kind: 'replace',
			id,
			changes,
			forcedBy,
			reason: `the Hub cannot change ${forcedBy.join(' and ')} after creation`,
		};
	}
	if (replaceRequested)
		return { ...base, kind: 'replace', id, changes, forcedBy, reason: RESOURCE_REPLACE_REQUESTED };
	if (changes.length > 0)
		return { ...base, kind: 'update', id, changes, reason: 'differs from the spec' };
	return { ...base, kind: 'noop', id, reason: 'matches the spec' };
}

/**
 * The fields whose desired value differs from a live record's: what a plan updates, and what
 * apply's read-back finds still different. A field the entry leaves out is the Hub's to keep.
 */
export function fieldChanges(
	row: AnyResourceKindRow,
	values: Readonly<Record<string, unknown>>,
	live: unknown,
	lookup: LiveLookup = NO_LOOKUP
): ResourceFieldChange[] {
	const changes: ResourceFieldChange[] = [];
	for (const field of row.fields) {
		const after = values[field.name];
		if (after === undefined) continue;
		const before = field.live(live, lookup);
		if (same(after, before)) continue;
		changes.push({
			field: field.name,
			...(before !== undefined ? { before: before as Json } : {}),
			after: after as Json,
		});
	}
	return changes;
}

/** The entries this one references, as their qualified keys. */
function dependencies(
	table: KindTable,
	row: AnyResourceKindRow,
	entry: DesiredResource
): { dependsOn?: readonly string[] } {
	const keys = row.references.flatMap((reference) => {
		const value = entry.values[reference.field];
		const target = table.find((each) => each.name === reference.kind);
		return typeof value === 'string' && target ? [qualifiedKey(target, value)] : [];
	});
	return keys.length > 0 ? { dependsOn: keys } : {};
}

const REMOVAL_REASONS = {
	duplicate: 'another record of the stack has this key',
	removed: 'no longer in the spec',
	destroy: 'destroy: every record of the stack goes',
} as const;

function removal(
	row: AnyResourceKindRow,
	key: string,
	record: unknown,
	why: keyof typeof REMOVAL_REASONS
): ResourceAction {
	return {
		kind: 'delete',
		resource: row.name,
		key,
		qualifiedKey: qualifiedKey(row, key),
		level: row.level,
		id: row.idOf(record),
		reason: REMOVAL_REASONS[why],
	};
}

function noop(
	row: AnyResourceKindRow,
	key: string,
	record: unknown,
	reason: string
): ResourceAction {
	return {
		kind: 'noop',
		resource: row.name,
		key,
		qualifiedKey: qualifiedKey(row, key),
		level: row.level,
		id: row.idOf(record),
		reason,
	};
}

/**
 * Deletes of owned records: they count among the plan's removals, but for a key's spare record,
 * as a session's dedupe does not: the key keeps its record.
 */
export function resourceRemovals(plan: ResourcePlan | undefined): number {
	return (
		plan?.actions.filter((action) => action.kind === 'delete' && action.keeps === undefined)
			.length ?? 0
	);
}

export function managedResources(plan: ResourcePlan | undefined): number {
	return Object.values(plan?.managed ?? {}).reduce((sum, count) => sum + count, 0);
}

/**
 * The generic planner: for each resource row of the kind table, the entries of its section
 * matched by key with the live records the stack owns. Pure: the same spec and records always
 * give the same actions. Sessions keep their own planner (diff.ts).
 */
import {
	handlesOf,
	keysOfHandles,
	resolveReference,
	type PlannedEntries,
	type PlannedEntry,
	type ResolvedReference,
} from './references.js';
import {
	qualifiedKey,
	resourceRows,
	type AnyResourceKindRow,
	type DesiredResource,
	type KindReference,
	type KindTable,
	type LiveLookup,
	NO_LOOKUP,
} from '../kinds/kind.js';
import type { Prune } from '../kinds/session/desired.js';
import { notOfKind, type IdKind } from '../kinds/id-kind.js';
import { canonicalJson } from '../ownership/digest.js';
import { compareText } from '../ownership/key-groups.js';
import { withResourceWaits } from './removal-waits.js';
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
	/**
	 * Records of each kind that are no one's but keep what a create would take (an archived
	 * agent's slug), by the row's name: a create colliding with one is a conflict.
	 */
	readonly retired?: ReadonlyMap<string, readonly unknown[]>;
	/** The kind of a session or record of another kind with this id, for `adopt:`'s errors. */
	readonly kindOfId?: (id: string) => IdKind | undefined;
}

export const RESOURCE_REPLACE_REQUESTED = 'replace requested (--replace)';

const same = (a: unknown, b: unknown): boolean =>
	canonicalJson(a ?? null) === canonicalJson(b ?? null);

export function planResources(table: KindTable, input: ResourcePlanInput): ResourcePlan {
	const actions: ResourceAction[] = [];
	const managed: Record<string, number> = {};
	const notOwned: Record<string, number> = {};
	const conflicts: string[] = [];
	const unadoptable: string[] = [];
	const unreplaceable: string[] = [];
	const rows = [...resourceRows(table)].sort((a, b) => a.level - b.level);
	const live = (kind: string) => input.live.get(kind) ?? [];
	const lookup: LiveLookup = { records: live };
	const ownedByRow = new Map(rows.map((row) => [row.name, ownedRecords(row, input, live)]));
	const planned = registerEntries(rows, input, ownedByRow);
	for (const row of rows) {
		const { owned, count } = ownedByRow.get(row.name)!;
		managed[row.name] = count;
		notOwned[row.name] = live(row.name).length - count;
		const inScope = (key: string) => !input.only || input.only.has(qualifiedKey(row, key));
		const entries = input.destroy ? [] : input.entries.filter((entry) => entry.kind === row.name);
		const declared = new Set(entries.map((entry) => entry.key));
		for (const entry of entries) {
			if (!inScope(entry.key)) continue;
			const adoptProblem = adoptionProblem(row, entry, live(row.name), owned, input);
			if (adoptProblem) unadoptable.push(adoptProblem);
			const requested = input.replace?.has(qualifiedKey(row, entry.key)) === true;
			const context = { table, row, planned, live, lookup };
			const records = entryRecords(row, entry, owned);
			const { action, kept } = planKept(context, entry, records, requested);
			if (kept !== records[0]) {
				const fate = planned.get(action.qualifiedKey)!;
				planned.set(action.qualifiedKey, { ...fate, record: kept });
			}
			actions.push(action);
			const replaceProblem =
				action.kind === 'replace'
					? row.replaceConflict?.(entry.key, entry.values, kept)
					: undefined;
			if (replaceProblem) unreplaceable.push(`${action.qualifiedKey}: ${replaceProblem}`);
			if (action.kind === 'create' || action.kind === 'replace') {
				const fate = planned.get(action.qualifiedKey)!;
				planned.set(action.qualifiedKey, { ...fate, renewed: action.kind });
			}
			if (action.kind === 'create' || action.kind === 'update' || action.kind === 'replace') {
				// An update or replace may change what a record is known by (an agent's slug): checked
				// as a create is, against every record but the entry's own.
				const taken = [...live(row.name), ...(input.retired?.get(row.name) ?? [])].filter(
					(record) => !records.includes(record)
				);
				conflicts.push(...conflictsOf(row, entry, taken, input.stack));
			}
			for (const record of records.filter((each) => each !== kept)) {
				const keeps = row.idOf(kept);
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
						: input.destroy
							? removal(row, key, record, 'destroy')
							: prunedRecord(row, key, record, input.prune)
				);
			}
		}
	}
	for (const [index, action] of actions.entries()) {
		if (action.id === undefined) continue;
		const row = rows.find((each) => each.name === action.resource)!;
		const record = live(row.name).find((each) => row.idOf(each) === action.id);
		if (record !== undefined && row.ownerOf(record) === undefined)
			actions[index] = { ...action, unmarked: true };
	}
	const waiting = withResourceWaits(table, actions, lookup);
	waiting.sort(
		(a, b) =>
			a.level - b.level ||
			compareText(a.qualifiedKey, b.qualifiedKey) ||
			compareText(a.id ?? '', b.id ?? '')
	);
	return {
		actions: waiting,
		managed,
		notOwned,
		...(conflicts.length > 0 ? { conflicts } : {}),
		...(unadoptable.length > 0 ? { unadoptable } : {}),
		...(unreplaceable.length > 0 ? { unreplaceable } : {}),
	};
}

/**
 * Why an entry's `adopt:` cannot take its record, at the entry's place: no record of the kind
 * has the id while the stack holds none under the key (a typo would otherwise create a second
 * record; once a replace made the key's record anew, `adopt:` is only a record), another stack
 * marks it (taken only once that stack forgets it), or it is this stack's record of another key.
 */
function adoptionProblem(
	row: AnyResourceKindRow,
	entry: DesiredResource,
	records: readonly unknown[],
	owned: ReadonlyMap<string, unknown[]>,
	input: Pick<ResourcePlanInput, 'stack' | 'kindOfId' | 'retired'>
): string | undefined {
	if (entry.adopt === undefined) return undefined;
	const { stack } = input;
	const where = `${entry.source.file}:${entry.source.line}:${entry.source.column}: ${qualifiedKey(row, entry.key)}.adopt`;
	const record = records.find((each) => row.idOf(each) === entry.adopt);
	if (record === undefined) {
		if ((owned.get(entry.key) ?? []).length > 0) return undefined;
		if ((input.retired?.get(row.name) ?? []).some((each) => row.idOf(each) === entry.adopt))
			return `${where}: ${row.name} ${entry.adopt} is archived, which cannot be undone: an archived ${row.name} is never adopted; remove adopt: to create a new one`;
		const elsewhere = input.kindOfId?.(entry.adopt);
		return elsewhere
			? `${where}: ${notOfKind(entry.adopt, elsewhere, row.name)}: adopt it in an entry under ${elsewhere.section}:`
			: `${where}: no ${row.name} ${entry.adopt} on the Hub`;
	}
	const owner = row.ownerOf(record);
	if (owner === undefined || (owner.stack === stack && owner.key === entry.key)) return undefined;
	if (owner.stack !== stack)
		return `${where}: ${row.name} ${entry.adopt} belongs to stack ${owner.stack}; it must forget it first`;
	return `${where}: ${row.name} ${entry.adopt} is this stack's ${qualifiedKey(row, owner.key)}`;
}

interface OwnedRecords {
	/** The stack's records by entry key: marked, or named by an entry's `adopt:`. */
	readonly owned: Map<string, unknown[]>;
	readonly count: number;
}

function ownedRecords(
	row: AnyResourceKindRow,
	input: ResourcePlanInput,
	live: (kind: string) => readonly unknown[]
): OwnedRecords {
	const adopted = new Map(
		input.entries
			.filter((entry) => entry.kind === row.name && entry.adopt !== undefined)
			.map((entry) => [entry.adopt!, entry.key])
	);
	const owned = new Map<string, unknown[]>();
	let count = 0;
	for (const record of live(row.name)) {
		const owner = row.ownerOf(record);
		// A record another stack marked is never adopted: `adopt:` takes over unmarked records only.
		const key = owner
			? owner.stack === input.stack
				? owner.key
				: undefined
			: adopted.get(row.idOf(record));
		if (key === undefined) continue;
		owned.set(key, [...(owned.get(key) ?? []), record]);
		count += 1;
	}
	return { owned, count };
}

/** Every declared entry with the record it keeps so far; a plan of its kind refines the fate. */
function registerEntries(
	rows: readonly AnyResourceKindRow[],
	input: ResourcePlanInput,
	ownedByRow: ReadonlyMap<string, OwnedRecords>
): Map<string, PlannedEntry> {
	const planned = new Map<string, PlannedEntry>();
	if (input.destroy) return planned;
	for (const row of rows) {
		const { owned } = ownedByRow.get(row.name)!;
		for (const entry of input.entries.filter((each) => each.kind === row.name)) {
			const [primary] = entryRecords(row, entry, owned);
			planned.set(qualifiedKey(row, entry.key), {
				row,
				key: entry.key,
				values: entry.values,
				...(primary !== undefined ? { record: primary } : { renewed: 'create' as const }),
			});
		}
	}
	return planned;
}

function conflictsOf(
	row: AnyResourceKindRow,
	entry: DesiredResource,
	records: readonly unknown[],
	stack: string
): string[] {
	if (!row.conflict) return [];
	return records.flatMap((record) => {
		const owner = row.ownerOf(record)?.stack;
		if (owner === stack) return [];
		const message = row.conflict!(entry.key, entry.values, record, owner);
		return message ? [`${qualifiedKey(row, entry.key)}: ${message}`] : [];
	});
}

/**
 * The records an entry holds, the one it keeps first: the record its `adopt:` names, else the
 * lowest id (planKept may keep another when that one would be replaced). Another record marked with the entry's key (left by an interrupted apply, or marked
 * by hand) never displaces the record the spec names.
 */
function entryRecords(
	row: AnyResourceKindRow,
	entry: DesiredResource,
	owned: ReadonlyMap<string, unknown[]>
): unknown[] {
	const records = sortById(row, owned.get(entry.key) ?? []);
	const adopted = records.findIndex((record) => row.idOf(record) === entry.adopt);
	if (adopted <= 0) return records;
	return [records[adopted], ...records.filter((_, index) => index !== adopted)];
}

/**
 * The entry's action, and the record it keeps (the others go as duplicates). When the first would
 * be replaced, another one that needs no replace is kept instead (the record an apply stopped
 * after its replace's create left): the next run then makes no record beyond it, and the first
 * goes as a duplicate, deleted after the run's writes that point away from it. Not when
 * `adopt:` or `--replace` names the record, nor when the first is protected.
 */
function planKept(
	context: EntryContext,
	entry: DesiredResource,
	records: readonly unknown[],
	requested: boolean
): { action: ResourceAction; kept: unknown } {
	const [first, ...others] = records;
	const action = planEntry(context, entry, first, requested);
	if (action.kind !== 'replace' || requested || entry.adopt !== undefined) {
		return { action, kept: first };
	}
	if (context.row.ownerOf(first)?.protect === true) return { action, kept: first };
	for (const candidate of others) {
		const instead = planEntry(context, entry, candidate, false);
		if (instead.kind !== 'replace') return { action: instead, kept: candidate };
	}
	return { action, kept: first };
}

function sortById(row: AnyResourceKindRow, records: readonly unknown[]): unknown[] {
	return [...records].sort((a, b) => compareText(row.idOf(a), row.idOf(b)));
}

interface EntryContext {
	readonly table: KindTable;
	readonly row: AnyResourceKindRow;
	readonly planned: PlannedEntries;
	readonly live: (kind: string) => readonly unknown[];
	readonly lookup: LiveLookup;
}

function planEntry(
	context: EntryContext,
	entry: DesiredResource,
	live: unknown,
	replaceRequested = false
): ResourceAction {
	const { table, row } = context;
	const references = resolveEntryReferences(context, entry);
	const base = {
		resource: row.name,
		key: entry.key,
		qualifiedKey: qualifiedKey(row, entry.key),
		level: row.level,
		desired: entry.values as Readonly<Record<string, Json>>,
		...(entry.protect ? { protect: true as const } : {}),
		...dependencies(references),
		...(Object.keys(references).length > 0 ? { references } : {}),
	};
	if (live === undefined) return { ...base, kind: 'create', reason: 'not on the Hub' };
	const id = row.idOf(live);
	const liveProtect = row.ownerOf(live)?.protect === true;
	const changes = fieldChanges(row, entry.values, live, context.lookup, {
		table,
		planned: context.planned,
		references,
	});
	const fixed = new Set(row.fields.filter((f) => f.onChange === 'replace').map((f) => f.name));
	const forced = changes.filter((change) => fixed.has(change.field));
	const forcedBy = forced.map((change) => change.field);
	const protectFlag = liveProtect ? { liveProtect: true as const } : {};
	const replace = (reason: string): ResourceAction => ({
		...base,
		kind: 'replace',
		id,
		changes,
		forcedBy,
		...protectFlag,
		reason,
	});
	// An update with no field change rewrites the marker or publishes: every desired value is sent.
	const update = (reason: string, updated = changes): ResourceAction => ({
		...base,
		kind: 'update',
		id,
		changes: updated,
		...verb(row, 'update'),
		...protectFlag,
		reason,
	});
	const whyOf = (list: readonly ResourceFieldChange[]) =>
		list.flatMap((change) => (change.because ? [change.because] : []));
	if (forcedBy.length > 0) {
		const because = whyOf(forced);
		return replace(
			because.length === forced.length
				? `replaced because ${because.join(' and ')}`
				: `the Hub cannot change ${forcedBy.join(' and ')} after creation`
		);
	}
	if (replaceRequested) return replace(RESOURCE_REPLACE_REQUESTED);
	if (changes.length > 0) {
		const because = whyOf(changes);
		return update(
			because.length === changes.length
				? `because ${because.join(' and ')}`
				: 'differs from the spec'
		);
	}
	if (entry.adopt !== undefined && row.ownerOf(live) === undefined && canUpdate(row))
		return update(`adopt ${id}: the ownership marker is written`, []);
	if (
		row.ownerOf(live) !== undefined &&
		liveProtect !== (entry.protect === true) &&
		canUpdate(row)
	) {
		return update(
			entry.protect
				? 'protect: true is written into the ownership marker'
				: 'protect is taken off the ownership marker',
			[]
		);
	}
	const pending = row.pending?.(live);
	if (pending) return update(pending, []);
	// Still being prepared by the Hub (an apply stopped while it waited): apply waits again.
	const state = row.settle?.state(live);
	if (state && !state.ready && state.failed === undefined) {
		const words = row.settle!.describe(live);
		return { ...base, kind: 'noop', id, settling: true, reason: `matches the spec; ${words}` };
	}
	return { ...base, kind: 'noop', id, reason: 'matches the spec' };
}

/** What a plan calls the action when the Hub does more, or other, than its kind says. */
function verb(row: AnyResourceKindRow, kind: 'update' | 'delete'): { verb?: string } {
	const words = kind === 'update' ? row.updateVerb : row.deleteVerb;
	return words ? { verb: words } : {};
}

const canUpdate = (row: AnyResourceKindRow) =>
	row.fields.some((field) => field.onChange === 'update');

function resolveEntryReferences(
	context: EntryContext,
	entry: DesiredResource
): Record<string, ResolvedReference[]> {
	const resolved: Record<string, ResolvedReference[]> = {};
	for (const reference of context.row.references) {
		const value = entry.values[reference.field];
		if (value === undefined) continue;
		resolved[reference.field] = resolveReference(
			context.table,
			reference,
			value,
			context.planned,
			context.live
		);
	}
	return resolved;
}

interface ReferenceView {
	readonly table: KindTable;
	readonly planned: PlannedEntries;
	readonly references: Readonly<Record<string, readonly ResolvedReference[]>>;
}

/**
 * The fields whose desired value differs from a live record's: what a plan updates, and what
 * apply's read-back finds still different. A field the entry leaves out is the Hub's to keep.
 * Reference fields compare the Hub's handles (as sets for lists), and show keys.
 */
export function fieldChanges(
	row: AnyResourceKindRow,
	values: Readonly<Record<string, unknown>>,
	live: unknown,
	lookup: LiveLookup = NO_LOOKUP,
	view?: ReferenceView
): ResourceFieldChange[] {
	const changes: ResourceFieldChange[] = [];
	for (const field of row.fields) {
		const after = values[field.name];
		if (after === undefined) continue;
		const before = field.live(live, lookup);
		const reference = row.references.find((each) => each.field === field.name);
		const resolved = view?.references[field.name];
		if (reference && resolved && view) {
			const because = resolved.flatMap((each) => (each.because ? [each.because] : []));
			const handles = handlesOf(reference, resolved);
			if (because.length === 0 && sameHandles(reference, handles, before)) continue;
			const shown = keysOfHandles(view.table, reference, before, view.planned);
			changes.push({
				field: field.name,
				render: field.render,
				...(shown !== undefined ? { before: shown as Json } : {}),
				after: after as Json,
				...(because.length > 0 ? { because: because.join(' and ') } : {}),
			});
			continue;
		}
		if (reference?.many ? sameHandles(reference, after, before) : same(after, before)) continue;
		changes.push({
			field: field.name,
			render: field.render,
			...(before !== undefined ? { before: before as Json } : {}),
			after: after as Json,
		});
	}
	return changes;
}

function sameHandles(reference: KindReference, desired: unknown, live: unknown): boolean {
	if (!reference.many) return same(desired, live);
	const set = (value: unknown) =>
		Array.isArray(value) ? [...new Set(value.map((each) => String(each)))].sort() : value;
	return same(set(desired), set(live ?? []));
}

/** The declared entries this one references, as their qualified keys. */
function dependencies(references: Readonly<Record<string, readonly ResolvedReference[]>>): {
	dependsOn?: readonly string[];
} {
	const keys = [
		...new Set(
			Object.values(references).flatMap((list) =>
				list.flatMap((each) => (each.entry ? [each.entry] : []))
			)
		),
	];
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
		...verb(row, 'delete'),
		...(row.ownerOf(record)?.protect ? { liveProtect: true as const } : {}),
		reason: REMOVAL_REASONS[why],
	};
}

/**
 * The removal of a record whose entry left the spec. A kind with no archive on the Hub (saved
 * skills, buckets, workspaces) is deleted under `prune: archive` too, which the plan says, as
 * `archive` reads as nothing being deleted.
 */
function prunedRecord(
	row: AnyResourceKindRow,
	key: string,
	record: unknown,
	prune: Prune
): ResourceAction {
	const action = removal(row, key, record, 'removed');
	if (prune !== 'archive' || row.deleteVerb === 'archive') return action;
	return {
		...action,
		reason: `${action.reason}; a ${row.name} has no archive, so prune: archive deletes it (prune: keep leaves it)`,
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
 * Deletes and replaces of owned records (a replace deletes the record it replaces): they count
 * among the plan's removals, but for a key's spare record, as a session's dedupe does not: the
 * key keeps its record.
 */
export function resourceRemovals(plan: ResourcePlan | undefined): {
	readonly delete: number;
	readonly replace: number;
	/** By the row's name. */
	readonly byResource: Readonly<Record<string, number>>;
} {
	const counts = { delete: 0, replace: 0 };
	const byResource: Record<string, number> = {};
	for (const action of plan?.actions ?? []) {
		const removes =
			(action.kind === 'delete' && action.keeps === undefined) || action.kind === 'replace';
		if (!removes) continue;
		counts[action.kind === 'delete' ? 'delete' : 'replace'] += 1;
		byResource[action.resource] = (byResource[action.resource] ?? 0) + 1;
	}
	return { ...counts, byResource };
}

/**
 * The qualified keys of protected records the plan would delete or replace (the live marker
 * says `protect`, or the entry a replace recreates does): refused like a protected session.
 * A spare record of a key goes only while the key keeps a record: no protected removal.
 */
export function protectedResourceRemovals(plan: ResourcePlan | undefined): string[] {
	const keys = (plan?.actions ?? []).flatMap((action) => {
		if (action.kind === 'delete' && action.keeps === undefined && action.liveProtect)
			return [action.qualifiedKey];
		if (action.kind === 'replace' && (action.liveProtect || action.protect))
			return [action.qualifiedKey];
		return [];
	});
	return [...new Set(keys)];
}

export function managedResources(plan: ResourcePlan | undefined): number {
	return Object.values(plan?.managed ?? {}).reduce((sum, count) => sum + count, 0);
}

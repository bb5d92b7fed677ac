/**
 * Records of the stack that would still name a record the plan removes: a field the entry leaves
 * out is the Hub's to keep (apply does not write it), so when the same plan deletes the record
 * that value names (left out of the spec, a key's spare, or the record a replace recreates),
 * nothing moves off it, and the record would name one that is gone. Terraform refuses to destroy
 * what is still referenced; so does the plan. Pure.
 *
 * Only what the Hub lists can be checked: the stack's records of the other kinds, and a session's
 * workspace, default and enabled agents. The Hub does not list a session's saved skills, skill
 * buckets or agent.
 */
import {
	resourceRows,
	type AnyResourceKindRow,
	type KindTable,
	type LiveLookup,
} from '../kinds/kind.js';
import type { DesiredSession } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';
import { inlineText } from '../core/untrusted/text.js';
import { MARKER } from '../ownership/markers.js';
import {
	LISTED_SESSION_FIELDS,
	listedSessionValue,
	namesHandle,
	removedRecord,
} from './removed-record.js';
import type { Action, ResourceAction, ResourcePlan } from './types.js';

/** One record of the stack that would name a removed record. */
export interface StrandedReference {
	/** The removal: `skillBuckets.docs-kit (skillBucket skbkt_1) is deleted`. */
	readonly removal: string;
	/** What still names it: `workspaces.docs`, `session api-review`. */
	readonly holder: string;
	readonly field: string;
	/** Why the plan leaves the field as the Hub holds it. */
	readonly why: 'left out' | 'outside --only' | 'not in the spec';
	/** The field holds one record, not a list (a session's workspace): no `[]` to write. */
	readonly single?: boolean;
}

/** Session actions after which the session no longer stands on anything (or is not the stack's). */
const SESSION_GOES = new Set(['replace', 'archive', 'delete', 'dedupe', 'forget']);

export function strandedReferences(
	table: KindTable,
	resources: ResourcePlan,
	sessions: { readonly actions: readonly Action[]; readonly desired: readonly DesiredSession[] },
	live: readonly LiveSession[],
	records: LiveLookup,
	stack: string
): StrandedReference[] {
	const rows = new Map(resourceRows(table).map((row) => [row.name, row]));
	const removals = resources.actions.flatMap((action) => {
		const removed = removedRecord(rows, action, records);
		return removed ? [{ action, ...removed }] : [];
	});
	// Most plans remove nothing: no holder need be worked out.
	if (removals.length === 0) return [];
	const holders = resourceHolders(rows, resources, records, stack);
	const sessionHolders = liveSessionHolders(sessions, live, stack);
	const stranded: StrandedReference[] = [];
	for (const { action, row, record: removed, handle } of removals) {
		const removal = describeRemoval(row, action);
		for (const holder of holders) {
			if (holder.record === removed) continue;
			for (const reference of holder.row.references) {
				if (reference.kind !== row.name) continue;
				const why = holder.keeps(reference.field);
				if (!why) continue;
				const value = holder.row.fields
					.find((field) => field.name === reference.field)
					?.live(holder.record, records);
				if (!namesHandle(value, handle)) continue;
				const single = reference.many !== true;
				stranded.push({ removal, holder: holder.name, field: reference.field, why, single });
			}
		}
		for (const holder of sessionHolders) {
			for (const field of LISTED_SESSION_FIELDS[row.name] ?? []) {
				const why = holder.keeps(field);
				const value = listedSessionValue(holder.session, field);
				if (!why || !namesHandle(value, handle)) continue;
				stranded.push({ removal, holder: holder.name, field, why, single: !Array.isArray(value) });
			}
		}
	}
	return stranded;
}

/** A record the plan keeps, and why it keeps a field as the Hub holds it (undefined: written). */
interface Holder<Record> {
	readonly name: string;
	readonly record: Record;
	readonly keeps: (field: string) => StrandedReference['why'] | undefined;
}

function resourceHolders(
	rows: ReadonlyMap<string, AnyResourceKindRow>,
	resources: ResourcePlan,
	records: LiveLookup,
	stack: string
): (Holder<unknown> & { readonly row: AnyResourceKindRow })[] {
	const holders: (Holder<unknown> & { readonly row: AnyResourceKindRow })[] = [];
	const planned = firstBy(resources.actions, (each) =>
		each.id === undefined ? undefined : `${each.resource}\0${each.id}`
	);
	for (const row of rows.values()) {
		for (const record of records.records(row.name)) {
			const action = planned.get(`${row.name}\0${row.idOf(record)}`);
			const owner = row.ownerOf(record);
			if (action === undefined) {
				// Not in the plan: outside --only when it is the stack's, else not the stack's at all.
				if (owner?.stack === stack)
					holders.push({
						name: `${row.section}.${owner.key}`,
						record,
						row,
						keeps: () => 'outside --only',
					});
				continue;
			}
			if (action.kind !== 'noop' && action.kind !== 'update') continue;
			holders.push({ name: action.qualifiedKey, record, row, keeps: keptField(action) });
		}
	}
	return holders;
}

function keptField(action: ResourceAction): Holder<unknown>['keeps'] {
	return (field) => {
		if ((action.changes ?? []).some((change) => change.field === field)) return undefined;
		if (action.desired === undefined) return 'not in the spec';
		return action.desired[field] === undefined ? 'left out' : undefined;
	};
}

function liveSessionHolders(
	sessions: { readonly actions: readonly Action[]; readonly desired: readonly DesiredSession[] },
	live: readonly LiveSession[],
	stack: string
): (Holder<LiveSession> & { readonly session: LiveSession })[] {
	const entries = new Map(sessions.desired.map((entry) => [entry.key, entry]));
	const actionOf = firstBy(sessions.actions, (each) =>
		'live' in each ? each.live?.id : undefined
	);
	return live.flatMap((session) => {
		const key = session.metadata[MARKER.key];
		if (session.metadata[MARKER.stack] !== stack || key === undefined) return [];
		if (session.archived || session.spawned) return [];
		const action = actionOf.get(session.id);
		if (action && SESSION_GOES.has(action.kind)) return [];
		const entry = entries.get(key);
		const changes = action && 'changes' in action ? action.changes : [];
		const keeps = (field: string): StrandedReference['why'] | undefined => {
			if (action === undefined) return 'outside --only';
			if (changes.some((change) => change.field === field)) return undefined;
			if (entry === undefined) return 'not in the spec';
			return entry[field as keyof DesiredSession] === undefined ? 'left out' : undefined;
		};
		return [{ name: `session ${key}`, record: session, session, keeps }];
	});
}

function describeRemoval(row: AnyResourceKindRow, action: ResourceAction): string {
	const what = `${action.qualifiedKey} (${row.name} ${action.id})`;
	if (action.kind === 'replace') return `${what} is replaced, and the old record removed`;
	return `${what} is ${action.verb === 'archive' ? 'archived' : 'deleted'}`;
}

/** The refusal: each record still naming a removed one, and what to do. */
export function strandedMessage(stranded: readonly StrandedReference[]): string {
	const lines = stranded.map(
		(each) =>
			// A line each: the ids in it are the Hub's text.
			`  - ${inlineText(`${each.removal}, but ${each.holder} still names it in ${each.field} (${WHY_WORDS[each.why]})`)}`
	);
	// Only the ways out that fit what keeps the field, in a fixed order.
	const causes = new Set(stranded.map((each) => each.why));
	const ways = (Object.keys(WAYS_OUT) as StrandedReference['why'][])
		.filter((why) => causes.has(why))
		.map((why) => (why === 'left out' ? writeTheField(stranded) : WAYS_OUT[why]));
	const todo = [...ways, 'keep the removed entry in the spec'];
	return [
		'Cannot plan: records of this stack would name a record the plan removes:',
		...lines,
		`To go on, ${todo.slice(0, -1).join('; ')}, or ${todo.at(-1)}.`,
	].join('\n');
}

/** How to write a left-out field: a list without the record, a single value naming another. */
function writeTheField(stranded: readonly StrandedReference[]): string {
	const leftOut = stranded.filter((each) => each.why === 'left out');
	const singles = leftOut.some((each) => each.single === true);
	const lists = leftOut.some((each) => each.single !== true);
	const write = 'write the field in the entry that leaves it out';
	if (!singles) return WAYS_OUT['left out'];
	if (!lists) return `${write}, naming another record`;
	return `${write} (a list as [] or without the removed record, a single value naming another record)`;
}

const WAYS_OUT: Readonly<Record<StrandedReference['why'], string>> = {
	'left out':
		'write the field in the entry that leaves it out (as [] or without the removed record)',
	'outside --only': 'add the entry that names it to --only',
	'not in the spec': 'declare the record that names it, without the removed one',
};

const WHY_WORDS: Readonly<Record<StrandedReference['why'], string>> = {
	'left out': 'its entry leaves the field out, so the Hub keeps it',
	'outside --only': 'outside --only, so this plan does not change it',
	'not in the spec': 'no entry declares it, so this plan does not change it',
};

/** Each item under its key (the first, as a search would find it); items without a key left out. */
function firstBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T> {
	const byKey = new Map<string, T>();
	for (const item of items) {
		const key = keyOf(item);
		if (key !== undefined && !byKey.has(key)) byKey.set(key, item);
	}
	return byKey;
}

/**
 * What a removal waits for. A record this plan removes (a delete, or the record a replace
 * recreates) may still be named by other records and sessions that this run's writes move off
 * it: the removal is carried out only once those writes succeeded, so a write that fails leaves
 * the record it still names in place for the next apply. Pure.
 */
import { resourceRows, type KindTable, type LiveLookup } from '../kinds/kind.js';
import type { LiveSession } from '../kinds/session/live.js';
import { UNLISTED, listedSessionValue, namesHandle, removedRecord } from './removed-record.js';
import type { Action, ResourceAction, ResourcePlan } from './types.js';

/**
 * Each removal with `movedOffBy`: the other kinds' writes whose live record names the removed
 * one and that take it off: an update changing the naming field, a replace (its new record is
 * made from the spec), or a delete of a record a level above (removals run from the highest
 * level down, so that one is done by then).
 */
export function withResourceWaits(
	table: KindTable,
	actions: readonly ResourceAction[],
	lookup: LiveLookup
): ResourceAction[] {
	const rows = new Map(resourceRows(table).map((row) => [row.name, row]));
	const recordOf = (action: ResourceAction): unknown =>
		lookup
			.records(action.resource)
			.find((each) => rows.get(action.resource)!.idOf(each) === action.id);
	return actions.map((removal) => {
		const removed = removedRecord(rows, removal, lookup);
		if (!removed) return removal;
		const { row, handle } = removed;
		const keys = actions.flatMap((write) => {
			if (write === removal || write.id === undefined) return [];
			const writer = rows.get(write.resource);
			if (!writer) return [];
			const fields = writer.references
				.filter((reference) => reference.kind === row.name)
				.map((reference) => reference.field)
				.filter((field) =>
					write.kind === 'update'
						? (write.changes ?? []).some((change) => change.field === field)
						: write.kind === 'replace' || (write.kind === 'delete' && writer.level > row.level)
				);
			const record = fields.length > 0 ? recordOf(write) : undefined;
			if (record === undefined) return [];
			const named = fields.some((field) =>
				namesHandle(writer.fields.find((each) => each.name === field)?.live(record, lookup), handle)
			);
			return named ? [write.qualifiedKey] : [];
		});
		return keys.length > 0 ? { ...removal, movedOffBy: [...new Set(keys)] } : removal;
	});
}

/** The session fields naming records of another kind, by that kind's name. */
const SESSION_FIELDS: Readonly<Record<string, readonly string[]>> = {
	workspace: ['workspaceId'],
	skill: ['savedSkillIds'],
	skillBucket: ['skillBucketIds'],
	agent: ['agent', 'defaultAgent', 'enabledAgents'],
};

/** Session actions that take a live session off whatever it names, as a whole. */
const TAKES_SESSION_AWAY = new Set(['replace', 'archive', 'delete', 'dedupe']);

/**
 * The plan's resource removals with `sessionsMovingOff`: the session actions that take a live
 * session off the removed record. The Hub lists a session's workspace, default and enabled
 * agents; its saved skills, buckets and agent it does not: a session whose value is not listed
 * counts as naming the record when its action replaces, archives or deletes it, or changes the
 * field.
 */
export function withSessionWaits(
	table: KindTable,
	resources: ResourcePlan,
	sessions: readonly Action[],
	live: readonly LiveSession[],
	records: LiveLookup
): ResourcePlan {
	const rows = new Map(resourceRows(table).map((row) => [row.name, row]));
	const byId = new Map(live.map((session) => [session.id, session]));
	const actions = resources.actions.map((removal) => {
		const fields = SESSION_FIELDS[removal.resource];
		const removed = fields && removedRecord(rows, removal, records);
		if (!removed) return removal;
		const { handle } = removed;
		const keys = sessions.flatMap((action) => {
			if (!('live' in action) || action.live === undefined) return [];
			const changed =
				action.kind === 'update' || action.kind === 'adopt'
					? fields.filter((field) => action.changes.some((change) => change.field === field))
					: TAKES_SESSION_AWAY.has(action.kind)
						? fields
						: [];
			const session = byId.get(action.live.id);
			const named = changed.some((field) => sessionNames(session, field, handle));
			return named ? [action.key] : [];
		});
		return keys.length > 0 ? { ...removal, sessionsMovingOff: [...new Set(keys)] } : removal;
	});
	return { ...resources, actions };
}

/** Whether the live session names the handle in the field; undefined counts as yes: not listed. */
function sessionNames(session: LiveSession | undefined, field: string, handle: string): boolean {
	if (session === undefined) return true;
	const value = listedSessionValue(session, field);
	return value === UNLISTED || namesHandle(value, handle);
}

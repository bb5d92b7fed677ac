/**
 * What both the removal waits (removal-waits.ts) and the stranded-reference check (stranded.ts)
 * ask of a plan's removal: which live record it removes, by what handle others name it, and
 * whether a value names that handle. Pure.
 */
import type { AnyResourceKindRow, LiveLookup } from '../kinds/kind.js';
import type { LiveSession } from '../kinds/session/live.js';
import { liveHandle } from './references.js';
import type { ResourceAction } from './types.js';

/** The record a delete removes, or the one a replace recreates, with the handle that names it. */
export interface RemovedRecord {
	readonly row: AnyResourceKindRow;
	readonly record: unknown;
	readonly handle: string;
}

export function removedRecord(
	rows: ReadonlyMap<string, AnyResourceKindRow>,
	action: ResourceAction,
	lookup: LiveLookup
): RemovedRecord | undefined {
	if ((action.kind !== 'delete' && action.kind !== 'replace') || action.id === undefined)
		return undefined;
	const row = rows.get(action.resource);
	const record = row && lookup.records(row.name).find((each) => row.idOf(each) === action.id);
	if (!row || record === undefined) return undefined;
	return { row, record, handle: liveHandle(row, record) };
}

/** Whether a field's value (one handle, or a list of them) names `handle`. */
export function namesHandle(value: unknown, handle: string): boolean {
	return Array.isArray(value) ? value.map(String).includes(handle) : value === handle;
}

/** The session fields the Hub lists that name records of another kind, by that kind's name. */
export const LISTED_SESSION_FIELDS: Readonly<Record<string, readonly string[]>> = {
	workspace: ['workspaceId'],
	agent: ['defaultAgent', 'enabledAgents'],
};

/** A session field the Hub does not list (saved skills, buckets, agent). */
export const UNLISTED = Symbol('unlisted');

/** The session's value of a field naming another kind's record, as the Hub lists it. */
export function listedSessionValue(session: LiveSession, field: string): unknown {
	switch (field) {
		case 'workspaceId':
			return session.workspaceId;
		case 'defaultAgent':
			return session.defaultAgent;
		case 'enabledAgents':
			return session.enabledAgents;
		default:
			return UNLISTED;
	}
}

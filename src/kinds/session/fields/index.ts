/**
 * The field table: every session field once, in the order plans list their changes. Everything
 * that names fields (the spec schema and types, ignoreChanges, stamps, comparison, the Hub's
 * create and update requests, plan details and JSON, drift, export) derives from this list or
 * loops over it. A new field is one row here (design.md section 4, hub-api.md 7.1).
 */
import type * as z from 'zod';
import type { DesiredSession } from '../desired.js';
import type { LiveSession } from '../live.js';
import { env } from './env.js';
import { enabledAgents, savedSkillIds, skillBucketIds, tags } from './lists.js';
import { metadata } from './metadata.js';
import { repo, repos } from './repo.js';
import type { FieldRow } from './row.js';
import { sandbox } from './sandbox.js';
import { skills } from './skills.js';
import { task } from './task.js';
import { agent, defaultAgent, label, visibility, workspaceId } from './text-fields.js';
import { loop, workflowMode } from './workflow.js';

export const FIELD_ROWS = [
	label,
	visibility,
	tags,
	workflowMode,
	loop,
	agent,
	defaultAgent,
	enabledAgents,
	skills,
	metadata,
	task,
	env,
	repo,
	repos,
	workspaceId,
	savedSkillIds,
	skillBucketIds,
	sandbox,
] as const;

type Row = (typeof FIELD_ROWS)[number];
type ValueOf<R> = R extends FieldRow<string, infer V, z.ZodRawShape> ? V : never;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (
	x: infer I
) => void
	? I
	: never;

/** The fields a session's spec entry declares, their types taken from the rows. */
export type DesiredFields = {
	readonly [R in Row as R extends { required: true } ? R['name'] : never]: ValueOf<R>;
} & {
	readonly [R in Row as R extends { required: true } ? never : R['name']]?: ValueOf<R>;
};

/** A field of the table: every one may be listed under `ignoreChanges`. */
export type IgnorableField = Row['name'];
export const IGNORABLE_FIELDS = FIELD_ROWS.map((row) => row.name) as [
	IgnorableField,
	...IgnorableField[],
];

/** The fields plan compares; `protect` is the `coder-sessions/protect` marker, not a Hub field. */
export type FieldName = IgnorableField | 'protect';

export type StampedField = Exclude<IgnorableField, 'env'>;
export type AnyRow = FieldRow<string, unknown, z.ZodRawShape>;
/** The rows as one type, for the loops that treat every field alike. */
export const FIELD_TABLE = FIELD_ROWS as readonly AnyRow[];
const rows = FIELD_TABLE;
// Looked up per field of every session compared: a map, not a scan.
const ROW_BY_NAME = new Map<string, AnyRow>(rows.map((row) => [row.name, row]));

/**
 * The order a spec documents its fields (the JSON schema, `fmt`): the prompt first, what the
 * session works on next, sandbox settings last. Every field once (tested).
 */
export const SPEC_ORDER: readonly IgnorableField[] = [
	'task',
	'label',
	'visibility',
	'tags',
	'repo',
	'repos',
	'workflowMode',
	'loop',
	'agent',
	'defaultAgent',
	'enabledAgents',
	'skills',
	'savedSkillIds',
	'skillBucketIds',
	'workspaceId',
	'metadata',
	'env',
	'sandbox',
];

/** The row of a field. */
export function fieldRow(field: IgnorableField): AnyRow {
	return ROW_BY_NAME.get(field)!;
}

/** The keys of the session detail that field rows read from `LiveSession.detail`. */
export const DETAIL_KEYS: readonly string[] = FIELD_TABLE.flatMap((row) => row.detailKeys ?? []);

/** Fields recorded by digest in the applied stamp: all but env (and protect), which have their own markers. */
export const STAMPED_FIELDS = FIELD_ROWS.filter((row) => row.compare !== 'env').map(
	(row) => row.name
) as StampedField[];

/** Fields that force a replace when they change. */
export const REPLACE_FIELDS: ReadonlySet<FieldName> = new Set<FieldName>(
	FIELD_ROWS.filter((row) => row.onChange === 'replace').map((row) => row.name)
);

/**
 * Why a replace is forced by these fields, for fields whose row says (`replaceWhy`), once per
 * reason: `workflowMode and loop: the Hub's documented update (PATCH) takes neither ...`.
 */
export function replaceWhys(fields: readonly FieldName[]): string[] {
	const byWhy = new Map<string, string[]>();
	for (const field of fields) {
		const why = field === 'protect' ? undefined : ROW_BY_NAME.get(field)?.replaceWhy;
		if (why !== undefined) byWhy.set(why, [...(byWhy.get(why) ?? []), field]);
	}
	return [...byWhy].map(([why, named]) => `${named.join(' and ')}: ${why}`);
}

/** The value of a field as the spec declares it, normalised for comparison. */
export function desiredFieldValue(desired: DesiredSession, field: IgnorableField): unknown {
	return desiredRowValue(desired, fieldRow(field));
}

/** desiredFieldValue for a caller that holds the row (the comparison's loop over the table). */
export function desiredRowValue(desired: DesiredSession, row: AnyRow): unknown {
	const value = (desired as unknown as Record<string, unknown>)[row.name];
	return row.comparable ? row.comparable(value) : value;
}

/** The live value plan compares with, or undefined when the stamp decides (see FieldRow.echo). */
export function comparedEcho(field: IgnorableField, live: LiveSession): unknown {
	return comparedRowEcho(fieldRow(field), live);
}

export function comparedRowEcho(row: AnyRow, live: LiveSession): unknown {
	return row.echoNormalised ? undefined : row.echo?.(live);
}

/** Fields the SDK's session detail echoes and plan compares directly: drift sees hand changes. */
export const COMPARED_LIVE_FIELDS = FIELD_ROWS.filter(
	(row) => row.echo !== undefined && row.echoNormalised !== true && row.compare === 'value'
).map((row) => row.name);

/** Fields absent from the SDK's session detail: compared through the applied stamp only. */
export const NOT_ECHOED_FIELDS = FIELD_ROWS.filter((row) => row.echo === undefined).map(
	(row) => row.name
);

type SpecShapeOf<R> = R extends { readonly spec: infer S } ? S : never;
type SharedRow = Exclude<Row, { sessionOnly: true }>;
/** The spec keys of `defaults` and of every session. */
export type SharedSpecShape = UnionToIntersection<SpecShapeOf<SharedRow>>;
/** The spec keys of a session only. */
export type SessionFieldShape = UnionToIntersection<SpecShapeOf<Row>>;

/** The zod shape of the field keys: of every row, or of those allowed under `defaults`. */
export function specShape(scope: 'session'): SessionFieldShape;
export function specShape(scope: 'defaults'): SharedSpecShape;
export function specShape(scope: 'session' | 'defaults'): z.ZodRawShape {
	const chosen = SPEC_ORDER.map(fieldRow).filter((row) => scope === 'session' || !row.sessionOnly);
	return Object.assign({}, ...chosen.map((row) => row.spec)) as z.ZodRawShape;
}

/** Every field's desired value from an entry and its file's defaults; unset fields are left out. */
export function mergeFields(
	entry: Readonly<Record<string, unknown>>,
	defaults: Readonly<Record<string, unknown>>
): DesiredFields {
	const out: Record<string, unknown> = {};
	for (const row of rows) {
		const value = row.merge(entry, defaults);
		if (value !== undefined) out[row.name] = value;
	}
	return out as DesiredFields;
}

export type { FieldRow, RenderKind, CompareKind, LeftOut } from './row.js';
export { isLeftOut } from './row.js';

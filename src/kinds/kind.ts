/**
 * A kind is a row: what the spec calls it, how its fields are written and compared, how a live
 * record is told to be the stack's, what it references, when it is created and removed, and the
 * Hub calls that change it. The loops of spec, plan, render and apply find every kind through
 * these rows (table.ts). Pure: the Hub calls are an interface here; their implementations are
 * built by src/hub from a Hub connection and called by src/apply only.
 */
import type { z } from 'zod';
import type { RenderKind } from './session/fields/row.js';

export type { RenderKind };

/** One field of a kind: its spec key, the value a plan compares on each side, and how a change lands. */
export interface KindField<Live = unknown> {
	/** The spec key, and the name plans show. */
	readonly name: string;
	/** The schema of the value; make it `.optional()` for a field an entry may leave out. */
	readonly spec: z.ZodType;
	/** The desired value from the entry's validated values (default: the value under `name`). */
	readonly desired?: (entry: Readonly<Record<string, unknown>>) => unknown;
	/** The live value the desired one is compared with. */
	readonly live: (record: Live) => unknown;
	/** `update`: changed in place; `replace`: fixed at creation, so a change recreates the record. */
	readonly onChange: 'update' | 'replace';
	readonly render: RenderKind;
}

/** Which stack and entry key a live record belongs to. */
export interface Owner {
	readonly stack: string;
	readonly key: string;
}

/** A field that names an entry of another kind by its key (a session's `workspace`, say). */
export interface KindReference {
	readonly field: string;
	/** The `name` of the kind referenced. */
	readonly kind: string;
}

/**
 * The Hub calls of a kind. Implementations are built in src/hub from a Hub connection; only the
 * apply executor calls the writes.
 */
export interface KindStore<Live, CreateInput, UpdateInput> {
	list(): Promise<readonly Live[]>;
	create(input: CreateInput): Promise<{ readonly id: string }>;
	update(id: string, input: UpdateInput): Promise<void>;
	remove(id: string): Promise<void>;
}

/** What a store is built on: the SDK client of the Hub connection (CoderClient), as src/hub hands it over. */
export interface KindHubAccess {
	readonly sdkClient: unknown;
}

/** The desired values of one entry, by field name, as the fields' `desired` read them. */
export type KindValues = Readonly<Record<string, unknown>>;

interface KindRowBase {
	/** The kind's name, singular: `session`, `agent`. */
	readonly name: string;
	/** The spec's top-level key holding the entries: `sessions`, `agents`. */
	readonly section: string;
	/** `bare`: plans and `--only` name an entry by its key; `section`: as `SECTION.KEY`. */
	readonly qualify: 'bare' | 'section';
	/** Lower levels are created first and removed last. */
	readonly level: number;
	readonly references: readonly KindReference[];
}

/**
 * The session kind: its field table, markers, planner and executor are its own (src/kinds/session,
 * src/ownership, planSessions, applyPlan); the row is how the loops find it.
 */
export interface SessionKindRow extends KindRowBase {
	readonly builtIn: 'session';
}

/** A kind planned, shown and applied by the generic path. */
export interface ResourceKindRow<
	Live = unknown,
	CreateInput = unknown,
	UpdateInput = unknown,
> extends KindRowBase {
	readonly builtIn?: undefined;
	/** The pattern an entry key must match (default: lowercase letters, digits, `.`, `_`, `-`). */
	readonly keyPattern?: RegExp;
	readonly fields: readonly KindField<Live>[];
	/** The Hub's id of a live record. */
	readonly idOf: (record: Live) => string;
	/** The stack and key a live record belongs to; undefined: not the tool's, never touched. */
	readonly ownerOf: (record: Live) => Owner | undefined;
	/** What a create sends: every desired value, and what makes `ownerOf` recognise the record. */
	readonly createInput: (owner: Owner, values: KindValues) => CreateInput;
	/** What an update sends: the changed `update` fields (and the ownership, kept). */
	readonly updateInput: (owner: Owner, changed: KindValues) => UpdateInput;
	readonly store: (hub: KindHubAccess) => KindStore<Live, CreateInput, UpdateInput>;
}

/** A resource row of any record and request types (their variance mixes, so `any`). */
export type AnyResourceKindRow = ResourceKindRow<any, any, any>;

export type KindRow = SessionKindRow | AnyResourceKindRow;

/** The rows of the kinds a spec may declare. */
export type KindTable = readonly KindRow[];

export function isResourceKind(row: KindRow): row is AnyResourceKindRow {
	return row.builtIn === undefined;
}

/** The rows the generic path plans and applies: every kind but the session's. */
export function resourceRows(table: KindTable): AnyResourceKindRow[] {
	return table.filter(isResourceKind);
}

/** How plans and `--only` name an entry: `reviewer` or `agents.reviewer`. */
export function qualifiedKey(row: Pick<KindRow, 'qualify' | 'section'>, key: string): string {
	return row.qualify === 'bare' ? key : `${row.section}.${key}`;
}

/** The desired value of a field from an entry's values. */
export function desiredValue(field: KindField<never>, entry: KindValues): unknown {
	return field.desired ? field.desired(entry) : entry[field.name];
}

export const DEFAULT_KIND_KEY_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** One entry of a resource kind in the loaded spec. */
export interface DesiredResource {
	/** The row's `name`. */
	readonly kind: string;
	readonly key: string;
	/** The values of the row's fields, as `desired` reads them (unset ones left out). */
	readonly values: KindValues;
	readonly source: { readonly file: string; readonly line: number; readonly column: number };
	/** The entry key of the template (forEach) this entry was expanded from; absent for a plain entry. */
	readonly template?: string;
}

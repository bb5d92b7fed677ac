/**
 * A kind is a row: what the spec calls it, how its fields are written and compared, how a live
 * record is told to be the stack's, what it references, when it is created and removed, and the
 * Hub calls that change it. The loops of spec, plan, render and apply find every kind through
 * these rows (table.ts). Pure: the Hub calls are an interface here; their implementations are
 * built by src/hub from a Hub connection and called by src/apply only.
 */
import type * as z from 'zod';
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
	/**
	 * The live value the desired one is compared with. A reference field gives the handles it
	 * holds (ids, or slugs for agents); `lookup` finds records of other kinds when the Hub's
	 * answer names them otherwise (an agent's frozen skill refs by repo and skill id).
	 */
	readonly live: (record: Live, lookup: LiveLookup) => unknown;
	/** `update`: changed in place; `replace`: fixed at creation, so a change recreates the record. */
	readonly onChange: 'update' | 'replace';
	readonly render: RenderKind;
}

/** The live records of every resource kind read for the plan, by the row's name. */
export interface LiveLookup {
	records(kind: string): readonly unknown[];
}

export const NO_LOOKUP: LiveLookup = { records: () => [] };

/** Which stack and entry key a live record belongs to. */
export interface Owner {
	readonly stack: string;
	readonly key: string;
	/**
	 * `protect: true` on the entry: written into the marker by `createInput` and `updateInput`,
	 * read back by `ownerOf`. A protected record is never deleted or replaced by a plan.
	 */
	readonly protect?: boolean;
}

/**
 * A field that names entries of another kind (a workspace's `savedSkills`, say). Each value is
 * either the key of an entry the spec declares, resolved to the Hub's handle of that entry's
 * record at apply time, or a value naming an existing record (an id, a built-in agent), sent as
 * is. A declared key wins over an id spelled the same.
 */
export interface KindReference {
	readonly field: string;
	/** The `name` of the kind referenced. */
	readonly kind: string;
	/** The field holds a list of references (default: one value). */
	readonly many?: boolean;
}

/**
 * How other records name a record of this kind on the Hub, when not by its id: an agent by its
 * slug. Such a handle is known before the record exists, so nothing waits for it at plan time.
 */
export interface KindHandle<Live = unknown> {
	/** The handle an entry's record will have, from its key and desired values. */
	readonly desired: (key: string, values: KindValues) => string;
	/** The handle of a live record. */
	readonly live: (record: Live) => string;
}

/**
 * A record that is usable only once the Hub has finished preparing it (a workspace's snapshot):
 * records that reference it are built only when it is ready, within a deadline.
 */
export interface KindSettle<Live = unknown> {
	/** An update changing one of these fields starts the preparation again (a create always does). */
	readonly fields: readonly string[];
	readonly state: (
		record: Live
	) => { readonly ready: true } | { readonly ready: false; readonly failed?: string };
	/** Progress words for a terminal: `snapshot building`. */
	readonly describe: (record: Live) => string;
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
	/** One record by id (to wait for it to settle); absent: the list is read instead. */
	get?(id: string): Promise<Live>;
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
	/**
	 * A record the store lists that is no one's any more (an archived agent): the Hub client keeps
	 * it out of the kind's live records, and plans show it to `conflict` only (the Hub keeps an
	 * archived agent's slug), so it is never updated, adopted, pruned or referenced.
	 */
	readonly retired?: (record: Live) => boolean;
	/** What a create sends: every desired value, and what makes `ownerOf` recognise the record. */
	readonly createInput: (owner: Owner, values: KindValues) => CreateInput;
	/**
	 * What an update sends: the changed `update` fields, and the ownership marker (written with
	 * the desired values, as an adopted record has none yet).
	 */
	readonly updateInput: (owner: Owner, changed: KindValues, desired: KindValues) => UpdateInput;
	readonly store: (hub: KindHubAccess) => KindStore<Live, CreateInput, UpdateInput>;
	/** How references name its records when not by id (agents: the slug). */
	readonly handle?: KindHandle<Live>;
	/** Waited for before records referencing it are built (workspaces: the snapshot). */
	readonly settle?: KindSettle<Live>;
	/** What plans call an update when the store does more than update (`update and publish`). */
	readonly updateVerb?: string;
	/** What plans call a delete when the Hub keeps the record (`archive`). */
	readonly deleteVerb?: string;
	/**
	 * A record the stack does not own that a create of this entry would collide with (a taken
	 * slug, a saved skill the Hub would overwrite), or an update or replace of the entry's own
	 * record (a slug changed to a taken one): the message a plan refuses with. `owner`: the other
	 * stack that marks the record, if any. Retired records are asked too.
	 */
	readonly conflict?: (
		key: string,
		values: KindValues,
		record: Live,
		owner?: string
	) => string | undefined;
	/**
	 * Why a replace cannot make the entry's record anew: the record it removes keeps what the new
	 * one would take (an archived agent keeps its slug). The plan refuses it with this message.
	 */
	readonly replaceConflict?: (key: string, values: KindValues, record: Live) => string | undefined;
	/** Problems of an entry's values taken together (one of `content` or `repo`), by field. */
	readonly check?: (
		values: KindValues
	) => readonly { readonly field: string; readonly message: string }[];
	/**
	 * A change the Hub holds that is not in effect yet (an agent's draft differing from its
	 * published version): the plan updates the record although its fields match, and says why.
	 */
	readonly pending?: (record: Live) => string | undefined;
	/** Short state for `status` (agents: published version; workspaces: snapshot status). */
	readonly statusOf?: (record: Live) => string;
	/**
	 * What an update sends for `forget`: the record's description without the ownership marker,
	 * so the record stays and the stack no longer owns it. Absent: `forget` refuses the kind's
	 * records (a kind without an `update` field cannot be changed on the Hub at all).
	 */
	readonly forgetInput?: (record: Live) => UpdateInput;
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
	/**
	 * `adopt: ID`: the live record with this id is the entry's although it carries no marker
	 * (made by hand). Kinds the Hub can update get the marker on the next apply; for the others
	 * the spec's `adopt:` stays the proof of ownership.
	 */
	readonly adopt?: string;
	/** `protect: true`: the record is never deleted or replaced by a plan (written into its marker). */
	readonly protect?: boolean;
	/** The entry key of the template (forEach) this entry was expanded from; absent for a plain entry. */
	readonly template?: string;
}

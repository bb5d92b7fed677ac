/**
 * One session field, declared once: how the spec writes it, how defaults merge into it, how it is
 * compared with the live session, what the Hub's create and update requests carry for it, how a
 * plan shows it and whether export writes it. The table (index.ts) lists every row; every stage
 * loops over the table instead of naming fields.
 */
import type * as z from 'zod';
import type { LiveSession } from '../live.js';

/** What an entry (or its file's defaults) says, after the schema: this row's keys, typed. */
export type SpecInput<S extends z.ZodRawShape> = Partial<z.output<z.ZodObject<S>>> &
	Readonly<Record<string, unknown>>;

/**
 * How a plan shows the field: `text` quoted, `value` as JSON, `list` as added/removed entries,
 * `repo` in shorthand, `entries` key by key (metadata), `lines` as a line diff (task), and
 * `secret` by key only, never a value (env).
 */
export type RenderKind = 'text' | 'value' | 'list' | 'repo' | 'entries' | 'lines' | 'secret';

/**
 * How plan compares the field: `value` (the live echo, else the applied stamp), `keys` (only the
 * keys the spec manages, metadata), `env` (keys and digests, in a stamp of its own).
 */
export type CompareKind = 'value' | 'keys' | 'env';

export interface FieldRow<
	N extends string = string,
	V = unknown,
	S extends z.ZodRawShape = z.ZodRawShape,
> {
	readonly name: N;
	/** The spec keys the field is written with, each with its schema and documentation. */
	readonly spec: S;
	/** Written on a session only, never under `defaults`. */
	readonly sessionOnly?: true;
	/** Every DesiredSession holds a value (the others may be absent). */
	readonly required?: true;
	/** The desired value from an entry and its file's defaults. */
	readonly merge: (entry: SpecInput<S>, defaults: SpecInput<S>) => V | undefined;
	/** The desired value as compared and stamped (sorted sets, say); default: as is. */
	readonly comparable?: (value: V | undefined) => unknown;
	readonly compare: CompareKind;
	/**
	 * `update`: the Hub changes it in place (PATCH); `replace`: fixed at creation, or not in the
	 * PATCH the Hub's REST reference documents (then `replaceWhy` says so).
	 */
	readonly onChange: 'update' | 'replace';
	/**
	 * Why a change of this field is a replace, when it is not simply fixed at creation: plans say
	 * it next to the replace.
	 */
	readonly replaceWhy?: string;
	/** An absent value in the spec leaves the live one alone ("don't care"). */
	readonly optional: boolean;
	/**
	 * The value the Hub echoes in the SDK's session detail, shaped as `comparable` shapes the
	 * desired one. Absent: the SDK's detail has no such field, so only the stamp tells.
	 */
	readonly echo?: (live: LiveSession) => unknown;
	/**
	 * The keys of the SDK's session detail `echo` reads from `live.detail` (a field with no
	 * LiveSession property of its own). Only these keys are kept from each detail.
	 */
	readonly detailKeys?: readonly string[];
	/**
	 * The echo is not compared directly (the Hub normalises it): plan and drift go by the stamp,
	 * export writes it only while the stamp agrees.
	 */
	readonly echoNormalised?: true;
	/**
	 * Fields whose values the Hub adds to this field's echo (saved skills and buckets expand into
	 * `skills`, a workspace's skills are inherited): while the entry or the session's applied
	 * stamp names any of them, the echo is not compared directly and the stamp decides.
	 */
	readonly echoAddedBy?: readonly string[];
	/** The keys of the SDK's create request (CoderCreateSessionRequest) that carry the value. */
	readonly create: (value: V) => Readonly<Record<string, unknown>>;
	/**
	 * The keys of the update request (PATCH), for fields changed in place: only keys of the
	 * PATCH wire schema the Hub's REST reference documents (requests.ts checks it).
	 */
	readonly update?: (value: V) => Readonly<Record<string, unknown>>;
	readonly render: RenderKind;
	/**
	 * The spec value export writes for an echoed value (undefined: nothing to write, LeftOut: not
	 * written, and why); default: the echo as is.
	 */
	readonly exportValue?: (echo: unknown, live: LiveSession) => unknown;
}

/** An echoed value export cannot write, with the reason it tells the user. */
export interface LeftOut {
	readonly leftOut: string;
}

export function isLeftOut(value: unknown): value is LeftOut {
	return typeof value === 'object' && value !== null && 'leftOut' in value;
}

type Flag<F> = F extends true ? true : undefined;

/**
 * Declares one row, keeping its name, value type, spec keys and the `required` and
 * `sessionOnly` flags as literal types, so the table can derive the spec's types from the rows.
 */
export function defineField<
	const N extends string,
	V,
	S extends z.ZodRawShape,
	const Required extends true | undefined = undefined,
	const SessionOnly extends true | undefined = undefined,
>(
	row: FieldRow<N, V, S> & { readonly required?: Required; readonly sessionOnly?: SessionOnly }
): FieldRow<N, V, S> & {
	readonly required: Flag<Required>;
	readonly sessionOnly: Flag<SessionOnly>;
} {
	return row as FieldRow<N, V, S> & {
		readonly required: Flag<Required>;
		readonly sessionOnly: Flag<SessionOnly>;
	};
}

/** Drops keys whose value is undefined, so equal values compare and serialise equal. */
export function defined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A list as a set: de-duplicated and sorted, for comparison. */
export const sortedSet = (values: readonly string[] | undefined): string[] | undefined =>
	values === undefined ? undefined : inOrder(values) ? [...values] : [...new Set(values)].sort();

/** Already a sorted set (most lists are: one tag, or none), so the copy needs no sort. */
function inOrder(values: readonly string[]): boolean {
	for (let i = 1; i < values.length; i += 1) {
		const before: unknown = values[i - 1];
		const item: unknown = values[i];
		// `<` orders strings as sort() does; anything else is left to sort().
		if (typeof before !== 'string' || typeof item !== 'string' || !(before < item)) return false;
	}
	return true;
}

/** Merges two settings mappings key by key (the entry's win); undefined when neither is set. */
export function mergeShallow<T extends object>(
	base: T | undefined,
	over: T | undefined
): T | undefined {
	if (base === undefined && over === undefined) return undefined;
	return defined({ ...base, ...over } as T);
}

/** The entry's value, else the default's: the rule for every field that does not merge. */
export function entryOrDefault<T>(entry: T | undefined, fallback: T | undefined): T | undefined {
	return entry ?? fallback;
}

/**
 * The sections of the kinds beside `sessions:` (one per resource row of the kind table): their
 * schema, and their entries once every file is parsed, with located errors for a key declared
 * twice, values a row refuses together, a reference to an entry no file declares, and entries
 * that reference one another in a cycle.
 */
import * as z from 'zod';
import { BUILT_IN_AGENTS } from '../kinds/agent.js';
import { looksLikeRecordId } from '../kinds/record-id.js';
import { showValue } from '../kinds/session/describe-value.js';
import {
	DEFAULT_KIND_KEY_PATTERN,
	desiredValue,
	resourceRows,
	type AnyResourceKindRow,
	type DesiredResource,
	type KindTable,
} from '../kinds/kind.js';
import { didYouMean } from './did-you-mean.js';
import type { SpecError } from './errors.js';
import type { Locate } from './locate.js';
import { ForEachSchema, SpecFileSchema } from './schema.js';

const schemas = new WeakMap<KindTable, z.ZodType>();

/** The spec file's schema with a section per resource row; the built-in table's is SpecFileSchema. */
export function specFileSchemaFor(table: KindTable): z.ZodType {
	const rows = resourceRows(table);
	if (rows.length === 0) return SpecFileSchema;
	const known = schemas.get(table);
	if (known) return known;
	const sections = Object.fromEntries(
		rows.map((row) => {
			const pattern = row.keyPattern ?? DEFAULT_KIND_KEY_PATTERN;
			const key = z.string().regex(pattern, {
				error: (issue) => `invalid ${row.name} key ${showValue(issue.input)}`,
			});
			const entry = z.strictObject({
				forEach: ForEachSchema,
				adopt: z
					.string()
					.regex(/\S/, {
						error: 'must not be empty: write the id of the record to adopt, or leave adopt out',
					})
					.optional()
					.describe('Id of an existing record made outside the stack that this entry takes over'),
				protect: z
					.boolean()
					.optional()
					.describe('Never delete or replace the record: a plan that would is refused'),
				...Object.fromEntries(row.fields.map((field) => [field.name, field.spec])),
			});
			return [row.section, z.record(key, entry).optional()];
		})
	);
	const schema = SpecFileSchema.extend(sections);
	schemas.set(table, schema);
	return schema;
}

/** One parsed file, as the sections are read from it. */
export interface SectionSource {
	readonly file: string;
	readonly data: Readonly<Record<string, unknown>>;
	readonly locate: Locate;
	/** Per section: each key a forEach made and its template's entry key. */
	readonly templates?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** The entries of every resource kind, sorted by kind then key, or the errors found. */
export function resourceEntries(
	files: readonly SectionSource[],
	table: KindTable,
	sessionKeys: readonly string[]
): { readonly resources: DesiredResource[]; readonly errors: SpecError[] } {
	const errors: SpecError[] = [];
	const resources: DesiredResource[] = [];
	const located: { readonly entry: DesiredResource; readonly from: SectionSource }[] = [];
	for (const row of resourceRows(table)) {
		const seen = new Map<string, DesiredResource>();
		for (const parsed of files) {
			const section = (parsed.data[row.section] ?? {}) as Record<string, Record<string, unknown>>;
			for (const [key, entry] of Object.entries(section)) {
				const path = [row.section, key];
				const at = parsed.locate(path, 'key');
				const earlier = seen.get(key)?.source;
				if (earlier) {
					const first = `${earlier.file}:${earlier.line}:${earlier.column}`;
					const message = `${row.name} "${key}" is already declared at ${first}`;
					errors.push({ file: parsed.file, at, path, message });
					continue;
				}
				const values = Object.fromEntries(
					row.fields
						.map((field) => [field.name, desiredValue(field, entry)] as const)
						.filter(([, value]) => value !== undefined)
				);
				const template = parsed.templates?.get(row.section)?.get(key);
				const adopt = typeof entry.adopt === 'string' ? entry.adopt : undefined;
				const desired: DesiredResource = {
					kind: row.name,
					key,
					values,
					source: { file: parsed.file, line: at.line, column: at.column },
					...(adopt !== undefined ? { adopt } : {}),
					...(entry.protect === true ? { protect: true } : {}),
					...(template !== undefined ? { template } : {}),
				};
				errors.push(...checkProblems(row, key, entry, values, parsed));
				seen.set(key, desired);
				resources.push(desired);
				located.push({ entry: desired, from: parsed });
			}
		}
	}
	errors.push(...unknownReferences(located, table, sessionKeys));
	errors.push(...referenceCycles(located, table));
	return { resources, errors };
}

/** The row's problems with an entry's values, at the field (at the key when the field is unset). */
function checkProblems(
	row: AnyResourceKindRow,
	key: string,
	entry: Readonly<Record<string, unknown>>,
	values: Readonly<Record<string, unknown>>,
	parsed: SectionSource
): SpecError[] {
	return (row.check?.(values) ?? []).map(({ field, message }) => {
		const written = entry[field] !== undefined;
		const path = written ? [row.section, key, field] : [row.section, key];
		return { file: parsed.file, at: parsed.locate(path, written ? 'value' : 'key'), path, message };
	});
}

/** The names a list of `kind` may hold besides declared keys and ids: the built-in agents. */
const builtInNames = (kind: string): readonly string[] => (kind === 'agent' ? BUILT_IN_AGENTS : []);

/** A reference must name an entry of the kind it references, declared in some file of the spec. */
function unknownReferences(
	located: readonly { readonly entry: DesiredResource; readonly from: SectionSource }[],
	table: KindTable,
	sessionKeys: readonly string[]
): SpecError[] {
	const keysOf = (kind: string): readonly string[] | undefined => {
		const row = table.find((each) => each.name === kind);
		if (!row) return undefined;
		if (row.builtIn === 'session') return sessionKeys;
		return located.filter(({ entry }) => entry.kind === kind).map(({ entry }) => entry.key);
	};
	const errors: SpecError[] = [];
	for (const { entry, from } of located) {
		const row = table.find((each) => each.name === entry.kind)!;
		for (const reference of row.references) {
			const value = entry.values[reference.field];
			const known = keysOf(reference.kind);
			if (!known) continue;
			const target = table.find((each) => each.name === reference.kind)!;
			const unknown = (item: string, path: (string | number)[]) => {
				const builtIn = builtInNames(reference.kind);
				const suggestion = didYouMean(item, [...known, ...builtIn]);
				const others =
					builtIn.length > 0
						? `, nor is it a built-in ${reference.kind} (${builtIn.join(', ')})`
						: '';
				const message = `no ${reference.kind} "${item}" is declared under ${target.section}${others}${suggestion ? ` (did you mean "${suggestion}"?)` : `; one the spec does not declare (another stack's, or made by hand) is named by its id`}`;
				errors.push({ file: from.file, at: from.locate(path, 'value'), path, message });
			};
			const path = [row.section, entry.key, reference.field];
			if (reference.many && Array.isArray(value)) {
				value.forEach((item: unknown, index) => {
					if (typeof item !== 'string' || existing(item, known, reference.kind)) return;
					unknown(item, [...path, index]);
				});
			} else if (typeof value === 'string' && !known.includes(value)) {
				unknown(value, path);
			}
		}
	}
	return errors;
}

/**
 * An item of a reference list stands for a record that exists, or will: a declared key, an id
 * of an existing record (looksLikeRecordId), or a name the Hub provides (a built-in agent).
 */
function existing(item: string, declared: readonly string[], kind: string): boolean {
	return declared.includes(item) || looksLikeRecordId(item) || builtInNames(kind).includes(item);
}

interface ReferenceEdge {
	readonly to: string;
	/** Where the reference is written. */
	readonly path: readonly (string | number)[];
}

/**
 * Declared entries that reference one another in a ring (agents naming each other as
 * companions, or any longer chain) can be built in no order: each ring is an error, named from
 * its entry declared first and located at that entry's reference to the next.
 */
function referenceCycles(
	located: readonly { readonly entry: DesiredResource; readonly from: SectionSource }[],
	table: KindTable
): SpecError[] {
	const node = (kind: string, key: string) => `${kind}\u0000${key}`;
	const nodes = new Map(located.map((each) => [node(each.entry.kind, each.entry.key), each]));
	const order = [...nodes.keys()];
	const edges = new Map<string, ReferenceEdge[]>();
	for (const [id, { entry }] of nodes) {
		const row = table.find((each) => each.name === entry.kind)!;
		const out: ReferenceEdge[] = [];
		for (const reference of row.references) {
			const value = entry.values[reference.field];
			const path = [row.section, entry.key, reference.field];
			const items = reference.many && Array.isArray(value) ? value : [value];
			items.forEach((item: unknown, index) => {
				const to = typeof item === 'string' ? node(reference.kind, item) : undefined;
				if (to === undefined || !nodes.has(to)) return;
				out.push({ to, path: reference.many && Array.isArray(value) ? [...path, index] : path });
			});
		}
		edges.set(id, out);
	}

	const rings = new Map<string, string[]>();
	const done = new Set<string>();
	const visit = (id: string, trail: string[]): void => {
		if (done.has(id)) return;
		const at = trail.indexOf(id);
		if (at >= 0) {
			const ring = trail.slice(at);
			const start = ring.reduce((first, each) =>
				order.indexOf(each) < order.indexOf(first) ? each : first
			);
			const from = ring.indexOf(start);
			const rotated = [...ring.slice(from), ...ring.slice(0, from)];
			rings.set(rotated.join('\n'), rotated);
			return;
		}
		for (const edge of edges.get(id) ?? []) visit(edge.to, [...trail, id]);
		done.add(id);
	};
	for (const id of order) visit(id, []);

	return [...rings.values()].map((ring) => {
		const entries = ring.map((id) => nodes.get(id)!);
		const sections = new Set(entries.map(({ entry }) => entry.kind));
		const names = [...entries, entries[0]!].map(({ entry }) => {
			const row = table.find((each) => each.name === entry.kind)!;
			return sections.size === 1 ? entry.key : `${row.section}.${entry.key}`;
		});
		const section = table.find((each) => each.name === entries[0]!.entry.kind)!.section;
		const message = `${sections.size === 1 ? `${section} ` : ''}${names.join(' -> ')} form a cycle`;
		const first = entries[0]!;
		const edge = edges.get(ring[0]!)!.find((each) => each.to === (ring[1] ?? ring[0]))!;
		const path = [...edge.path];
		return { file: first.from.file, at: first.from.locate(path, 'value'), path, message };
	});
}

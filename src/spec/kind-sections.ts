/**
 * The sections of the kinds beside `sessions:` (one per resource row of the kind table): their
 * schema, and their entries once every file is parsed, with located errors for a key declared
 * twice or a reference to an entry no file declares.
 */
import { z } from 'zod';
import { showValue } from '../kinds/session/describe-value.js';
import {
	DEFAULT_KIND_KEY_PATTERN,
	desiredValue,
	resourceRows,
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
				protect: z.boolean().optional(),
				adopt: z.string().trim().min(1).optional(),
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
				const desired: DesiredResource = {
					kind: row.name,
					key,
					values,
					source: { file: parsed.file, line: at.line, column: at.column },
					...(entry.protect === true ? { protect: true } : {}),
					...(typeof entry.adopt === 'string' ? { adopt: entry.adopt.trim() } : {}),
					...(template !== undefined ? { template } : {}),
				};
				seen.set(key, desired);
				resources.push(desired);
				located.push({ entry: desired, from: parsed });
			}
		}
	}
	errors.push(...unknownReferences(located, table, sessionKeys));
	return { resources, errors };
}

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
			if (typeof value !== 'string' || !known || known.includes(value)) continue;
			const path = [row.section, entry.key, reference.field];
			const suggestion = didYouMean(value, known);
			const target = table.find((each) => each.name === reference.kind)!;
			const message = `no ${reference.kind} "${value}" is declared under ${target.section}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
			errors.push({ file: from.file, at: from.locate(path, 'value'), path, message });
		}
	}
	return errors;
}

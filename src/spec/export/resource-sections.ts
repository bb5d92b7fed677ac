/**
 * The sections of the other kinds in an exported spec: one entry per record the stack owns, with
 * each field's live value. A reference is written as the key of the exported entry whose handle
 * it holds, else as the handle (an id, a built-in agent). Applied as it is, the exported spec
 * plans no change to those records. Pure.
 */
import { Document, Scalar, visit } from 'yaml';
import {
	DEFAULT_KIND_KEY_PATTERN,
	resourceRows,
	type AnyResourceKindRow,
	type KindTable,
	type LiveLookup,
} from '../../kinds/kind.js';
import { compareText } from '../../ownership/key-groups.js';
import { yamlText } from '../../core/untrusted/yaml.js';
import { PRINT_OPTIONS } from '../format.js';
import { specValue } from './entry.js';

export interface ExportedSections {
	/** YAML text of the sections, each a top-level key (empty when no record was found). */
	readonly text: string;
	/** Each section's entries, two spaces in (what `export --write` adds under the section). */
	readonly blocks: readonly { readonly section: string; readonly entries: string }[];
	/** Records exported, by the row's name. */
	readonly counts: Readonly<Record<string, number>>;
	/**
	 * Records of a key held twice (two applies made one each: the lowest id is exported), and
	 * what a spec cannot hold: a record under a key no entry may have, a value with a control
	 * character (left out, as a session's are).
	 */
	readonly warnings: readonly string[];
	/** Ids of the stack's records left out as the spec could not load their entries. */
	readonly leftOut: readonly string[];
}

interface Owned {
	readonly row: AnyResourceKindRow;
	readonly key: string;
	readonly record: unknown;
	readonly protect: boolean;
}

export function exportResourceSections(
	table: KindTable,
	stack: string,
	live: ReadonlyMap<string, readonly unknown[]>
): ExportedSections {
	const lookup: LiveLookup = { records: (kind) => live.get(kind) ?? [] };
	const rows = [...resourceRows(table)].sort((a, b) => a.level - b.level);
	const warnings: string[] = [];
	const leftOut: string[] = [];
	const owned = ownedByKey(rows, stack, live, warnings, leftOut);
	// An entry the spec could not load is left out before references are named, so a reference
	// to its record stays the record's id.
	for (const row of rows) {
		const loadable = (owned.get(row.name) ?? []).filter(({ key, record }) => {
			const notes: string[] = [];
			const values = entryValues(row, record, lookup, () => undefined, notes);
			const problem = entryProblem(row, values);
			if (problem === undefined) return true;
			leftOut.push(row.idOf(record));
			warnings.push(
				`${row.section}.${key}: left out: ${row.idOf(record)}: ${[...notes, problem].join('; ')}`
			);
			return false;
		});
		owned.set(row.name, loadable);
	}
	// How references name a record: its id, or the row's handle (an agent's slug).
	const handleOf = ({ row, record }: Owned) =>
		row.handle ? row.handle.live(record) : row.idOf(record);
	const keyOfHandle = (kind: string, handle: string): string | undefined =>
		owned.get(kind)?.find((each) => handleOf(each) === handle)?.key;

	const sections: Record<string, Record<string, Record<string, unknown>>> = {};
	const counts: Record<string, number> = {};
	for (const row of rows) {
		const entries = owned.get(row.name) ?? [];
		if (entries.length === 0) continue;
		counts[row.name] = entries.length;
		sections[row.section] = Object.fromEntries(
			entries.map(({ key, record, protect }) => {
				const notes: string[] = [];
				const values = entryValues(row, record, lookup, keyOfHandle, notes);
				for (const note of notes) warnings.push(`${row.section}.${key}: ${note}`);
				return [key, { ...values, ...(protect ? { protect: true } : {}) }];
			})
		);
	}
	const texts = Object.entries(sections).map(([section, entries]) => {
		const text = sectionText(section, entries);
		return { section, text, entries: text.slice(text.indexOf('\n') + 1) };
	});
	return {
		text: texts.map((each) => each.text).join(''),
		blocks: texts.map(({ section, entries }) => ({ section, entries })),
		counts,
		warnings,
		leftOut,
	};
}

/**
 * The stack's records of each kind by entry key, keys in order; of a key held twice, the record
 * of the lowest id. A record under a key no entry may have is left out (into `leftOut`), with a
 * warning.
 */
function ownedByKey(
	rows: readonly AnyResourceKindRow[],
	stack: string,
	live: ReadonlyMap<string, readonly unknown[]>,
	warnings: string[],
	leftOut: string[]
): Map<string, Owned[]> {
	const owned = new Map<string, Owned[]>();
	for (const row of rows) {
		const byKey = new Map<string, Owned>();
		const records = [...(live.get(row.name) ?? [])].sort((a, b) =>
			compareText(row.idOf(a), row.idOf(b))
		);
		for (const record of records) {
			const owner = row.ownerOf(record);
			if (owner?.stack !== stack) continue;
			if (!(row.keyPattern ?? DEFAULT_KIND_KEY_PATTERN).test(owner.key)) {
				leftOut.push(row.idOf(record));
				warnings.push(
					`${row.section}.${JSON.stringify(owner.key)}: left out: ${row.idOf(record)} carries a key the spec cannot hold`
				);
				continue;
			}
			if (byKey.has(owner.key)) {
				warnings.push(
					`${row.section}.${owner.key}: two records hold this key; ${row.idOf(byKey.get(owner.key)!.record)} is exported, ${row.idOf(record)} left out`
				);
				continue;
			}
			byKey.set(owner.key, { row, key: owner.key, record, protect: owner.protect === true });
		}
		owned.set(
			row.name,
			[...byKey.values()].sort((a, b) => compareText(a.key, b.key))
		);
	}
	return owned;
}

/** A section's entries as YAML text, under the section's key. */
export function sectionText(section: string, entries: Record<string, unknown>): string {
	const doc = new Document({ [section]: entries });
	visit(doc, {
		Scalar(_, node) {
			// A multi-line value (instructions, a prompt) is easier to read and edit as a block.
			if (typeof node.value === 'string' && node.value.includes('\n'))
				node.type = Scalar.BLOCK_LITERAL;
		},
	});
	return yamlText(doc, { ...PRINT_OPTIONS, doubleQuotedAsJSON: true });
}

/**
 * An entry's values from a live record: each field's live value, references as keys where known.
 * A value a spec cannot hold (a control character, or outside the field's schema) is left out,
 * with a note in `notes`.
 */
export function entryValues(
	row: AnyResourceKindRow,
	record: unknown,
	lookup: LiveLookup,
	keyOfHandle: (kind: string, handle: string) => string | undefined,
	notes: string[] = []
): Record<string, unknown> {
	const values: Record<string, unknown> = {};
	for (const field of row.fields) {
		const value = field.live(record, lookup);
		// Empty values are the Hub's defaults: leaving them out keeps the entry short, and a plan
		// compares only what an entry sets.
		if (value === undefined || value === null || value === '') continue;
		if (Array.isArray(value) && value.length === 0) continue;
		const reference = row.references.find((each) => each.field === field.name);
		const asKey = (handle: unknown) =>
			typeof handle === 'string' && reference
				? (keyOfHandle(reference.kind, handle) ?? handle)
				: handle;
		const written = specValue(Array.isArray(value) ? value.map(asKey) : asKey(value));
		if ('leftOut' in written) notes.push(`${field.name} left out: ${written.leftOut}`);
		else if (!field.spec.safeParse(written.value).success)
			notes.push(`${field.name} left out: the Hub's value is not one the spec allows`);
		else values[field.name] = written.value;
	}
	return values;
}

/** Why an entry of these values would not load (a required field left out), if it would not. */
function entryProblem(
	row: AnyResourceKindRow,
	values: Record<string, unknown>
): string | undefined {
	const required = row.fields.find(
		(field) => !(field.name in values) && !field.spec.safeParse(undefined).success
	);
	if (required) return `the entry needs ${required.name}`;
	const problem = row.check?.(values)[0];
	return problem ? `${problem.field}: ${problem.message}` : undefined;
}

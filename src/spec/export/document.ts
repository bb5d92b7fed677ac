/**
 * Exported entries as YAML text, built with the `yaml` Document API: block style, multi-line
 * tasks as literal blocks (`|`), notes as comments above their entry; a string the Hub holds that
 * a terminal or the Actions log would act on is double-quoted and escaped (core/untrusted/yaml.ts).
 * Pure.
 */
import { Document, Scalar, isMap, isScalar, type YAMLMap } from 'yaml';
import type { Prune } from '../../kinds/session/desired.js';
import { PRINT_OPTIONS } from '../format.js';
import { keyOrder, placeOf, TOP_LEVEL, type SchemaPlace } from '../format-order.js';
import { inlineText } from '../../core/untrusted/text.js';
import { yamlText } from '../../core/untrusted/yaml.js';
import type { ExportedEntry } from './entry.js';

/** The modeline of examples/sessions.yaml, pointing at the schema the package ships. */
export const SCHEMA_MODELINE =
	'yaml-language-server: $schema=./node_modules/coder-sessions/schema/sessions.schema.json';

export interface SpecDocumentInput {
	readonly stack: string;
	readonly prune?: Prune;
	/** Comment lines under the modeline. */
	readonly header: readonly string[];
	readonly entries: ReadonlyMap<string, ExportedEntry>;
}

/**
 * `fmt`'s layout (keys in the schema's order, strings plain or single-quoted, lists indented under
 * their key, no folding), so that `fmt --check` passes on what export writes; a double-quoted
 * string on one line is escaped as JSON escapes it (valid YAML).
 */
const STRINGIFY = { ...PRINT_OPTIONS, doubleQuotedAsJSON: true } as const;

const ENTRY_PLACE = placeOf(TOP_LEVEL, 'sessions');

export function specDocument(input: SpecDocumentInput): string {
	const doc = new Document({
		version: 1,
		stack: input.stack,
		...(input.prune ? { prune: input.prune } : {}),
		sessions: Object.fromEntries(
			[...input.entries].map(([key, entry]) => [key, inFmtOrder(entry.fields, key)])
		),
	});
	doc.commentBefore = [SCHEMA_MODELINE, ...input.header.map(inlineText)]
		.map((line) => (line ? ` ${line}` : ''))
		.join('\n');
	const sessions = doc.get('sessions', true);
	if (isMap(sessions)) styleEntries(sessions, input.entries, true);
	return yamlText(doc, STRINGIFY);
}

/**
 * One entry, indented to paste under `sessions:` (what `import` prints when the spec lacks it).
 */
export function entrySnippet(key: string, entry: ExportedEntry): string {
	const doc = new Document({ [key]: inFmtOrder(entry.fields, key) });
	if (isMap(doc.contents)) styleEntries(doc.contents, new Map([[key, entry]]), false);
	return yamlText(doc, STRINGIFY)
		.split('\n')
		.map((line) => (line ? `  ${line}` : line))
		.join('\n');
}

function styleEntries(
	sessions: YAMLMap,
	entries: ReadonlyMap<string, ExportedEntry>,
	separate: boolean
): void {
	sessions.items.forEach((pair, index) => {
		if (!isScalar(pair.key)) return;
		const entry = entries.get(String(pair.key.value));
		if (separate && index > 0) pair.key.spaceBefore = true;
		if (entry && entry.notes.length > 0)
			pair.key.commentBefore = entry.notes.map((note) => ` ${inlineText(note)}`).join('\n');
		if (isMap(pair.value)) {
			const task = pair.value.get('task', true);
			if (task instanceof Scalar && typeof task.value === 'string' && task.value.includes('\n')) {
				// yaml falls back to a quoted string by itself when a literal block cannot hold the text.
				task.type = Scalar.BLOCK_LITERAL;
			}
		}
	});
}

/** An entry's fields, and the fields of the objects within, in the order `fmt` writes them. */
function inFmtOrder(fields: Record<string, unknown>, key: string): unknown {
	return ordered(fields, placeOf(ENTRY_PLACE, key));
}

function ordered(value: unknown, place: SchemaPlace): unknown {
	if (Array.isArray(value)) return value.map((item, index) => ordered(item, placeOf(place, index)));
	if (value === null || typeof value !== 'object') return value;
	const order = keyOrder(place);
	const rank = (name: string) => {
		const at = order ? order.indexOf(name) : -1;
		return at === -1 ? Number.MAX_SAFE_INTEGER : at;
	};
	const keys = Object.keys(value);
	const sorted = order ? [...keys].sort((a, b) => rank(a) - rank(b)) : keys;
	return Object.fromEntries(
		sorted.map((name) => [
			name,
			ordered((value as Record<string, unknown>)[name], placeOf(place, name)),
		])
	);
}

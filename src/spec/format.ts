/**
 * `fmt`: one spec file's text in the canonical layout, comments kept. Pure.
 * - keys in the order the schema documents them (format-order.ts);
 * - strings plain where YAML allows, else single-quoted (double-quoted when an escape needs it);
 *   block scalars (`|`, `>`) stay block scalars; `True` and the like become `true`;
 * - two-space indentation, list items indented under their key; no line is folded;
 * - lists of plain values keep the flow style (`[a, b]`) or block style they are written in;
 *   other mappings and lists are written in block style.
 * A file is formatted only once it is valid on its own (syntax and schema): an unknown field has
 * no place in the order, and a file being edited is better reported than reshaped. Files are
 * formatted one by one, so a spec split over several files needs no merge to be formatted.
 */
import {
	isCollection,
	isMap,
	isPair,
	isScalar,
	parseDocument,
	Scalar,
	type Document,
	type Pair,
	type YAMLMap,
} from 'yaml';
import { isDeepStrictEqual } from 'node:util';
import type { SpecError } from './errors.js';
import {
	keepFirstKeyComment,
	keepKeyLineComment,
	moveFlowComment,
	moveLeadingComment,
} from './format-comments.js';
import { foldedScalars, type FoldedScalars } from './format-folded.js';
import { keyOrder, placeOf, TOP_LEVEL, type SchemaPlace } from './format-order.js';
import { parseSpecText } from './parse.js';
import { yamlText } from '../core/untrusted/yaml.js';
import type { SpecFileData } from './schema.js';

export type FormatResult =
	| { readonly ok: true; readonly text: string; readonly data: SpecFileData }
	| { readonly ok: false; readonly errors: readonly SpecError[] };

const PARSE_OPTIONS = {
	schema: 'core',
	merge: false,
	resolveKnownTags: false,
	uniqueKeys: false,
	logLevel: 'error',
} as const;

/** How `fmt` prints: writers of spec text (drift --write, export) print the same way. */
export const PRINT_OPTIONS = {
	indent: 2,
	indentSeq: true,
	lineWidth: 0,
	singleQuote: true,
	flowCollectionPadding: false,
} as const;

/** yaml attaches a comment by what surrounds it: after a move one may settle in another pass. */
const MAX_PASSES = 3;

export function formatSpecText(text: string, file: string): FormatResult {
	const checked = parseSpecText(text, file);
	if (!checked.ok) return checked;
	const data = checked.parsed.data;
	let current = text;
	for (let pass = 0; pass < MAX_PASSES; pass += 1) {
		const next = formatOnce(current, file, data);
		if (next === undefined && pass === 0) {
			return {
				ok: false,
				errors: [{ file, path: [], message: 'cannot be formatted without changing what it says' }],
			};
		}
		if (next === undefined || next === current) break;
		current = next;
	}
	return { ok: true, text: current, data };
}

/**
 * Reordering could move an alias above its anchor; then only the rest of the layout changes.
 * Each attempt is checked to say what the file said; the next one changes less.
 */
function formatOnce(text: string, file: string, data: SpecFileData): string | undefined {
	for (const [reorder, keepFolded] of ATTEMPTS) {
		let formatted: string;
		try {
			formatted = layout(text, { reorder, keepFolded });
		} catch {
			continue;
		}
		const again = parseSpecText(formatted, file);
		if (again.ok && isDeepStrictEqual(again.parsed.data, data)) return formatted;
	}
	return undefined;
}

const ATTEMPTS = [
	[true, true],
	[true, false],
	[false, true],
	[false, false],
] as const;

function layout(text: string, options: { reorder: boolean; keepFolded: boolean }): string {
	const doc = parseDocument(text, PARSE_OPTIONS);
	const folded = foldedScalars(PRINT_OPTIONS.indent);
	const walk = { ...options, text, folded, inFlow: false, isKey: false };
	canonical(doc, doc.contents, TOP_LEVEL, walk);
	// Hidden characters and workflow commands are written escaped, as export writes them: a
	// spec that `cat` or a diff puts in a terminal or a CI log stays inert there.
	const printed = folded.restore(yamlText(doc, PRINT_OPTIONS));
	return printed.endsWith('\n') ? printed : `${printed}\n`;
}

interface Walk {
	readonly text: string;
	readonly folded: FoldedScalars;
	readonly keepFolded: boolean;
	readonly reorder: boolean;
	readonly inFlow: boolean;
	readonly isKey: boolean;
}

function canonical(doc: Document, node: unknown, place: SchemaPlace, walk: Walk): void {
	if (isScalar(node)) {
		if (walk.keepFolded && node.type === Scalar.BLOCK_FOLDED && typeof node.value === 'string') {
			if (walk.folded.hold(node, walk.text)) return;
		}
		return plainScalar(node, walk.isKey);
	}
	if (!isCollection(node)) return;
	if (node.items.length === 0) node.flow = true;
	else if (!walk.inFlow && (isMap(node) || node.items.some((item) => isCollection(item)))) {
		node.flow = false;
	}
	const inner: Walk = { ...walk, inFlow: node.flow === true, isKey: false };
	if (isMap(node)) {
		if (walk.reorder) reorderKeys(node, place, node === doc.contents);
		for (const pair of node.items as Pair[]) {
			canonical(doc, pair.key, [], { ...inner, isKey: true });
			const key = isScalar(pair.key) ? String(pair.key.value) : '';
			const wasFlow = isCollection(pair.value) && pair.value.flow === true;
			keepKeyLineComment(pair, walk.text);
			canonical(doc, pair.value, placeOf(place, key), inner);
			if (wasFlow) moveFlowComment(pair);
		}
	} else {
		node.items.forEach((item, index) =>
			canonical(doc, isPair(item) ? item.value : item, placeOf(place, index), inner)
		);
	}
}

function reorderKeys(map: YAMLMap, place: SchemaPlace, topLevel: boolean): void {
	const order = keyOrder(place);
	if (!order) return;
	const first = (map.items[0] as Pair | undefined)?.key;
	map.items = sortPairs(map.items as Pair[], order, topLevel);
	if (!topLevel) keepFirstKeyComment(map, first);
}

/** Stable: keys the order does not name (never in a valid file) stay after the named ones. */
function sortPairs(pairs: Pair[], order: readonly string[], topLevel: boolean): Pair[] {
	const rank = (pair: Pair) => {
		const index = isScalar(pair.key) ? order.indexOf(String(pair.key.value)) : -1;
		return index === -1 ? order.length : index;
	};
	const sorted = [...pairs].sort((a, b) => rank(a) - rank(b));
	if (topLevel) moveLeadingComment(pairs, sorted);
	return sorted;
}

/**
 * Quoting is left to the printer (plain where it can); block scalars and numbers keep theirs, and
 * a key keeps its spelling (a metadata key `True` is the text it is written as).
 */
function plainScalar(node: Scalar, isKey: boolean): void {
	if (typeof node.value === 'string') {
		if (node.type !== Scalar.BLOCK_LITERAL && node.type !== Scalar.BLOCK_FOLDED) {
			node.type = undefined;
		}
	} else if (typeof node.value === 'boolean' && !isKey) {
		delete node.source;
	}
}

/**
 * Values set on spec entries in a file's text (`drift --write`): each value is written in `fmt`'s
 * layout, and only the lines it changes are touched. A field the entry already has gets its new
 * value in place (a comment after it kept); a new field goes where `fmt` would put it, at the
 * indentation of the fields around it; a new metadata key after the entry's last one. Every other
 * byte of the file stays as it was. What the file's `defaults` already give an entry is not
 * copied into it: tags are unioned with the defaults', so only the entry's own are written. Pure.
 */
import { isDeepStrictEqual } from 'node:util';
import {
	Document,
	isCollection,
	isMap,
	isScalar,
	isSeq,
	parseDocument,
	type Node,
	type Pair,
	type YAMLMap,
} from 'yaml';
import { PRINT_OPTIONS } from './format.js';
import { keyOrder, placeOf, TOP_LEVEL } from './format-order.js';
import { literalValue, UNWRITABLE_TEXT } from './templates/substitute.js';

export interface FieldValue {
	readonly key: string;
	/** Under the entry: `['label']`, `['metadata', 'team']`. */
	readonly path: readonly string[];
	readonly value: unknown;
}

export interface SetFieldsResult {
	readonly text: string;
	/** The values written (or already what the file says through its defaults). */
	readonly written: readonly FieldValue[];
	/** Values the file cannot hold as it is, and why. */
	readonly skipped: readonly string[];
}

const PARSE_OPTIONS = { uniqueKeys: false, merge: false } as const;

export function setEntryFields(text: string, values: readonly FieldValue[]): SetFieldsResult {
	let current = text;
	const written: FieldValue[] = [];
	const applied: FieldValue[] = [];
	const skipped: string[] = [];
	for (const field of values) {
		const outcome = setOne(current, field);
		if (typeof outcome === 'string') {
			skipped.push(outcome);
			continue;
		}
		written.push(field);
		if (outcome === undefined) continue;
		current = outcome.text;
		applied.push({ ...field, value: outcome.value });
	}
	// The edits must say exactly what the Document API would make of them; should they not,
	// the Document API's text is written instead (every line re-printed, but right).
	const expected = documentEdit(text, applied);
	if (isDeepStrictEqual(parseDocument(current, PARSE_OPTIONS).toJSON(), expected.toJSON())) {
		return { text: current, written, skipped };
	}
	return { text: expected.toString({ ...PRINT_OPTIONS }), written, skipped };
}

function documentEdit(text: string, values: readonly FieldValue[]): Document {
	const doc = parseDocument(text, PARSE_OPTIONS);
	for (const { key, path, value } of values) doc.setIn(['sessions', key, ...path], value);
	return doc;
}

function stringList(node: unknown): string[] {
	const json: unknown = isCollection(node) ? node.toJSON() : node;
	return Array.isArray(json) ? json.map(String) : [];
}

/** The text with one value set, and the value the entry holds now (its own tags only). */
interface Edited {
	readonly text: string;
	readonly value: unknown;
}

/**
 * The text with one value set; a string when it cannot be written (why), undefined when the file
 * already says it (through its defaults).
 */
function setOne(text: string, field: FieldValue): Edited | string | undefined {
	const doc = parseDocument(text, PARSE_OPTIONS);
	const where = [field.key, ...field.path].join('.');
	const entry = doc.getIn(['sessions', field.key], true);
	if (!isMap(entry)) return `${where}: no entry ${field.key} to write to`;
	const [name, sub] = field.path;
	if (name === undefined) return `${where}: no field named`;
	const declared = pairOf(entry, name);
	// As the file must write it to read back this value (the file's own text, such as its
	// defaults, is compared as written too).
	let value = literalValue(field.value);
	if (value === undefined && field.value !== undefined) return `${where}: ${UNWRITABLE_TEXT}`;
	if (field.path.length === 1 && name === 'tags' && Array.isArray(value)) {
		const defaults = stringList(doc.getIn(['defaults', 'tags']));
		const dropped = defaults.filter((tag) => !(value as unknown[]).includes(tag));
		if (dropped.length > 0) {
			return `${where}: the Hub no longer has ${dropped.join(', ')}, which the defaults of this file add to every entry (tags are unioned with them): take it out of defaults, or put it back on the Hub`;
		}
		value = value.filter((tag) => !defaults.includes(tag));
		if (!declared && (value as unknown[]).length === 0) return undefined;
	}
	const inherited = doc.getIn(['defaults', ...field.path]);
	const fromDefaults = isCollection(inherited) ? inherited.toJSON() : inherited;
	if (sub === undefined && !declared && isDeepStrictEqual(fromDefaults, value)) return undefined;
	const order = keyOrder(placeOf(placeOf(TOP_LEVEL, 'sessions'), field.key));
	const edited = (next: string): Edited => ({ text: next, value });
	if (entry.flow) {
		const whole = json(entry, field.path, value);
		return edited(replacePair(text, entryPair(doc, field.key), field.key, whole));
	}
	if (sub === undefined) {
		if (declared) return edited(replacePair(text, declared, name, value));
		return edited(insertPair(text, entry, name, value, order));
	}
	if (field.path.length !== 2) return `${where}: too deep to write`;
	if (!declared) {
		if (isDeepStrictEqual(fromDefaults, value)) return undefined;
		return edited(insertPair(text, entry, name, { [sub]: value }, order));
	}
	const map = declared.value;
	if (!isMap(map) || map.flow) {
		const merged = { ...(isMap(map) ? (map.toJSON() as object) : {}), [sub]: value };
		return edited(replacePair(text, declared, name, merged));
	}
	const inner = pairOf(map, sub);
	if (inner) return edited(replacePair(text, inner, sub, value));
	if (isDeepStrictEqual(fromDefaults, value)) return undefined;
	return edited(insertPair(text, map, sub, value, undefined));
}

function pairOf(map: YAMLMap, name: string): Pair<Node, Node | null> | undefined {
	return map.items.find((item) => isScalar(item.key) && String(item.key.value) === name) as
		Pair<Node, Node | null> | undefined;
}

function entryPair(doc: Document, key: string): Pair<Node, Node | null> {
	return pairOf(doc.get('sessions', true) as YAMLMap, key)!;
}

/** A flow-style entry written anew in block style, with the value set. */
function json(entry: YAMLMap, path: readonly string[], value: unknown): unknown {
	const data = entry.toJSON() as Record<string, unknown>;
	const [name, sub] = path as [string, string | undefined];
	if (sub === undefined) return { ...data, [name]: value };
	return { ...data, [name]: { ...((data[name] as object) ?? {}), [sub]: value } };
}

/** `name: value` as `fmt` prints it, at column 0; a list keeps the flow style it was in. */
function renderPair(name: string, value: unknown, flow: boolean | undefined): string[] {
	const doc = new Document({ [name]: value });
	const node = (doc.contents as YAMLMap).items[0]!.value;
	if (isSeq(node)) {
		const plain = node.items.every((item) => isScalar(item));
		node.flow = plain && node.items.length > 0 ? flow === true : node.items.length === 0;
	}
	return doc
		.toString({ ...PRINT_OPTIONS })
		.replace(/\n$/, '')
		.split('\n');
}

/** Replaces the pair's key and value, keeping what surrounds them (a comment after a scalar). */
function replacePair(
	text: string,
	pair: Pair<Node, Node | null>,
	name: string,
	value: unknown
): string {
	const key = pair.key;
	const start = key.range![0];
	const indent = start - lineStart(text, start);
	const node = pair.value;
	const wasFlow = isSeq(node) && node.flow === true;
	const lines = renderPair(name, value, isSeq(node) ? wasFlow : undefined);
	let end = node?.range ? node.range[1] : key.range![1];
	if (!node?.range) {
		// `name:` with no value: up to the end of the key's line, before any comment.
		const colon = text.indexOf(':', key.range![1]);
		end = colon === -1 ? key.range![1] : colon + 1;
	}
	const blockEnd = text[end - 1] === '\n';
	let body = indentLines(lines, indent).slice(indent);
	if (blockEnd) body += '\n';
	else if (lines.length > 1) {
		// A one-line value became several lines: a comment after it moves to the key's line.
		const rest = text.slice(end, lineEndOf(text, end));
		const comment = /^\s*#.*/.exec(rest)?.[0];
		if (comment) {
			const [first, ...others] = body.split('\n');
			return (
				text.slice(0, start) +
				[first + comment, ...others].join('\n') +
				text.slice(end + comment.length)
			);
		}
	}
	return text.slice(0, start) + body + text.slice(end);
}

/**
 * Adds `name: value` to a block mapping: before the first key `order` puts after it (and the
 * comments above that key), else after the mapping's last entry.
 */
function insertPair(
	text: string,
	map: YAMLMap,
	name: string,
	value: unknown,
	order: readonly string[] | undefined
): string {
	const pairs = map.items as Pair<Node, Node | null>[];
	const first = pairs[0]!.key;
	const indent = first.range![0] - lineStart(text, first.range![0]);
	const lines = indentLines(renderPair(name, value, undefined), indent);
	const rank = (key: string) => (order ? order.indexOf(key) : -1);
	const mine = rank(name);
	const before =
		mine === -1
			? undefined
			: pairs.find((pair) => {
					const other = rank(isScalar(pair.key) ? String(pair.key.value) : '');
					return other === -1 || other > mine;
				});
	if (before) {
		const at = commentsAbove(text, lineStart(text, before.key.range![0]));
		return `${text.slice(0, at)}${lines}\n${text.slice(at)}`;
	}
	const last = pairs[pairs.length - 1]!;
	const end = last.value?.range ? last.value.range[1] : last.key.range![1];
	const at = text[end - 1] === '\n' ? end : lineEndOf(text, end) + 1;
	const head = text.slice(0, Math.min(at, text.length));
	const joint = head.endsWith('\n') || head.length === 0 ? '' : '\n';
	return `${head}${joint}${lines}\n${text.slice(at)}`;
}

function indentLines(lines: readonly string[], indent: number): string {
	const pad = ' '.repeat(indent);
	return lines.map((line) => (line === '' ? line : pad + line)).join('\n');
}

function lineStart(text: string, offset: number): number {
	return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset of the line break ending the line that holds `offset` (or the text's end). */
function lineEndOf(text: string, offset: number): number {
	const newline = text.indexOf('\n', offset);
	return newline === -1 ? text.length : newline;
}

/** The start of the comment lines right above the line at `offset` (they belong to its key). */
function commentsAbove(text: string, offset: number): number {
	let at = offset;
	while (at > 0) {
		const previous = lineStart(text, at - 1);
		if (!text.slice(previous, at).trim().startsWith('#')) break;
		at = previous;
	}
	return at;
}

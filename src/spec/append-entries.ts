/**
 * New entries written into a spec file's text, at the end of `sessions:`, leaving every other
 * byte as it was (comments, quoting, layout). The entries take `fmt`'s canonical layout and the
 * indentation of the entries already there. Pure.
 */
import { isMap, isScalar, parseDocument, type Node, type Pair } from 'yaml';
import { formatSpecText } from './format.js';

export type AppendResult =
	{ readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/**
 * `block`: entries under `section` (default `sessions:`) at two spaces (what import prints, what
 * export writes).
 */
export function appendEntries(
	text: string,
	block: string,
	file: string,
	section = 'sessions'
): AppendResult {
	const doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
	if (doc.errors.length > 0) return { ok: false, message: `${file} is not valid YAML` };
	if (!isMap(doc.contents)) return { ok: false, message: `${file} is not a spec (no mapping)` };
	const entries = section === 'sessions' ? canonical(block, file) : withNewline(block);
	const pair = doc.contents.items.find(
		(item) => isScalar(item.key) && item.key.value === section
	) as Pair<Node, Node | null> | undefined;
	const clash = keysOf(entries, section).filter((key) => declared(pair).includes(key));
	if (clash.length > 0)
		return { ok: false, message: `${file} already declares ${clash.join(', ')}` };
	const value = pair?.value;
	if (isMap(value) && value.items.length > 0 && !value.flow) {
		const first = value.items[0]!.key as Node;
		const indent = columnOf(text, first.range![0]);
		const at = lineEnd(text, value.range![1]);
		const spaced = `${at.prefix}\n${reindent(entries, indent)}`;
		return { ok: true, text: text.slice(0, at.offset) + spaced + text.slice(at.offset) };
	}
	if (pair && (value === null || value === undefined || isEmpty(value))) {
		// `sessions:` with nothing, or `sessions: {}`: the entries follow the rest of that line.
		const keyEnd = (pair.key as Node).range![1];
		const colon = text.indexOf(':', keyEnd) + 1;
		const after = value?.range && !isScalar(value) ? value.range[1] : colon;
		const end = lineEnd(text, after);
		const rest = text.slice(after, end.offset) + end.prefix;
		return {
			ok: true,
			text: `${text.slice(0, colon)}${rest}${entries}${text.slice(end.offset)}`,
		};
	}
	if (pair) return { ok: false, message: `${file}: ${section} is not a block mapping to add to` };
	const head = text.length === 0 || text.endsWith('\n') ? text : `${text}\n`;
	return { ok: true, text: `${head}${section}:\n${entries}` };
}

/** The entries as `fmt` lays them out (unchanged when they do not parse as a spec alone). */
function canonical(block: string, file: string): string {
	const body = block.endsWith('\n') ? block : `${block}\n`;
	const header = 'version: 1\nstack: entries\nsessions:\n';
	const formatted = formatSpecText(header + body, file);
	if (!formatted.ok || !formatted.text.startsWith(header)) return body;
	return formatted.text.slice(header.length);
}

const withNewline = (block: string) => (block.endsWith('\n') ? block : `${block}\n`);

function keysOf(block: string, section: string): string[] {
	const doc = parseDocument(`${section}:\n${block}`);
	const sessions = doc.get(section, true);
	return isMap(sessions) ? sessions.items.map((item) => String((item.key as Node).toJSON())) : [];
}

function declared(pair: Pair<Node, Node | null> | undefined): string[] {
	const value = pair?.value;
	return isMap(value) ? value.items.map((item) => String((item.key as Node).toJSON())) : [];
}

const isEmpty = (value: Node) =>
	(isMap(value) && value.items.length === 0) || (isScalar(value) && value.value === null);

function columnOf(text: string, offset: number): number {
	return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Where the line holding `offset` ends; `prefix` is the line break a last line without one needs. */
function lineEnd(text: string, offset: number): { offset: number; prefix: string } {
	if (offset > 0 && text[offset - 1] === '\n') return { offset, prefix: '' };
	const newline = text.indexOf('\n', offset);
	return newline === -1
		? { offset: text.length, prefix: '\n' }
		: { offset: newline + 1, prefix: '' };
}

/** Two-space entries moved to `indent` columns, their inner lines alike. */
function reindent(block: string, indent: number): string {
	const pad = ' '.repeat(indent);
	return block
		.split('\n')
		.map((line) => (line.startsWith('  ') ? pad + line.slice(2) : line))
		.join('\n');
}

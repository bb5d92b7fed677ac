/**
 * Untrusted text in YAML output (`export`, the entries `import` prints): the document parses to
 * the exact values, and its text holds nothing a terminal or the Actions log acts on. A string
 * that holds a hidden character (see text.ts), `##[`, or a line beginning with `::` is written
 * double-quoted, where YAML escapes line breaks and controls itself and the rest are written as
 * `\u` escapes; a plain or block scalar never holds one.
 */
import { Scalar, visit, type Document, type ToStringOptions } from 'yaml';
import { escapeChar } from './text.js';

const NEEDS_QUOTES =
	/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]|##\[|(?:^|\n)[\s\u0085\u180e]*::/u;
/** What YAML's own double-quoting leaves raw; also what a comment may hold. */
const RAW = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `doc` as text, with every untrusted string in a form that is inert and parses back exactly. */
export function yamlText(doc: Document, options: ToStringOptions): string {
	visit(doc, {
		Scalar(_, node) {
			if (typeof node.value === 'string' && NEEDS_QUOTES.test(node.value))
				node.type = Scalar.QUOTE_DOUBLE;
		},
	});
	// A long double-quoted string would otherwise be written over several lines, a line break
	// in it as a real one: each `\n` stays an escape, so no value can begin a line.
	const oneLine = { ...options, doubleQuotedMinMultiLineLength: Number.MAX_SAFE_INTEGER };
	return doc.toString(oneLine).replace(RAW, escapeChar).replace(/##\[/g, '##\\u005b');
}

/**
 * Values set on spec entries in a file's text through the `yaml` Document API: the rest of the
 * document, comments included, is kept. Pure.
 */
import { parseDocument } from 'yaml';

export interface FieldValue {
	readonly key: string;
	/** Under the entry: `['label']`, `['metadata', 'team']`. */
	readonly path: readonly string[];
	readonly value: unknown;
}

export function setEntryFields(text: string, values: readonly FieldValue[]): string {
	const doc = parseDocument(text);
	for (const { key, path, value } of values) doc.setIn(['sessions', key, ...path], value);
	return doc.toString({ lineWidth: 0, indentSeq: true });
}

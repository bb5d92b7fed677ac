/** What a created session will hold, as detail lines: every set field of the field table. */
import type { DesiredSession, RepoRef } from '../kinds/session/desired.js';
import { FIELD_TABLE } from '../kinds/session/fields/index.js';
import type { Json } from '../plan/types.js';
import { CREATE_TASK_LINES, record, visibleKey, type Detail } from './detail-model.js';
import { printable, quote, repoText, truncate, valueText } from './format.js';
import { headLines } from './text-diff.js';
import { maskedEnvText } from './env-reads.js';

const set = (path: string, text: string): Detail => ({
	type: 'value',
	sign: '+',
	path,
	after: truncate(text),
});

/**
 * A created session's fields in table order, then its metadata entries, protect and state, its
 * secrets (by key) and last its task, the longest.
 */
export function createDetails(d: DesiredSession): Detail[] {
	const fields: Detail[] = [];
	const entries: Detail[] = [];
	const secrets: Detail[] = [];
	const texts: Detail[] = [];
	const values = d as unknown as Readonly<Record<string, unknown>>;
	for (const row of FIELD_TABLE) {
		const value = values[row.name];
		if (value === undefined) continue;
		const path = row.name;
		switch (row.render) {
			case 'text':
				fields.push(set(path, quote(String(value))));
				break;
			case 'list':
				if (!(row.required && Array.isArray(value) && value.length === 0))
					fields.push(set(path, valueText(value as Json)));
				break;
			case 'repo':
				fields.push(set(path, repoText(value as RepoRef)));
				break;
			case 'entries': {
				const mapping = record(value as Json);
				for (const key of Object.keys(mapping).filter(visibleKey).sort())
					entries.push(set(`${path}.${printable(key)}`, quote(String(mapping[key] ?? ''))));
				break;
			}
			case 'secret': {
				const templates = record(value as Json);
				for (const key of Object.keys(templates).sort()) {
					const template = templates[key];
					secrets.push({
						type: 'masked',
						sign: '+',
						path: `${path}.${printable(key)}`,
						text: maskedEnvText(undefined, typeof template === 'string' ? template : undefined),
					});
				}
				break;
			}
			case 'lines':
				texts.push(createdText(path, String(value)));
				break;
			default:
				fields.push(set(path, valueText(value as Json)));
		}
	}
	const marks: Detail[] = [];
	if (d.protect) marks.push(set('protect', 'true'));
	if (d.state === 'archived') marks.push(set('state', quote('archived')));
	return [...fields, ...entries, ...marks, ...secrets, ...texts];
}

/** A short text on one line; a longer one as its first lines, the rest counted. */
function createdText(path: string, text: string): Detail {
	const lines = headLines(text, '+', CREATE_TASK_LINES);
	if (lines.length === 1 && lines[0]?.sign === '+') return set(path, quote(text.trimEnd()));
	return { type: 'lines', sign: '+', path, lines };
}

/**
 * What each action changes, as neutral lines that the text and markdown renderers format in
 * their own way. Env values never reach this model: only env keys do.
 */
import type { DesiredSession, RepoRef } from '../session/desired.js';
import { FIELD_TABLE, fieldRow, type FieldName, type RenderKind } from '../session/fields/index.js';
import { MARKER_PREFIX } from '../ownership/markers.js';
import type { Action, FieldChange, Json } from '../plan/types.js';
import { printable, quote, repoText, truncate, valueText } from './format.js';
import { headLines, lineDiff, type DiffLine } from './text-diff.js';

/** Lines of a created session's task shown before the rest is counted. */
export const CREATE_TASK_LINES = 10;

export type Detail =
	/** `+` set (before absent), `-` removed (after absent), `~` changed from before to after. */
	| {
			readonly type: 'value';
			readonly sign: '+' | '-' | '~';
			readonly path: string;
			readonly before?: string;
			readonly after?: string;
			readonly note?: string;
	  }
	| {
			readonly type: 'set';
			readonly path: string;
			readonly added: string[];
			readonly removed: string[];
	  }
	| {
			readonly type: 'lines';
			readonly sign: '+' | '~';
			readonly path: string;
			readonly lines: readonly DiffLine[];
			readonly note?: string;
	  }
	/** A sensitive value: only its key and what happens to it. */
	| {
			readonly type: 'masked';
			readonly sign: '+' | '-' | '~';
			readonly path: string;
			readonly text: string;
	  };

const DIGEST_NOTE = 'differs from the last apply';

export function actionDetails(action: Action): Detail[] {
	switch (action.kind) {
		case 'create':
			return createDetails(action.desired);
		case 'adopt':
		case 'update':
		case 'replace':
			return action.changes.flatMap(changeDetails);
		default:
			return [];
	}
}

function strings(value: Json | undefined): string[] {
	return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : valueText(v))) : [];
}

function record(value: Json | undefined): Record<string, Json> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, Json>)
		: {};
}

/** How the field table says a field is shown; protect, a marker, is a plain value. */
const renderOf = (field: FieldName): RenderKind =>
	field === 'protect' ? 'value' : fieldRow(field).render;

function changeDetails(change: FieldChange): Detail[] {
	const note = change.viaDigest ? DIGEST_NOTE : undefined;
	const { field, before, after } = change;
	const render = renderOf(field);
	if (render === 'secret') return envDetails(change);
	if (render === 'entries') return metadataDetails(field, before, after);
	if (render === 'lines') return [taskDetail(field, before, after, note)];
	if (
		render === 'list' &&
		(before === undefined || Array.isArray(before)) &&
		Array.isArray(after)
	) {
		const was = new Set(strings(before));
		const now = new Set(strings(after));
		const added = [...now].filter((v) => !was.has(v)).map(printable);
		const removed = [...was].filter((v) => !now.has(v)).map(printable);
		if (added.length + removed.length > 0) return [{ type: 'set', path: field, added, removed }];
	}
	return [valueDetail(field, before, after, note)];
}

function valueDetail(
	path: string,
	before: Json | undefined,
	after: Json | undefined,
	note?: string
): Detail {
	const sign = before === undefined && !note ? '+' : after === undefined ? '-' : '~';
	return {
		type: 'value',
		sign,
		path,
		...(sign !== '+' ? { before: before === undefined ? '(unknown)' : valueText(before) } : {}),
		...(sign !== '-' ? { after: valueText(after) } : {}),
		...(note ? { note } : {}),
	};
}

function taskDetail(
	path: string,
	before: Json | undefined,
	after: Json | undefined,
	note?: string
): Detail {
	const next = typeof after === 'string' ? after : '';
	if (typeof before !== 'string') {
		// The Hub did not echo the old text: show the new one.
		return {
			type: 'lines',
			sign: '~',
			path,
			lines: headLines(next, '+', CREATE_TASK_LINES),
			note: note ?? 'previous task not known',
		};
	}
	return {
		type: 'lines',
		sign: '~',
		path,
		lines: lineDiff(before, next),
		...(note ? { note } : {}),
	};
}

/** The tool's own markers are bookkeeping; protect has its own field. */
const visibleKey = (key: string): boolean => !key.startsWith(MARKER_PREFIX);

function metadataDetails(
	field: string,
	before: Json | undefined,
	after: Json | undefined
): Detail[] {
	const was = record(before);
	const now = record(after);
	const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter(visibleKey).sort();
	return keys.flatMap((key) => {
		const path = `${field}.${printable(key)}`;
		if (JSON.stringify(was[key]) === JSON.stringify(now[key])) return [];
		return [valueDetail(path, was[key], now[key])];
	});
}

function envDetails(change: FieldChange): Detail[] {
	const keys = change.envKeys ?? [];
	if (keys.length === 0)
		return [{ type: 'masked', sign: '~', path: change.field, text: '(sensitive, changed)' }];
	return keys.flatMap((entry): Detail[] => {
		const path = `${change.field}.${printable(entry.key)}`;
		switch (entry.change) {
			case 'added':
				return [{ type: 'masked', sign: '+', path, text: '(sensitive)' }];
			case 'removed':
				return [{ type: 'masked', sign: '-', path, text: '(sensitive, removed)' }];
			case 'changed':
				return [{ type: 'masked', sign: '~', path, text: '(sensitive, changed)' }];
			default:
				return [];
		}
	});
}

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
function createDetails(d: DesiredSession): Detail[] {
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
			case 'secret':
				for (const key of Object.keys(record(value as Json)).sort())
					secrets.push({
						type: 'masked',
						sign: '+',
						path: `${path}.${printable(key)}`,
						text: '(sensitive)',
					});
				break;
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

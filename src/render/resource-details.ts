/**
 * What an action on another kind (an agent, a workspace) changes, as the detail lines sessions
 * use (detail-model.ts), so the text and markdown plans show both alike: each changed field by
 * its RenderKind (`lines` as a line diff, `list` as entries added and removed, `text` quoted),
 * and a create's desired values as a created session's.
 */
import type { Json, ResourceAction, ResourceFieldChange } from '../plan/types.js';
import { CREATE_TASK_LINES, record, visibleKey, type Detail } from './detail-model.js';
import { metadataDetails, valueDetail } from './details.js';
import { printable, quote, repoText, truncate, valueText } from './format.js';
import { headLines, lineDiff } from './text-diff.js';

const UNKNOWN_BEFORE = 'previous value not known';

export function resourceDetails(action: ResourceAction): Detail[] {
	if (action.kind === 'create') return createdDetails(action.desired ?? {});
	return (action.changes ?? []).flatMap(changeDetails);
}

function changeDetails(change: ResourceFieldChange): Detail[] {
	const path = printable(change.field);
	const { before, after } = change;
	const because = change.because !== undefined ? { because: printable(change.because) } : {};
	switch (change.render) {
		case 'secret':
			return [{ type: 'masked', sign: '~', path, text: '(sensitive, changed)' }];
		case 'entries': {
			const entries = metadataDetails(path, before, after);
			// A reference change with nothing new to show still says why it is planned.
			return entries.length > 0 ? entries : [{ ...valueDetail(path, before, after), ...because }];
		}
		case 'lines':
			return [{ ...linesDetail(path, before, after), ...because }];
		case 'list': {
			const set = listDetail(path, before, after);
			if (set) return [{ ...set, ...because }];
			break;
		}
		case 'text':
			return [{ ...textDetail(path, before, after), ...because }];
		case 'repo':
			return [{ ...repoDetail(path, before, after), ...because }];
		default:
	}
	return [{ ...valueDetail(path, before, after), ...because }];
}

function linesDetail(path: string, before: Json | undefined, after: Json | undefined): Detail {
	const next = typeof after === 'string' ? after : '';
	if (typeof before !== 'string')
		return {
			type: 'lines',
			sign: '~',
			path,
			lines: headLines(next, '+', CREATE_TASK_LINES),
			...(before === undefined ? {} : { note: UNKNOWN_BEFORE }),
		};
	return { type: 'lines', sign: '~', path, lines: lineDiff(before, next) };
}

const entryText = (value: Json): string =>
	printable(typeof value === 'string' ? value : valueText(value));

/** Entries added and removed; undefined when the lists hold the same entries (an order change). */
function listDetail(path: string, before: Json | undefined, after: Json | undefined) {
	if (!Array.isArray(after) || (before !== undefined && !Array.isArray(before))) return undefined;
	const was = new Set((before ?? []).map(entryText));
	const now = new Set(after.map(entryText));
	const added = [...now].filter((entry) => !was.has(entry));
	const removed = [...was].filter((entry) => !now.has(entry));
	if (added.length + removed.length === 0) return undefined;
	return { type: 'set' as const, path, added, removed };
}

const quoted = (value: Json | undefined): string | undefined =>
	value === undefined
		? undefined
		: typeof value === 'string'
			? truncate(quote(value))
			: valueText(value);

function textDetail(path: string, before: Json | undefined, after: Json | undefined): Detail {
	return shownDetail(path, quoted(before), quoted(after));
}

const repoShown = (value: Json | undefined): string | undefined =>
	value === undefined
		? undefined
		: typeof value === 'object' && value !== null && !Array.isArray(value)
			? truncate(repoText(value))
			: valueText(value);

function repoDetail(path: string, before: Json | undefined, after: Json | undefined): Detail {
	return shownDetail(path, repoShown(before), repoShown(after));
}

/** `+` when newly set, `-` when unset, `~` from one to the other. */
function shownDetail(path: string, before?: string, after?: string): Detail {
	if (before === undefined) return { type: 'value', sign: '+', path, after: after ?? '(none)' };
	if (after === undefined) return { type: 'value', sign: '-', path, before };
	return { type: 'value', sign: '~', path, before, after };
}

/**
 * A created record's values in the entry's order, multi-line texts last. The plan does not carry
 * each desired field's RenderKind, so the value's shape decides: a text of several lines shows
 * as lines, any other text quoted, an object entry by entry, the rest as values.
 */
function createdDetails(desired: Readonly<Record<string, Json>>): Detail[] {
	const fields: Detail[] = [];
	const texts: Detail[] = [];
	for (const [field, value] of Object.entries(desired)) {
		const path = printable(field);
		if (typeof value === 'string') {
			const lines = headLines(value, '+', CREATE_TASK_LINES);
			if (lines.length === 1 && lines[0]?.sign === '+')
				fields.push({ type: 'value', sign: '+', path, after: truncate(quote(value.trimEnd())) });
			else texts.push({ type: 'lines', sign: '+', path, lines });
			continue;
		}
		if (
			typeof value === 'object' &&
			value !== null &&
			!Array.isArray(value) &&
			!isRepo(value as Record<string, Json>)
		) {
			const entries = record(value);
			const keys = Object.keys(entries).filter(visibleKey).sort();
			if (keys.length === 0) fields.push({ type: 'value', sign: '+', path, after: '{}' });
			for (const key of keys)
				fields.push({
					type: 'value',
					sign: '+',
					path: `${path}.${printable(key)}`,
					after: valueText(entries[key]),
				});
			continue;
		}
		fields.push({ type: 'value', sign: '+', path, after: valueText(value) });
	}
	return [...fields, ...texts];
}

function isRepo(value: Readonly<Record<string, Json>>): boolean {
	return typeof value.owner === 'string' && typeof value.name === 'string';
}

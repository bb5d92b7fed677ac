/**
 * What each action changes, as neutral lines that the text and markdown renderers format in
 * their own way. Env values never reach this model: only env keys do.
 */
import { fieldRow, type FieldName, type RenderKind } from '../kinds/session/fields/index.js';
import type { Action, FieldChange, Json } from '../plan/types.js';
import { printable, valueText } from './format.js';
import { createDetails } from './create-details.js';
import { maskedEnvText } from './env-reads.js';
import { CREATE_TASK_LINES, record, visibleKey, type Detail } from './detail-model.js';
import { headLines, lineDiff } from './text-diff.js';

export { CREATE_TASK_LINES, type Detail } from './detail-model.js';

const DIGEST_NOTE = 'differs from the last apply';

export function actionDetails(action: Action): Detail[] {
	switch (action.kind) {
		case 'create':
			return createDetails(action.desired);
		case 'adopt':
		case 'update':
		case 'replace':
			return action.changes.flatMap((change) => changeDetails(change, action.desired.env));
		default:
			return [];
	}
}

function strings(value: Json | undefined): string[] {
	return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : valueText(v))) : [];
}

/** How the field table says a field is shown; protect, a marker, is a plain value. */
const renderOf = (field: FieldName): RenderKind =>
	field === 'protect' ? 'value' : fieldRow(field).render;

function changeDetails(change: FieldChange, env: Readonly<Record<string, string>>): Detail[] {
	const note = change.viaDigest ? DIGEST_NOTE : undefined;
	const { field, before, after } = change;
	const render = renderOf(field);
	if (render === 'secret') return envDetails(change, env);
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

export function valueDetail(
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

export function metadataDetails(
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

/** `env`: the entry's templates, whose variables each added or changed key names. */
function envDetails(change: FieldChange, env: Readonly<Record<string, string>>): Detail[] {
	const keys = change.envKeys ?? [];
	if (keys.length === 0)
		return [{ type: 'masked', sign: '~', path: change.field, text: '(sensitive, changed)' }];
	return keys.flatMap((entry): Detail[] => {
		const path = `${change.field}.${printable(entry.key)}`;
		switch (entry.change) {
			case 'added':
				return [
					{ type: 'masked', sign: '+', path, text: maskedEnvText(undefined, env[entry.key]) },
				];
			case 'removed':
				return [{ type: 'masked', sign: '-', path, text: '(sensitive, removed)' }];
			case 'changed':
				return [
					{ type: 'masked', sign: '~', path, text: maskedEnvText('changed', env[entry.key]) },
				];
			default:
				return [];
		}
	});
}

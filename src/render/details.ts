/**
 * What each action changes, as neutral lines that the text and markdown renderers format in
 * their own way. Env values never reach this model: only env keys do.
 */
import type { DesiredSession } from '../session/desired.js';
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

const SET_FIELDS = new Set(['tags', 'enabledAgents', 'savedSkillIds', 'skillBucketIds']);
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

function changeDetails(change: FieldChange): Detail[] {
	const note = change.viaDigest ? DIGEST_NOTE : undefined;
	const { field, before, after } = change;
	if (field === 'env') return envDetails(change);
	if (field === 'metadata') return metadataDetails(before, after);
	if (field === 'task') return [taskDetail(before, after, note)];
	if (
		SET_FIELDS.has(field) &&
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

function taskDetail(before: Json | undefined, after: Json | undefined, note?: string): Detail {
	const next = typeof after === 'string' ? after : '';
	if (typeof before !== 'string') {
		// The Hub did not echo the old task: show the new one.
		return {
			type: 'lines',
			sign: '~',
			path: 'task',
			lines: headLines(next, '+', CREATE_TASK_LINES),
			note: note ?? 'previous task not known',
		};
	}
	return {
		type: 'lines',
		sign: '~',
		path: 'task',
		lines: lineDiff(before, next),
		...(note ? { note } : {}),
	};
}

/** The tool's own markers are bookkeeping; protect has its own field. */
const visibleKey = (key: string): boolean => !key.startsWith(MARKER_PREFIX);

function metadataDetails(before: Json | undefined, after: Json | undefined): Detail[] {
	const was = record(before);
	const now = record(after);
	const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter(visibleKey).sort();
	return keys.flatMap((key) => {
		const path = `metadata.${printable(key)}`;
		if (JSON.stringify(was[key]) === JSON.stringify(now[key])) return [];
		return [valueDetail(path, was[key], now[key])];
	});
}

function envDetails(change: FieldChange): Detail[] {
	const keys = change.envKeys ?? [];
	if (keys.length === 0)
		return [{ type: 'masked', sign: '~', path: 'env', text: '(sensitive, changed)' }];
	return keys.flatMap((entry): Detail[] => {
		const path = `env.${printable(entry.key)}`;
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

function createDetails(d: DesiredSession): Detail[] {
	const out: Detail[] = [];
	const json = (path: string, value: unknown): void => {
		if (value !== undefined) out.push(set(path, valueText(value as Json)));
	};
	if (d.label !== undefined) out.push(set('label', quote(d.label)));
	json('visibility', d.visibility);
	if (d.tags.length > 0) json('tags', d.tags);
	json('workflowMode', d.workflowMode);
	json('loop', d.loop);
	json('agent', d.agent);
	json('defaultAgent', d.defaultAgent);
	json('enabledAgents', d.enabledAgents);
	json('savedSkillIds', d.savedSkillIds);
	json('skillBucketIds', d.skillBucketIds);
	if (d.repo) out.push(set('repo', repoText(d.repo)));
	json('repos', d.repos);
	json('workspaceId', d.workspaceId);
	json('sandbox', d.sandbox);
	for (const key of Object.keys(d.metadata).filter(visibleKey).sort()) {
		out.push(set(`metadata.${printable(key)}`, quote(d.metadata[key] ?? '')));
	}
	if (d.protect) out.push(set('protect', 'true'));
	if (d.state === 'archived') out.push(set('state', quote('archived')));
	for (const key of Object.keys(d.env).sort()) {
		out.push({ type: 'masked', sign: '+', path: `env.${printable(key)}`, text: '(sensitive)' });
	}
	const lines = headLines(d.task, '+', CREATE_TASK_LINES);
	if (lines.length === 1 && lines[0]?.sign === '+') out.push(set('task', quote(d.task.trimEnd())));
	else out.push({ type: 'lines', sign: '+', path: 'task', lines });
	return out;
}

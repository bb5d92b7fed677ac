/** Renders `status`: an aligned table for people, a versioned JSON document for machines. Pure. */
import type { HubCallCounts } from '../hub/types.js';
import { filesText } from './files-text.js';
import { plural } from './format.js';
import { inlineText as shown } from '../core/untrusted/text.js';
import type { Style } from './style.js';
import {
	attentionLines,
	loopJson,
	modeText,
	needsAttention,
	type StatusLoopJson,
} from './status-loop.js';
import {
	lastActivityOf,
	type StatusRow,
	type StatusView,
	type SyncState,
} from '../plan/status-rows.js';
import { alignColumns, type Align, type Cell } from './table.js';
import { relativeTime } from './time.js';

const LABEL_WIDTH = 32;
const FIELDS_SHOWN = 3;

const HEADER = [
	'KEY',
	'LABEL',
	'STATUS',
	'BUCKET',
	'MODE',
	'PARTICIPANTS',
	'EVENTS',
	'LAST ACTIVITY',
	'SYNC',
];
const ALIGN: readonly Align[] = [
	'left',
	'left',
	'left',
	'left',
	'left',
	'right',
	'right',
	'left',
	'left',
];

export function renderStatusText(view: StatusView, style: Style, nowMs: number): string {
	const title = `coder-sessions status for stack ${shown(view.stack)} (${filesText(view.files, shown)})`;
	const header = HEADER.map((text): Cell => ({ text, paint: style.bold }));
	const table = alignColumns(
		[header, ...view.rows.map((row) => rowCells(row, style, nowMs))],
		ALIGN
	);
	const failed = view.rows.filter((row) => row.activity?.error);
	const lines = [
		style.bold(title),
		'',
		...(view.rows.length > 0 ? table : ['No sessions in the spec or on the Hub.']),
		'',
	];
	if (view.resources && view.resources.length > 0) {
		const head = ['KIND', 'KEY', 'ID', 'STATUS'].map((text): Cell => ({ text, paint: style.bold }));
		const rows = view.resources.map((row) => [
			shown(row.kind),
			shown(row.qualifiedKey),
			shown(row.id),
			shown([row.status, row.protect ? 'protected' : undefined].filter(Boolean).join(', ') || '-'),
		]);
		lines.push('Other kinds:', '', ...alignColumns([head, ...rows]), '');
	}
	const attention = attentionLines(view.rows);
	for (const line of attention) lines.push(style.warn(line));
	if (attention.length > 0) lines.push('');
	for (const row of failed) {
		lines.push(
			style.warn(
				`Warning: activity of ${shown(row.key)} (${shown(row.session?.id ?? '-')}) unavailable: ${shown(row.activity?.error ?? '')}`
			)
		);
	}
	lines.push(summaryLine(view), `Hub calls: ${describeCalls(view.hubCalls)}.`);
	return `${lines.join('\n')}\n`;
}

function rowCells(row: StatusRow, style: Style, nowMs: number): Cell[] {
	const session = row.session;
	const unknown = row.activity?.error ? '?' : '-';
	const participants = row.activity?.participants?.count;
	const events = row.activity?.events;
	return [
		{ text: shown(row.key) },
		{ text: session ? truncate(session.label, LABEL_WIDTH) : '-' },
		{ text: shown(session?.status ?? '-') },
		{ text: shown(session?.bucket ?? '-') },
		{ text: modeText(row), ...(needsAttention(row) ? { paint: style.warn } : {}) },
		{ text: participants === undefined ? unknown : String(participants) },
		{ text: events === undefined ? unknown : `${events.count}${events.atLeast ? '+' : ''}` },
		{ text: session ? relativeTime(lastActivityOf(row), nowMs) : '-' },
		syncCell(row, style),
	];
}

function syncCell(row: StatusRow, style: Style): Cell {
	const paints: Record<SyncState, (text: string) => string> = {
		'in-sync': style.add,
		drifted: style.change,
		missing: style.remove,
		archived: style.dim,
		extra: style.warn,
		duplicate: style.warn,
	};
	return { text: describeSync(row), paint: paints[row.sync] };
}

/** `in sync`, `drifted: label, tags`, `missing`, ... */
export function describeSync(row: StatusRow): string {
	if (row.sync !== 'drifted') return row.sync === 'in-sync' ? 'in sync' : row.sync;
	const fields = row.changedFields.slice(0, FIELDS_SHOWN).map(shown);
	const more = row.changedFields.length - fields.length;
	return `drifted: ${fields.join(', ')}${more > 0 ? ` +${more}` : ''}`;
}

function summaryLine(view: StatusView): string {
	const { counts } = view;
	const noun = counts.sessions === 1 ? 'session' : 'sessions';
	const parts = [
		`${counts.inSync} in sync`,
		`${counts.drifted} drifted`,
		`${counts.missing} missing`,
		`${counts.archived} archived`,
		`${counts.extra} extra`,
		...(counts.duplicate > 0 ? [`${counts.duplicate} duplicate`] : []),
	];
	const history =
		counts.olderArchived > 0
			? ` (${plural(counts.olderArchived, 'older archived session')} not shown)`
			: '';
	return `${counts.sessions} ${noun}: ${parts.join(', ')}.${history}`;
}

function describeCalls(calls: Readonly<HubCallCounts>): string {
	return `${calls.list} list, ${calls.get} get, ${calls.other} other`;
}

/** One line: runs of spaces as one, line breaks and hidden characters escaped (`\n`, `\u001b`). */
function truncate(text: string, width: number): string {
	const oneLine = shown(text.replace(/[ \u00a0]+/g, ' ').trim());
	const chars = [...oneLine];
	return chars.length <= width ? oneLine : `${chars.slice(0, width - 1).join('')}…`;
}

export interface StatusSessionJson {
	readonly key: string;
	readonly sessionId: string | null;
	readonly label: string | null;
	readonly status: string | null;
	readonly bucket: string | null;
	readonly workflowMode: string | null;
	/** Loop mode: the loop's status, iteration, summary and next action. */
	readonly loop: StatusLoopJson | null;
	readonly participants: { readonly count: number; readonly connected: number } | null;
	readonly events: { readonly count: number; readonly atLeast: boolean } | null;
	readonly replay: { readonly available: boolean } | null;
	readonly lastActivityAt: string | null;
	readonly sync: SyncState;
	readonly changedFields: readonly string[];
	readonly activityError?: string;
}

export interface StatusJsonV1 {
	readonly formatVersion: 1;
	readonly stack: string;
	readonly files: readonly string[];
	readonly generatedAt: string;
	readonly sessions: readonly StatusSessionJson[];
	readonly counts: StatusView['counts'];
	readonly hubCalls: Readonly<HubCallCounts>;
	/** One per record of the other kinds the stack owns; empty with sessions alone. */
	readonly resources: readonly StatusResourceJson[];
}

export interface StatusResourceJson {
	readonly kind: string;
	readonly qualifiedKey: string;
	readonly id: string;
	/** The kind's status words (an agent's published version), or null when it has none. */
	readonly status: string | null;
	readonly protect: boolean;
}

export function toStatusJson(view: StatusView, nowMs: number): StatusJsonV1 {
	return {
		formatVersion: 1,
		stack: view.stack,
		files: view.files,
		generatedAt: new Date(nowMs).toISOString(),
		sessions: view.rows.map(sessionJson),
		counts: view.counts,
		hubCalls: view.hubCalls,
		resources: (view.resources ?? []).map((row) => ({
			kind: row.kind,
			qualifiedKey: row.qualifiedKey,
			id: row.id,
			status: row.status ?? null,
			protect: row.protect === true,
		})),
	};
}

function sessionJson(row: StatusRow): StatusSessionJson {
	const { session, activity } = row;
	const participants = activity?.participants;
	return {
		key: row.key,
		sessionId: session?.id ?? null,
		label: session?.label ?? null,
		status: session?.status ?? null,
		bucket: session?.bucket ?? null,
		workflowMode: session?.workflowMode ?? null,
		loop: loopJson(row),
		participants: participants
			? { count: participants.count, connected: participants.connected }
			: null,
		events: activity?.events
			? { count: activity.events.count, atLeast: activity.events.atLeast }
			: null,
		replay: activity?.replay ? { available: activity.replay.available } : null,
		lastActivityAt: lastActivityOf(row) ?? null,
		sync: row.sync,
		changedFields: row.changedFields,
		...(activity?.error ? { activityError: activity.error } : {}),
	};
}

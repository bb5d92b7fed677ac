/** One action of the markdown plan: a summary line and a diff block, open or collapsed. */
import type { Action } from '../plan/types.js';
import { actionDetails, type Detail } from './details.js';
import { printable, quote } from './format.js';
import { forcedText, forgetText, STAYS_PROTECTED_TEXT, SYMBOL } from './messages.js';
import { escapeMarkdown } from './markdown-escape.js';
import { fenced } from '../core/untrusted/markdown.js';

export type Change = Exclude<Action, { kind: 'noop' }>;

const code = (text: string): string => `<code>${escapeMarkdown(text)}</code>`;

/** Open: the summary as a paragraph, the diff below it. Collapsed: a `<details>` block. */
export function actionBlock(action: Change, open: boolean): string {
	let summary = `<code>${escapeMarkdown(`${SYMBOL[action.kind]} ${action.kind}`)}</code> <b>${escapeMarkdown(action.key)}</b>`;
	if (action.kind !== 'create')
		summary += ` ${code(action.live.id)} ${escapeMarkdown(quote(action.live.label))}`;
	// A dash, not parentheses: reasons carry their own (`not in the spec (prune: archive)`).
	if (action.reason) summary += ` — ${escapeMarkdown(action.reason)}`;
	// Collapsed, the summary line is all a reviewer sees at first: it names what changes.
	const fields = changedFields(action);
	if (!open && fields.length > 0) summary += ` · changes ${escapeMarkdown(fields.join(', '))}`;
	const body =
		action.kind === 'replace'
			? [`_${escapeMarkdown(forcedText(action.forcedBy, action.requested))}._`]
			: [];
	if (action.kind === 'adopt' && action.staysProtected)
		body.push(`_${escapeMarkdown(STAYS_PROTECTED_TEXT)}._`);
	body.push(fenced(diffBody(action), 'diff'));
	if (open) return [summary, ...body].join('\n\n');
	return [`<details><summary>${summary}</summary>`, ...body, '</details>'].join('\n\n');
}

/** The fields an update, adopt or replace changes, each named once, in the plan's order. */
export function changedFields(action: Change): string[] {
	if (action.kind !== 'update' && action.kind !== 'adopt' && action.kind !== 'replace') return [];
	return [...new Set(action.changes.map((change) => change.field))];
}

function diffBody(action: Change): string[] {
	if (action.kind === 'create' || action.kind === 'update' || action.kind === 'replace') {
		const lines = actionDetails(action).flatMap(detailLines);
		return lines.length > 0 ? lines : ['  (no field changes recorded)'];
	}
	if (action.kind === 'adopt') {
		const lines = actionDetails(action).flatMap(detailLines);
		return lines.length > 0
			? lines
			: ['  (no field changes: only the ownership markers are written)'];
	}
	const live = action.live;
	if (action.kind === 'forget')
		return [`  id: ${printable(live.id)}`, `  ${printable(forgetText(action.markers))}`];
	const lines = [
		`- id: ${printable(live.id)}`,
		`- label: ${quote(live.label)}`,
		`- status: ${printable(live.status)}`,
		`- createdAt: ${printable(live.createdAt)}`,
	];
	if (action.kind === 'dedupe') lines.push(`  keeps: ${printable(action.keep)}`);
	return lines;
}

const note = (text?: string): string => (text ? `  # ${text}` : '');
const because = (text?: string): string => (text ? ` (because ${text})` : '');

// `!` lines are GitHub's "changed" colour in a diff block; `+`/`-` green and red.
export function detailLines(d: Detail): string[] {
	switch (d.type) {
		case 'value': {
			const tail = `${because(d.because)}${note(d.note)}`;
			if (d.sign === '+') return [`+ ${d.path}: ${d.after}${tail}`];
			if (d.sign === '-') return [`- ${d.path}: ${d.before}${tail}`];
			return [`- ${d.path}: ${d.before}`, `+ ${d.path}: ${d.after}${tail}`];
		}
		case 'set':
			return [
				`! ${d.path}: ${[...d.added.map((v) => `+${v}`), ...d.removed.map((v) => `-${v}`)].join(' ')}${because(d.because)}`,
			];
		case 'masked':
			return [`${d.sign === '~' ? '!' : d.sign} ${d.path}: ${d.text}`];
		case 'lines': {
			const head = `${d.sign === '+' ? '+' : '!'} ${d.path}:${because(d.because)}${note(d.note)}`;
			return [
				head,
				...d.lines.map((l) =>
					l.sign === '…' ? `    … ${l.text}` : `${l.sign}   ${l.text}`.trimEnd()
				),
			];
		}
	}
}

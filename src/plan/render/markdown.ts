/** The plan as a PR comment: summary first, destructive actions first, one <details> per session. */
import type { Action, ChangeKind } from '../types.js';
import { actionDetails, type Detail } from './details.js';
import { fullFingerprint, printable, quote } from './format.js';
import {
	countsText,
	forcedText,
	allowanceNote,
	refusalMessages,
	hubCallsText,
	leftAloneText,
	matchesText,
	noopCount,
	STAYS_PROTECTED_TEXT,
	SYMBOL,
} from './messages.js';
import type { PlanView } from './view.js';

/** GitHub rejects comments over 65,536 characters; this leaves room for a bot's own wrapper. */
export const MARKDOWN_LIMIT = 60_000;

const REVIEW_ORDER: Record<ChangeKind, number> = {
	delete: 0,
	archive: 1,
	dedupe: 2,
	replace: 3,
	adopt: 4,
	update: 5,
	create: 6,
};

type Change = Exclude<Action, { kind: 'noop' }>;

/**
 * Entities for everything that could end a tag, start markdown, break a table or mention
 * someone, so a label or key from the Hub renders as the text it is.
 */
export function escapeMarkdown(text: string): string {
	return printable(text)
		.replace(/\r?\n/g, ' ')
		.replace(/[&<>"'|`*_[\]\\~#@]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const code = (text: string): string => `<code>${escapeMarkdown(text)}</code>`;

export function renderMarkdown(view: PlanView): string {
	const { plan } = view;
	const changes = plan.actions
		.filter((action): action is Change => action.kind !== 'noop')
		.map((action, index) => ({ action, index }))
		.sort((a, b) => REVIEW_ORDER[a.action.kind] - REVIEW_ORDER[b.action.kind] || a.index - b.index)
		.map(({ action }) => action);
	const head = headSections(view, changes.length);
	const tail = tailSections(view);
	let used = [...head, ...tail, omissionLine(changes.length)].join('\n\n').length + 2;
	const blocks: string[] = [];
	for (const action of changes) {
		const block = actionBlock(action);
		if (used + block.length + 2 > MARKDOWN_LIMIT) break;
		blocks.push(block);
		used += block.length + 2;
	}
	const omitted = changes.length - blocks.length;
	const sections = [...head, ...blocks, ...(omitted > 0 ? [omissionLine(omitted)] : []), ...tail];
	return `${sections.join('\n\n')}\n`;
}

function omissionLine(count: number): string {
	const what = count === 1 ? '1 more session' : `${count} more sessions`;
	return `_… ${what} omitted (output limited to ${MARKDOWN_LIMIT.toLocaleString('en-US')} characters); run plan locally for the full list._`;
}

function headSections(view: PlanView, changeCount: number): string[] {
	const { plan, meta } = view;
	const out = [`### coder-sessions plan: ${escapeMarkdown(plan.stack)}`];
	const files = meta.files.map(code).join(', ');
	const from = files ? ` · ${files}` : '';
	if (changeCount === 0) out.push(`**No changes.** ${matchesText(plan)}${from}`);
	else out.push(`**${countsText(plan)}** · ${noopCount(plan)} unchanged${from}`);
	if (plan.only.length > 0) out.push(`Only: ${plan.only.map(code).join(', ')}`);
	const stale = (meta.stale ?? []).map(escapeMarkdown);
	if (stale.length > 0) out.push(alert('CAUTION', 'Warnings', stale));
	const hazards = refusalMessages(plan, code);
	if (hazards.length > 0) out.push(alert('WARNING', 'Refused by safety rails', hazards));
	const allowance = allowanceNote(plan);
	if (allowance) out.push(`**${escapeMarkdown(allowance)}**`);
	return out;
}

function alert(kind: string, title: string, items: readonly string[]): string {
	return [`> [!${kind}]`, `> **${title}**`, ...items.map((item) => `> - ${item}`)].join('\n');
}

function tailSections(view: PlanView): string[] {
	const { plan, meta } = view;
	const notes = [leftAloneText(plan), meta.hubCalls ? hubCallsText(meta.hubCalls) : undefined];
	const line = notes.filter((n): n is string => n !== undefined).join(' ');
	return [
		...(line ? [escapeMarkdown(line)] : []),
		`Fingerprint: ${code(fullFingerprint(plan.fingerprint))}`,
	];
}

function actionBlock(action: Change): string {
	let summary = `<code>${escapeMarkdown(`${SYMBOL[action.kind]} ${action.kind}`)}</code> <b>${escapeMarkdown(action.key)}</b>`;
	if (action.kind !== 'create')
		summary += ` ${code(action.live.id)} ${escapeMarkdown(quote(action.live.label))}`;
	if (action.reason) summary += ` (${escapeMarkdown(action.reason)})`;
	const body =
		action.kind === 'replace' ? [`_${escapeMarkdown(forcedText(action.forcedBy))}._`] : [];
	if (action.kind === 'adopt' && action.staysProtected)
		body.push(`_${escapeMarkdown(STAYS_PROTECTED_TEXT)}._`);
	body.push(fenced(diffBody(action)));
	return [`<details><summary>${summary}</summary>`, ...body, '</details>'].join('\n\n');
}

/** A fence longer than any backtick run inside, so a task cannot close it. */
function fenced(lines: readonly string[]): string {
	const longest = Math.max(
		2,
		...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length)))
	);
	const fence = '`'.repeat(longest + 1);
	return [`${fence}diff`, ...lines, fence].join('\n');
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

// `!` lines are GitHub's "changed" colour in a diff block; `+`/`-` green and red.
function detailLines(d: Detail): string[] {
	switch (d.type) {
		case 'value':
			if (d.sign === '+') return [`+ ${d.path}: ${d.after}${note(d.note)}`];
			if (d.sign === '-') return [`- ${d.path}: ${d.before}${note(d.note)}`];
			return [`- ${d.path}: ${d.before}`, `+ ${d.path}: ${d.after}${note(d.note)}`];
		case 'set':
			return [
				`! ${d.path}: ${[...d.added.map((v) => `+${v}`), ...d.removed.map((v) => `-${v}`)].join(' ')}`,
			];
		case 'masked':
			return [`${d.sign === '~' ? '!' : d.sign} ${d.path}: ${d.text}`];
		case 'lines': {
			const head = `${d.sign === '+' ? '+' : '!'} ${d.path}:${note(d.note)}`;
			return [
				head,
				...d.lines.map((l) =>
					l.sign === '…' ? `    … ${l.text}` : `${l.sign}   ${l.text}`.trimEnd()
				),
			];
		}
	}
}

/**
 * The Terraform-like plan for terminals. Actions of one kind from one template show as one block
 * (template-groups.ts): what they share once, then what differs, one aligned row per key.
 */
import type { BaseAttribution } from '../plan/origin.js';
import type { Action, ChangeKind, Plan } from '../plan/types.js';
import { BASE_TITLE, baseSummaryText, CHANGE_TITLE, changesByOrigin } from './base-messages.js';
import { actionDetails, type Detail } from './details.js';
import { plural, printable, quote, shortFingerprint } from './format.js';
import {
	absentCount,
	absentText,
	adoptText,
	countsText,
	destroyText,
	forcedText,
	forgetText,
	allowanceNote,
	hubCallsText,
	leftAloneText,
	noChangesText,
	noopCount,
	refusalMessages,
	STAYS_PROTECTED_TEXT,
	SYMBOL,
} from './messages.js';
import { createStyle, type Style } from './style.js';
import {
	dependsOnText,
	RESOURCE_SYMBOL,
	resourceChanges,
	resourceCountsText,
	resourceSummaries,
	verbOf,
	type ResourceChange,
} from './resource-actions.js';
import { resourceDetails } from './resource-details.js';
import type { DiffLine } from './text-diff.js';
import { planUnits, type TemplateGroup } from './template-groups.js';
import type { PlanView, RenderOptions } from './view.js';
import { filesText } from './files-text.js';

const FIELD = '      ';
const LINE = '        ';

export function renderText(view: PlanView, options: RenderOptions): string {
	const s = createStyle(options.color);
	const { plan, meta } = view;
	const files = meta.files.length > 0 ? ` (${filesText(meta.files, printable)})` : '';
	const out = [s.bold(`coder-sessions plan for stack ${printable(plan.stack)}${files}`)];
	if (plan.only.length > 0) out.push(s.dim(`Only: ${plan.only.map(printable).join(', ')}`));
	const destroy = destroyText(plan);
	if (destroy) out.push(s.bold(destroy));
	out.push(...warningBlock(s, 'Warnings:', (meta.stale ?? []).map(printable)));
	out.push(...warningBlock(s, 'Refused by safety rails:', refusalMessages(plan, printable)));
	const allowance = allowanceNote(plan);
	if (allowance) out.push('', s.bold(allowance));
	const changes = plan.actions.filter((action) => action.kind !== 'noop');
	if (meta.base) out.push(...baseBlock(s, plan, meta.base, changes));
	else out.push(...unitBlocks(s, changes, plan.stack));
	const others = resourceChanges(plan);
	for (const action of others) out.push('', ...resourceBlock(s, action));
	out.push('');
	if (changes.length === 0 && others.length === 0) out.push(s.bold(noChangesText(plan)));
	else if (changes.length === 0) out.push(s.bold(`Plan: ${resourceCountsText(plan)}.`));
	else {
		out.push(s.bold(`Plan: ${countsText(plan)}.`));
		const noops = noopCount(plan);
		if (noops > 0) out.push(`Unchanged: ${plural(noops, 'session')}.`);
		const absent = absentCount(plan);
		if (absent > 0) out.push(`Nothing to archive: ${absentText(absent)}.`);
	}
	out.push(...resourceSummaries(plan));
	const leftAlone = leftAloneText(plan);
	if (leftAlone) out.push(leftAlone);
	if (meta.hubCalls) out.push(hubCallsText(meta.hubCalls));
	if (meta.discovery) out.push(printable(meta.discovery));
	out.push(s.dim(`Fingerprint: ${shortFingerprint(plan.fingerprint)}`));
	return `${out.join('\n')}\n`;
}

/** With a base: the change's own actions first, then those pending without it. */
function baseBlock(
	s: Style,
	plan: Plan,
	base: BaseAttribution,
	changes: readonly Exclude<Action, { kind: 'noop' }>[]
): string[] {
	const split = changesByOrigin(plan, changes, base);
	const out = ['', s.dim(printable(baseSummaryText(base, split.change.length, split.base.length)))];
	if (base.note) out.push(s.warn(`! ${printable(base.note)}`));
	for (const [title, actions] of [
		[CHANGE_TITLE, split.change],
		[BASE_TITLE, split.base],
	] as const) {
		if (actions.length === 0) continue;
		out.push('', s.bold(`${title}:`), ...unitBlocks(s, actions, plan.stack));
	}
	return out;
}

function warningBlock(s: Style, title: string, messages: readonly string[]): string[] {
	if (messages.length === 0) return [];
	return ['', s.warn(title), ...messages.map((m) => `  ${s.warn('!')} ${m}`)];
}

function paintKind(s: Style, kind: ChangeKind, text: string): string {
	if (kind === 'create') return s.add(text);
	if (kind === 'update' || kind === 'adopt' || kind === 'forget') return s.change(text);
	if (kind === 'replace') return text.replace('-', s.remove('-')).replace('+', s.add('+'));
	return s.remove(text);
}

function unitBlocks(
	s: Style,
	changes: readonly Exclude<Action, { kind: 'noop' }>[],
	stack: string
): string[] {
	return planUnits(changes).flatMap((unit) => [
		'',
		...(unit.type === 'single' ? actionBlock(s, unit.action, stack) : groupBlock(s, unit)),
	]);
}

function groupBlock(s: Style, group: TemplateGroup): string[] {
	const symbol = paintKind(s, group.kind, SYMBOL[group.kind].padStart(3));
	const verb = paintKind(s, group.kind, group.kind.padEnd(8));
	const what = `${plural(group.actions.length, 'session')} from template ${printable(group.template)}`;
	const lines = [`${symbol} ${verb} ${s.bold(what)}`];
	if (group.forced) lines.push(s.dim(`${FIELD}# ${group.forced}`));
	if (group.reason) lines.push(s.dim(`${FIELD}# ${printable(group.reason)}`));
	for (const detail of group.shared) lines.push(...detailLines(s, detail));
	const head = [
		'key',
		...(group.kind !== 'create' ? ['session'] : []),
		...group.columns.map((c) => c.name),
	];
	const rows = group.actions.map((action, index) => [
		printable(action.key),
		...(action.kind !== 'create'
			? [`${printable(action.live.id)} ${quote(action.live.label)}`]
			: []),
		...group.columns.map((column) => column.cells[index] ?? ''),
	]);
	const widths = head.map((_, i) => Math.max(...[head, ...rows].map((row) => row[i]?.length ?? 0)));
	const aligned = (row: readonly string[]): string =>
		`${LINE}${row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ')}`.trimEnd();
	lines.push(s.dim(`${FIELD}per key:`), s.dim(aligned(head)), ...rows.map(aligned));
	return lines;
}

function actionBlock(s: Style, action: Exclude<Action, { kind: 'noop' }>, stack: string): string[] {
	const symbol = paintKind(s, action.kind, SYMBOL[action.kind].padStart(3));
	const verb = paintKind(s, action.kind, action.kind.padEnd(8));
	let head = `${symbol} ${verb} ${s.bold(printable(action.key))}`;
	if (action.kind !== 'create')
		head += `  ${printable(action.live.id)} ${quote(action.live.label)}`;
	if (action.kind === 'dedupe') head += ` (keeps ${printable(action.keep)})`;
	const lines = [head];
	if (action.kind === 'replace')
		lines.push(s.dim(`${FIELD}# ${forcedText(action.forcedBy, action.requested)}`));
	if (action.reason) lines.push(s.dim(`${FIELD}# ${printable(action.reason)}`));
	if (action.kind === 'forget')
		lines.push(s.dim(`${FIELD}# ${printable(forgetText(action.markers))}`));
	if (action.kind === 'adopt') {
		lines.push(s.dim(`${FIELD}# ${printable(adoptText(stack, action.key))}`));
		if (action.staysProtected) lines.push(s.dim(`${FIELD}# ${STAYS_PROTECTED_TEXT}`));
	}
	for (const detail of actionDetails(action)) lines.push(...detailLines(s, detail));
	return lines;
}

/** An action on another kind, shown as a session's: `~ update and publish agents.r (agent)  agt_1`. */
function resourceBlock(s: Style, action: ResourceChange): string[] {
	const symbol = paintKind(s, action.kind, RESOURCE_SYMBOL[action.kind].padStart(3));
	const verb = paintKind(s, action.kind, printable(verbOf(action)).padEnd(8));
	let head = `${symbol} ${verb} ${s.bold(printable(action.qualifiedKey))} (${printable(action.resource)})`;
	if (action.id !== undefined) head += `  ${printable(action.id)}`;
	if (action.keeps !== undefined) head += ` (keeps ${printable(action.keeps)})`;
	const lines = [head];
	if (action.reason) lines.push(s.dim(`${FIELD}# ${printable(action.reason)}`));
	const depends = dependsOnText(action);
	if (depends) lines.push(s.dim(`${FIELD}# ${depends}`));
	for (const detail of resourceDetails(action)) lines.push(...detailLines(s, detail));
	return lines;
}

function sign(s: Style, mark: '+' | '-' | '~'): string {
	return mark === '+' ? s.add(mark) : mark === '-' ? s.remove(mark) : s.change(mark);
}

const noteText = (s: Style, note?: string): string => (note ? s.dim(`  # ${note}`) : '');
const becauseText = (s: Style, because?: string): string =>
	because ? s.dim(` (because ${because})`) : '';

function detailLines(s: Style, d: Detail): string[] {
	const lead = `${FIELD}${sign(s, d.type === 'set' ? '~' : d.sign)} ${d.path}:`;
	switch (d.type) {
		case 'value': {
			const why = becauseText(s, d.because);
			if (d.sign === '+') return [`${lead} ${d.after}${why}${noteText(s, d.note)}`];
			if (d.sign === '-') return [`${lead} ${d.before}${why}${noteText(s, d.note)}`];
			return [`${lead} ${d.before} -> ${d.after}${why}${noteText(s, d.note)}`];
		}
		case 'set': {
			const parts = [
				...d.added.map((v) => s.add(`+${v}`)),
				...d.removed.map((v) => s.remove(`-${v}`)),
			];
			return [`${lead} ${parts.join(' ')}${becauseText(s, d.because)}`];
		}
		case 'masked':
			return [`${lead} ${s.dim(d.text)}`];
		case 'lines':
			return [
				`${lead}${becauseText(s, d.because)}${noteText(s, d.note)}`,
				...d.lines.map((line) => diffLine(s, line, d.sign === '+')),
			];
	}
}

/** Lines of a created task carry no sign: the `+ task:` above says they are all new. */
function diffLine(s: Style, line: DiffLine, allNew: boolean): string {
	if (line.sign === '…') return s.dim(`${LINE}  … ${line.text}`);
	if (allNew) return s.add(`${LINE}  ${line.text}`.trimEnd());
	if (line.sign === '+') return s.add(`${LINE}+ ${line.text}`.trimEnd());
	if (line.sign === '-') return s.remove(`${LINE}- ${line.text}`.trimEnd());
	return `${LINE}  ${line.text}`.trimEnd();
}

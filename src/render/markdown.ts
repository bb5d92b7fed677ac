/**
 * The plan as a PR comment: summary and notes first, destructive actions first. Actions of one
 * kind from one template show as one block (template-groups.ts). A small plan shows every block
 * open; a larger one collapses each into a `<details>` block, and when the details do not fit
 * the budget the rest are still listed, one key each.
 */
import {
	resourceChanges,
	resourceCountsText,
	resourceSummaries,
	type ResourceChange,
} from './resource-actions.js';
import { resourceBlock, resourceListing } from './markdown-resource.js';
import type { BaseAttribution } from '../plan/origin.js';
import type { ChangeKind, Plan } from '../plan/types.js';
import { BASE_TITLE, baseSummaryText, CHANGE_TITLE, changesByOrigin } from './base-messages.js';
import { fullFingerprint } from './format.js';
import { actionBlock, type Change } from './markdown-action.js';
import { escapeMarkdown } from './markdown-escape.js';
import { filesText } from './files-text.js';
import { groupBlock } from './markdown-group.js';
import { compactListing, groupedListing } from './markdown-listing.js';
import { planUnits, unitActions, type PlanUnit } from './template-groups.js';
import {
	absentCount,
	absentText,
	countsText,
	allowanceNote,
	destroyText,
	refusalMessages,
	hubCallsText,
	leftAloneText,
	matchesText,
	noopCount,
} from './messages.js';
import type { PlanView } from './view.js';

export { escapeMarkdown } from './markdown-escape.js';

/** GitHub rejects comments over 65,536 characters; this leaves room for a bot's own wrapper. */
export const MARKDOWN_LIMIT = 60_000;

/** Plans with at most this many blocks (changes, or groups of them) show each open, when they fit. */
export const OPEN_ACTIONS_MAX = 10;

export interface MarkdownOptions {
	/** Characters the whole text may take; MARKDOWN_LIMIT unless given. */
	readonly limit?: number;
}

const REVIEW_ORDER: Record<ChangeKind, number> = {
	forget: -1,
	delete: 0,
	archive: 1,
	dedupe: 2,
	replace: 3,
	adopt: 4,
	update: 5,
	create: 6,
};

const code = (text: string): string => `<code>${escapeMarkdown(text)}</code>`;

export function renderMarkdown(view: PlanView, options: MarkdownOptions = {}): string {
	const limit = options.limit ?? MARKDOWN_LIMIT;
	const { plan } = view;
	// With --base, the change's own actions lead; those pending without it follow.
	const split = changesByOrigin(
		plan,
		plan.actions.filter((action): action is Change => action.kind !== 'noop'),
		view.meta.base
	);
	const changes = [...reviewOrder(split.change), ...reviewOrder(split.base)];
	// Grouped within each origin, so a group never spans the change and the base.
	const units = [...planUnits(reviewOrder(split.change)), ...planUnits(reviewOrder(split.base))];
	const titles = view.meta.base ? sectionTitles(split) : new Map<Change, string>();
	const block = (unit: PlanUnit, open: boolean): string => {
		const title = titles.get(unitActions(unit)[0] as Change);
		const body = unit.type === 'single' ? actionBlock(unit.action, open) : groupBlock(unit, open);
		return title ? `${title}\n\n${body}` : body;
	};
	const head = headSections(view, changes.length, limit);
	const tail = tailSections(view);
	const otherChanges = resourceChanges(plan);
	const othersLeftOut = leftOutLine(otherChanges.length, limit, view.meta.runUrl, 'each listed');
	// Listed one line each, the other kinds' actions take at most half the budget.
	const othersRoom = Math.floor(limit / 2);
	const page = (body: readonly string[], others: OthersShown = 'listed'): string => {
		const other = otherKinds(plan, otherChanges, others, othersLeftOut, othersRoom);
		return `${[...head, ...body, ...other, ...tail].join('\n\n')}\n`;
	};
	const fits = (text: string): boolean => text.length <= limit;

	if (units.length + otherChanges.length <= OPEN_ACTIONS_MAX) {
		const open = page(
			units.map((unit) => block(unit, true)),
			'open'
		);
		if (fits(open)) return open;
	}
	const blocks = units.map((unit) => block(unit, false));
	const collapsed = page(blocks, 'collapsed');
	if (fits(collapsed)) return collapsed;
	// The other kinds' details go first, each of their actions then on one line.
	const othersListed = page(blocks);
	if (units.length === 0 || fits(othersListed)) return othersListed;

	// The most details that fit, the rest one line each, or else one line per kind.
	const tiers = [
		{ how: 'each listed', list: (rest: readonly Change[]) => compactListing(rest) },
		{ how: 'listed by kind', list: (rest: readonly Change[]) => groupedListing(rest) },
	];
	for (const { how, list } of tiers) {
		const mixed = (shown: number): string => {
			const rest = units.slice(shown).flatMap(unitActions);
			return page([
				...blocks.slice(0, shown),
				leftOutLine(rest.length, limit, view.meta.runUrl, how),
				list(rest),
			]);
		};
		if (!fits(mixed(0))) continue;
		let low = 0;
		let high = units.length - 1;
		while (low < high) {
			const mid = Math.ceil((low + high) / 2);
			if (fits(mixed(mid))) low = mid;
			else high = mid - 1;
		}
		return mixed(low);
	}
	// Too many keys to name them all: as many as fit, and a count of the rest.
	const line = leftOutLine(changes.length, limit, view.meta.runUrl, 'listed by kind');
	const room = limit - page([line]).length - 2;
	return page([line, groupedListing(changes, room)]);
}

type OthersShown = 'open' | 'collapsed' | 'listed';

/**
 * The actions on other kinds, each as a session's block (open or collapsed) or, when the
 * comment is too long for their details, one line each; then each kind's summary.
 */
function otherKinds(
	plan: Plan,
	changes: readonly ResourceChange[],
	shown: OthersShown,
	leftOut: string,
	room: number
): string[] {
	const summaries = resourceSummaries(plan);
	if (changes.length === 0 && summaries.length === 0) return [];
	const actions =
		changes.length === 0
			? []
			: shown === 'listed'
				? [leftOut, resourceListing(changes, room)]
				: changes.map((action) => resourceBlock(action, shown === 'open'));
	const summary = summaries.length > 0 ? [summaries.map(escapeMarkdown).join('\n\n')] : [];
	return ['#### Other kinds', ...actions, ...summary];
}

function reviewOrder(actions: readonly Change[]): Change[] {
	return actions
		.map((action, index) => ({ action, index }))
		.sort((a, b) => REVIEW_ORDER[a.action.kind] - REVIEW_ORDER[b.action.kind] || a.index - b.index)
		.map(({ action }) => action);
}

/** The heading each origin's first action carries, so a heading never stands without its actions. */
function sectionTitles(split: { change: Change[]; base: Change[] }): Map<Change, string> {
	const titles = new Map<Change, string>();
	const [firstOwn] = reviewOrder(split.change);
	const [firstPending] = reviewOrder(split.base);
	if (firstOwn) titles.set(firstOwn, `#### ${CHANGE_TITLE}`);
	if (firstPending) titles.set(firstPending, `#### ${BASE_TITLE}`);
	return titles;
}

function leftOutLine(
	count: number,
	limit: number,
	runUrl: string | undefined,
	how: string
): string {
	const where = runUrl
		? 'the full plan is in the run linked above'
		: 'the full plan is in the output of the run that made this comment';
	const actions = `${count.toLocaleString('en-US')} ${count === 1 ? 'action' : 'actions'}`;
	return `_Details of ${actions} are left out to stay under ${limit.toLocaleString('en-US')} characters (${how} below); ${where}._`;
}

function headSections(view: PlanView, changeCount: number, limit: number): string[] {
	const { plan, meta } = view;
	const out = [`### coder-sessions plan: ${escapeMarkdown(plan.stack)}`];
	const files = filesText(meta.files, code);
	const from = files ? ` · ${files}` : '';
	const others = resourceCountsText(plan);
	if (changeCount === 0 && others === '') out.push(`**No changes.** ${matchesText(plan)}${from}`);
	else if (changeCount === 0) out.push(`**${escapeMarkdown(others)}** · no session changes${from}`);
	else {
		const absent = absentCount(plan);
		const none = absent > 0 ? ` · ${absentText(absent)}` : '';
		const besides = others !== '' ? ` · ${escapeMarkdown(others)}` : '';
		out.push(`**${countsText(plan)}**${besides} · ${noopCount(plan)} unchanged${none}${from}`);
	}
	if (plan.only.length > 0) out.push(`Only: ${plan.only.map(code).join(', ')}`);
	const destroy = destroyText(plan);
	if (destroy) out.push(`**${escapeMarkdown(destroy)}**`);
	if (meta.runUrl) out.push(`Full plan: ${meta.runUrl} (the run's step summary and artifacts)`);
	if (meta.base) out.push(...baseHead(plan, meta.base));
	// Notes and stale reasons take an eighth of the budget each; the actions keep the rest.
	const budget = Math.floor(limit / 8);
	const stale = boundedItems(meta.stale ?? [], budget, 'reasons');
	if (stale.length > 0) out.push(callout('Caution:', 'this saved plan is stale', stale));
	const hazards = refusalMessages(plan, code);
	if (hazards.length > 0) out.push(callout('Warning:', 'refused by safety rails', hazards));
	const allowance = allowanceNote(plan);
	if (allowance) out.push(`**${escapeMarkdown(allowance)}**`);
	const notes = boundedItems(meta.notes ?? [], budget, 'notes');
	if (notes.length > 0) out.push(['**Notes**', ...notes.map((n) => `- ${n}`)].join('\n'));
	return out;
}

/**
 * Escaped items within `budget` characters: a first one too long is cut, and those past the
 * budget are counted (the text output shows them all).
 */
function boundedItems(items: readonly string[], budget: number, what: string): string[] {
	const shown: string[] = [];
	let used = 0;
	for (const item of items) {
		let text = escapeMarkdown(item);
		// A character escapes to at most 10 (a hidden one as `&#92;u001b`): this many always fit.
		if (shown.length === 0 && text.length > budget)
			text = `${escapeMarkdown(item.slice(0, Math.floor(budget / 10)))}…`;
		if (used + text.length > budget) break;
		shown.push(text);
		used += text.length;
	}
	const left = items.length - shown.length;
	if (left > 0)
		shown.push(
			`_${left.toLocaleString('en-US')} more ${what} left out to keep this short; the text output shows them all._`
		);
	return shown;
}

function baseHead(plan: Plan, base: BaseAttribution): string[] {
	const changes = plan.actions.filter((action): action is Change => action.kind !== 'noop');
	const split = changesByOrigin(plan, changes, base);
	const out = [escapeMarkdown(baseSummaryText(base, split.change.length, split.base.length))];
	if (base.note) out.push(callout('Note:', 'base', [escapeMarkdown(base.note)]));
	return out;
}

/** A blockquote with a bold lead: reads as a warning on any markdown renderer. */
function callout(lead: string, title: string, items: readonly string[]): string {
	return [`> **${lead}** ${title}`, '>', ...items.map((item) => `> - ${item}`)].join('\n');
}

function tailSections(view: PlanView): string[] {
	const { plan, meta } = view;
	const notes = [
		leftAloneText(plan),
		meta.hubCalls ? hubCallsText(meta.hubCalls) : undefined,
		meta.discovery,
	];
	const line = notes.filter((n): n is string => n !== undefined).join(' ');
	return [
		...(line ? [escapeMarkdown(line)] : []),
		`Fingerprint: ${code(fullFingerprint(plan.fingerprint))}`,
	];
}

/**
 * Actions of one kind expanded from one template entry (forEach), seen as one group: the details
 * every action shares, once, and per key only what differs. The text and markdown plans render
 * a group as one block; a lone action, an action of a plain entry and every removal stay single.
 */
import type { Action } from '../plan/types.js';
import { actionDetails, type Detail } from './details.js';
import { printable, truncate } from './format.js';
import { forcedText } from './messages.js';
import type { DiffLine } from './text-diff.js';

type Change = Exclude<Action, { kind: 'noop' }>;

/**
 * The kinds a group may hold. Removals and adopts are never grouped: each stays its own block,
 * as prominent as a plan without templates shows it (a removal has no entry, hence no template).
 */
export type GroupedKind = 'create' | 'update' | 'replace';
export type GroupedChange = Extract<Change, { kind: GroupedKind }>;

/** What differs between the actions of a group: one cell per action, in the group's order. */
export interface GroupColumn {
	/** A detail's path (`label`, `metadata.owner`), or `reason`, `replaced`. */
	readonly name: string;
	/** One line each, safe as text (printable); empty where the action has no such detail. */
	readonly cells: readonly string[];
}

export interface TemplateGroup {
	readonly type: 'group';
	readonly template: string;
	readonly kind: GroupedKind;
	/** Two or more, in plan order. */
	readonly actions: readonly GroupedChange[];
	/** The reason every action gives, when they all give the same one. */
	readonly reason?: string;
	/** Replace: why every action replaces, when it is the same for all. */
	readonly forced?: string;
	/** Details every action shows alike; a multi-line one marks the lines that differ. */
	readonly shared: readonly Detail[];
	readonly columns: readonly GroupColumn[];
}

export type PlanUnit = { readonly type: 'single'; readonly action: Change } | TemplateGroup;

/** Where a line that differs per key stands in a shared multi-line detail. */
export const DIFFERS_PER_KEY = 'differs per key (below)';

/**
 * Stands for each key's item (`billing` of `shard.billing`) in a detail every action shares but
 * for its item: written as the spec writes it, so the shared line reads as the template does.
 */
export const EACH_KEY = '${each.key}';

/** The actions named by a list of units, in order. */
export const unitActions = (unit: PlanUnit): readonly Change[] =>
	unit.type === 'single' ? [unit.action] : unit.actions;

function templateOf(action: Change): string | undefined {
	if (action.kind !== 'create' && action.kind !== 'update' && action.kind !== 'replace')
		return undefined;
	return action.desired.template;
}

/**
 * The actions as units, in the order given: a group stands where its first action stood. A
 * template with one action of a kind leaves that action single, rendered as without templates.
 */
export function planUnits(changes: readonly Change[]): PlanUnit[] {
	const members = new Map<string, GroupedChange[]>();
	const groupKey = (action: Change): string | undefined => {
		const template = templateOf(action);
		return template === undefined ? undefined : `${action.kind}\u0000${template}`;
	};
	for (const action of changes) {
		const key = groupKey(action);
		if (key !== undefined) members.set(key, [...(members.get(key) ?? []), action as GroupedChange]);
	}
	const units: PlanUnit[] = [];
	const placed = new Set<string>();
	for (const action of changes) {
		const key = groupKey(action);
		const group = key === undefined ? undefined : members.get(key);
		if (key === undefined || group === undefined || group.length < 2) {
			units.push({ type: 'single', action });
			continue;
		}
		if (placed.has(key)) continue;
		placed.add(key);
		units.push(templateGroup(templateOf(action) as string, group));
	}
	return units;
}

function templateGroup(template: string, actions: readonly GroupedChange[]): TemplateGroup {
	const kind = actions[0]?.kind as GroupedKind;
	const columns: GroupColumn[] = [];
	const common = (texts: readonly string[]): string | undefined => {
		const [first] = texts;
		return texts.every((text) => text === first) ? first : undefined;
	};
	const reasons = actions.map((action) => action.reason);
	const reason = common(reasons);
	if (reason === undefined) columns.push({ name: 'reason', cells: reasons.map(cellText) });
	let forced: string | undefined;
	if (kind === 'replace') {
		const why = actions.map((action) =>
			action.kind === 'replace' ? forcedText(action.forcedBy, action.requested) : ''
		);
		forced = common(why);
		if (forced === undefined) columns.push({ name: 'replaced', cells: why.map(cellText) });
	}
	const itemsOf = actions.map((action) =>
		action.key.startsWith(`${template}.`) ? action.key.slice(template.length + 1) : undefined
	);
	const items = itemsOf.every((item) => item !== undefined && item !== '')
		? (itemsOf as string[])
		: undefined;
	const { shared, differing } = splitDetails(
		actions.map((action) => actionDetails(action)),
		items
	);
	return {
		type: 'group',
		template,
		kind,
		actions,
		...(reason !== undefined ? { reason } : {}),
		...(forced !== undefined ? { forced } : {}),
		shared,
		columns: [...columns, ...differing],
	};
}

const cellText = (text: string): string => truncate(printable(text));

/** Each action's details by path, the paths in order of first appearance. */
function byPath(lists: readonly (readonly Detail[])[]): {
	paths: string[];
	maps: Map<string, Detail>[];
} {
	const paths: string[] = [];
	const maps = lists.map((details) => {
		const map = new Map<string, Detail>();
		for (const detail of details) {
			let path = detail.path;
			for (let n = 2; map.has(path); n += 1) path = `${detail.path} (${n})`;
			map.set(path, detail);
			if (!paths.includes(path)) paths.push(path);
		}
		return map;
	});
	return { paths, maps };
}

function splitDetails(
	lists: readonly (readonly Detail[])[],
	items: readonly string[] | undefined
): {
	shared: Detail[];
	differing: GroupColumn[];
} {
	const { paths, maps } = byPath(lists);
	const shared: Detail[] = [];
	const differing: GroupColumn[] = [];
	for (const path of paths) {
		const details = maps.map((map) => map.get(path));
		const present = details.filter((d): d is Detail => d !== undefined);
		const same = present.every((d) => JSON.stringify(d) === JSON.stringify(present[0]));
		if (present.length === details.length && same) {
			shared.push(present[0] as Detail);
			continue;
		}
		const complete = present.length === details.length;
		const pattern = complete && items ? itemPattern(present, items) : undefined;
		if (pattern) {
			shared.push(pattern);
			continue;
		}
		const masked = complete ? maskedLines(present) : undefined;
		if (masked) {
			shared.push(masked.detail);
			differing.push({ name: path, cells: masked.cells });
			continue;
		}
		differing.push({ name: path, cells: details.map((d) => (d ? detailCell(d) : '')) });
	}
	return { shared, differing };
}

/**
 * One detail that differs only by each key's item, written once with EACH_KEY in its place; only
 * when putting each item back gives every action's detail exactly.
 */
function itemPattern(details: readonly Detail[], items: readonly string[]): Detail | undefined {
	const texts = details.map((detail) => JSON.stringify(detail));
	const [first] = texts;
	const [item] = items;
	if (first === undefined || item === undefined) return undefined;
	if (!first.includes(item) || first.includes(EACH_KEY)) return undefined;
	const parts = first.split(item);
	const exact = texts.every((text, i) => parts.join(items[i] as string) === text);
	return exact ? (JSON.parse(parts.join(EACH_KEY)) as Detail) : undefined;
}

/**
 * Multi-line details of equal length that share some lines (a task with `${each.key}` in one
 * line): the shared lines once, a mark where a line differs, and per key the lines that differ.
 */
function maskedLines(details: readonly Detail[]): { detail: Detail; cells: string[] } | undefined {
	const [first] = details;
	if (first?.type !== 'lines') return undefined;
	const all = details.filter((d): d is Extract<Detail, { type: 'lines' }> => d.type === 'lines');
	if (all.length !== details.length) return undefined;
	if (all.some((d) => d.sign !== first.sign || d.note !== first.note)) return undefined;
	if (all.some((d) => d.lines.length !== first.lines.length)) return undefined;
	const sameAt = first.lines.map((line, i) =>
		all.every((d) => d.lines[i]?.sign === line.sign && d.lines[i]?.text === line.text)
	);
	if (!sameAt.some(Boolean)) return undefined;
	const lines: DiffLine[] = first.lines.map((line, i) =>
		sameAt[i] ? line : { sign: '…', text: DIFFERS_PER_KEY }
	);
	const cells = all.map((d) =>
		truncate(
			d.lines
				.filter((_, i) => !sameAt[i])
				.map((line) => lineCell(line, d.sign === '+'))
				.join(' ⏎ ')
		)
	);
	return { detail: { ...first, lines }, cells };
}

/** A task line in a cell of one line: the tab its lines keep is escaped, as in any value. */
function lineCell(line: DiffLine, allNew: boolean): string {
	if (line.sign === '…') return `… ${line.text}`;
	const text = printable(line.text);
	return allNew || line.sign === ' ' ? text : `${line.sign} ${text}`;
}

/** A detail on one line: the value a create sets, `before -> after` for a change. */
export function detailCell(d: Detail): string {
	const note = 'note' in d && d.note ? ` (${d.note})` : '';
	switch (d.type) {
		case 'value':
			if (d.sign === '+') return `${d.after ?? ''}${note}`;
			if (d.sign === '-') return `removed (was ${d.before ?? ''})${note}`;
			return `${d.before ?? ''} -> ${d.after ?? ''}${note}`;
		case 'set':
			return [...d.added.map((v) => `+${v}`), ...d.removed.map((v) => `-${v}`)].join(' ');
		case 'masked':
			return d.text;
		case 'lines':
			return truncate(`${d.lines.map((l) => lineCell(l, d.sign === '+')).join(' ⏎ ')}${note}`);
	}
}

/**
 * The actions on the other kinds of the kind table, for the text, markdown and JSON plans: each
 * named by its qualified key (`agents.reviewer`) and its kind. Values are shown as JSON, truncated.
 */
import type { Plan, ResourceAction, ResourceActionKind } from '../plan/types.js';
import { printable, truncate } from './format.js';
import { escapeMarkdown } from './markdown-escape.js';
import { plural } from './format.js';

type ResourceChange = ResourceAction & { readonly kind: Exclude<ResourceActionKind, 'noop'> };

const SYMBOLS: Record<ResourceChange['kind'], string> = {
	create: '+',
	update: '~',
	replace: '-/+',
	delete: '-',
};

export function resourceChanges(plan: Pick<Plan, 'resources'>): ResourceChange[] {
	return (plan.resources?.actions ?? []).filter(
		(action): action is ResourceChange => action.kind !== 'noop'
	);
}

/**
 * The changes to other kinds in a few words, for a plan's head when no session changes:
 * `1 note to create, 2 notes to delete`.
 */
export function resourceCountsText(plan: Pick<Plan, 'resources'>): string {
	const counts = new Map<string, number>();
	for (const action of resourceChanges(plan)) {
		const what = `${action.resource}\u0000${action.kind}`;
		counts.set(what, (counts.get(what) ?? 0) + 1);
	}
	return [...counts]
		.map(([what, count]) => {
			const [resource, kind] = what.split('\u0000') as [string, string];
			return `${plural(count, printable(resource))} to ${kind}`;
		})
		.join(', ');
}

const shown = (value: unknown): string => printable(truncate(JSON.stringify(value) ?? 'null'));

/** One action's lines: its head, its reason, its fields. */
export function resourceLines(action: ResourceChange): { head: string; details: string[] } {
	const id = action.id ? `  ${printable(action.id)}` : '';
	const head = `${SYMBOLS[action.kind].padStart(3)} ${action.kind.padEnd(8)} ${printable(action.qualifiedKey)} (${printable(action.resource)})${id}`;
	const details = [`# ${printable(action.reason)}`];
	if (action.kind === 'create') {
		for (const [field, value] of Object.entries(action.desired ?? {}))
			details.push(`+ ${printable(field)}: ${shown(value)}`);
	}
	for (const change of action.changes ?? []) {
		const before = change.before === undefined ? '(unset)' : shown(change.before);
		details.push(`~ ${printable(change.field)}: ${before} -> ${shown(change.after)}`);
	}
	return { head, details };
}

/** Per kind with changes or records left alone: `notes: 1 to create, ...; 1 not of this stack left alone`. */
export function resourceSummaries(plan: Pick<Plan, 'resources'>): string[] {
	const resources = plan.resources;
	if (!resources) return [];
	const kinds = [
		...new Set([
			...resources.actions.map((action) => action.resource),
			...Object.keys(resources.notOwned),
		]),
	];
	return kinds.flatMap((kind) => {
		const actions = resources.actions.filter((action) => action.resource === kind);
		const count = (what: ResourceActionKind) => actions.filter((a) => a.kind === what).length;
		const notOwned = resources.notOwned[kind] ?? 0;
		const parts = [];
		if (actions.some((action) => action.kind !== 'noop'))
			parts.push(
				`${count('create')} to create, ${count('update')} to update, ${count('replace')} to replace, ${count('delete')} to delete`
			);
		else if (actions.length > 0) parts.push(`no changes (${count('noop')} unchanged)`);
		if (notOwned > 0) parts.push(`${plural(notOwned, 'record')} not of this stack left alone`);
		return parts.length > 0 ? [`${printable(kind)}: ${parts.join('; ')}.`] : [];
	});
}

/** The markdown section: a list of the actions with their details, and the summaries. */
export function resourceMarkdown(plan: Pick<Plan, 'resources'>): string[] {
	const changes = resourceChanges(plan);
	const summaries = resourceSummaries(plan);
	if (changes.length === 0 && summaries.length === 0) return [];
	const code = (text: string) => `<code>${escapeMarkdown(text)}</code>`;
	const items = changes.map((action) => {
		const { details } = resourceLines(action);
		return [
			`- **${action.kind}** ${code(action.qualifiedKey)} (${escapeMarkdown(action.resource)})`,
			...details.map((line) => `  - ${code(line)}`),
		].join('\n');
	});
	return [
		'#### Other kinds',
		...(items.length > 0 ? [items.join('\n')] : []),
		summaries.map(escapeMarkdown).join('\n\n'),
	];
}

/** The JSON of the actions: each with its `kind` (what is done) and `resource` (the kind of record). */
export function resourceJson(plan: Pick<Plan, 'resources'>) {
	const resources = plan.resources;
	if (!resources) return undefined;
	return {
		actions: resources.actions.map((action) => ({
			kind: action.kind,
			resource: action.resource,
			key: action.key,
			qualifiedKey: action.qualifiedKey,
			reason: action.reason,
			...(action.id !== undefined ? { id: action.id } : {}),
			...(action.forcedBy ? { forcedBy: [...action.forcedBy] } : {}),
			...(action.changes ? { changes: action.changes.map((change) => ({ ...change })) } : {}),
			...(action.desired ? { desired: { ...action.desired } } : {}),
			...(action.dependsOn ? { dependsOn: [...action.dependsOn] } : {}),
			...(action.keeps !== undefined ? { keeps: action.keeps } : {}),
		})),
		managed: { ...resources.managed },
		notOwned: { ...resources.notOwned },
	};
}

/**
 * The actions on the other kinds of the kind table, for the text, markdown and JSON plans: each
 * named by its qualified key (`agents.reviewer`), its kind, and what the Hub does (`verb`).
 */
import type {
	Json,
	Plan,
	ResourceAction,
	ResourceActionKind,
	ResourceFieldChange,
} from '../plan/types.js';
import { plural, printable } from './format.js';

export type ResourceChange = ResourceAction & {
	readonly kind: Exclude<ResourceActionKind, 'noop'>;
};

export const RESOURCE_SYMBOL: Record<ResourceChange['kind'], string> = {
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

/** What the Hub does: the kind's own words (`update and publish`, `archive`) when it has them. */
export function verbOf(action: Pick<ResourceAction, 'kind' | 'verb'>): string {
	return action.verb ?? action.kind;
}

/** Counts by a label, in the order each label first comes. */
function countBy<T>(items: readonly T[], label: (item: T) => string): [string, number][] {
	const counts = new Map<string, number>();
	for (const item of items) counts.set(label(item), (counts.get(label(item)) ?? 0) + 1);
	return [...counts];
}

/**
 * The changes to other kinds in a few words, for a plan's head when no session changes:
 * `1 agent to update and publish, 1 skillBucket to replace`.
 */
export function resourceCountsText(plan: Pick<Plan, 'resources'>): string {
	const actions = resourceChanges(plan);
	const counts = new Map<string, { action: ResourceChange; count: number }>();
	for (const action of actions) {
		const what = `${action.resource}\u0000${verbOf(action)}`;
		counts.set(what, { action, count: (counts.get(what)?.count ?? 0) + 1 });
	}
	return [...counts.values()]
		.map(
			({ action, count }) =>
				`${plural(count, printable(action.resource))} to ${printable(verbOf(action))}`
		)
		.join(', ');
}

/** `depends on notes.a and pins.b`: the entries whose actions must succeed first. */
export function dependsOnText(action: ResourceAction): string | undefined {
	const keys = action.dependsOn ?? [];
	if (keys.length === 0) return undefined;
	return `depends on ${keys.map(printable).join(', ')}`;
}

/**
 * Per kind with changes or records left alone, each verb it plans named:
 * `agent: 1 to create, 1 to update and publish; 1 record not of this stack left alone.`
 */
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
		const changes = actions.filter((action) => action.kind !== 'noop');
		const noops = actions.length - changes.length;
		const notOwned = resources.notOwned[kind] ?? 0;
		const parts = [];
		if (changes.length > 0) {
			const verbs = countBy(changes, verbOf).map(
				([verb, count]) => `${count} to ${printable(verb)}`
			);
			parts.push([...verbs, ...(noops > 0 ? [`${noops} unchanged`] : [])].join(', '));
		} else if (actions.length > 0) parts.push(`no changes (${noops} unchanged)`);
		if (notOwned > 0) parts.push(`${plural(notOwned, 'record')} not of this stack left alone`);
		return parts.length > 0 ? [`${printable(kind)}: ${parts.join('; ')}.`] : [];
	});
}

/** One field's change in the JSON plan, copied field by field. */
export interface PlanJsonResourceChangeV1 {
	readonly field: string;
	readonly before?: Json;
	readonly after?: Json;
	/** A reference whose record is new: `skillBucket docs-kit is replaced`. */
	readonly because?: string;
	/** How plans show the field (`text`, `value`, `list`, `lines`, ...). */
	readonly render?: string;
}

export interface PlanJsonResourceActionV1 {
	/** What is done: create, update, replace, delete or noop; programs branch on it. */
	readonly kind: ResourceActionKind;
	/** The kind of record (`agent`). */
	readonly resource: string;
	readonly key: string;
	readonly qualifiedKey: string;
	/** What the Hub does, in the kind's words (`update and publish`, `archive`), else `kind`. */
	readonly verb: string;
	/** For people; programs should branch on `kind`. */
	readonly reason: string;
	readonly id?: string;
	readonly forcedBy?: readonly string[];
	readonly changes?: readonly PlanJsonResourceChangeV1[];
	readonly desired?: Readonly<Record<string, Json>>;
	/** The qualified keys of the entries whose actions must succeed first. */
	readonly dependsOn?: readonly string[];
	/** Delete of a key's spare record: the id of the record that stays. */
	readonly keeps?: string;
}

export interface PlanJsonResourcesV1 {
	readonly actions: readonly PlanJsonResourceActionV1[];
	readonly managed: Readonly<Record<string, number>>;
	readonly notOwned: Readonly<Record<string, number>>;
}

function resourceChangeJson(change: ResourceFieldChange): PlanJsonResourceChangeV1 {
	return {
		field: change.field,
		...(change.before !== undefined ? { before: change.before } : {}),
		...(change.after !== undefined ? { after: change.after } : {}),
		...(change.because !== undefined ? { because: change.because } : {}),
		...(change.render !== undefined ? { render: change.render } : {}),
	};
}

/** The JSON of the actions: each with its `kind` (what is done) and `resource` (the kind of record). */
export function resourceJson(plan: Pick<Plan, 'resources'>): PlanJsonResourcesV1 | undefined {
	const resources = plan.resources;
	if (!resources) return undefined;
	return {
		actions: resources.actions.map((action) => ({
			kind: action.kind,
			resource: action.resource,
			key: action.key,
			qualifiedKey: action.qualifiedKey,
			verb: verbOf(action),
			reason: action.reason,
			...(action.id !== undefined ? { id: action.id } : {}),
			...(action.forcedBy ? { forcedBy: [...action.forcedBy] } : {}),
			...(action.changes ? { changes: action.changes.map(resourceChangeJson) } : {}),
			...(action.desired ? { desired: { ...action.desired } } : {}),
			...(action.dependsOn ? { dependsOn: [...action.dependsOn] } : {}),
			...(action.keeps !== undefined ? { keeps: action.keeps } : {}),
		})),
		managed: { ...resources.managed },
		notOwned: { ...resources.notOwned },
	};
}

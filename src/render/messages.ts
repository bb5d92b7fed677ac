/** Sentences shared by the text and markdown renderers, so both say the same thing. */
import type { HubCallCounts } from '../hub/types.js';
import {
	summarize,
	type Action,
	type ChangeKind,
	type Hazard,
	type Plan,
	type RemovalCounts,
} from '../plan/types.js';
import { isLiftable, protectedRemovals, refusedHazards } from '../plan/safety.js';
import { listText, plural } from './format.js';
import { replaceWhys, type FieldName } from '../kinds/session/fields/index.js';

/**
 * Archive gets `>` ("moved to history") rather than Terraform's `-`, which here means delete:
 * archiving is not destroying. Dedupe archives extras, marked `x` so it reads apart from both.
 * Adopt is `<=`, "taken in": nothing is created (`+` would say otherwise), an existing session
 * is brought under the stack, the way Terraform marks a read of something that already exists.
 * Forget is `/`: the session is cut loose from the stack, neither removed nor changed.
 */
export const SYMBOL: Record<ChangeKind, string> = {
	create: '+',
	adopt: '<=',
	update: '~',
	replace: '-/+',
	dedupe: 'x',
	archive: '>',
	delete: '-',
	forget: '/',
};

/** Keys named in one hazard line before the rest are counted. */
const MAX_KEYS = 10;

/** `2 to create, 1 to update, 1 to replace, 0 to archive, 0 to delete`; adopt and dedupe only when non-zero. */
export function countsText(plan: Plan): string {
	const s = summarize(plan);
	const parts = [
		`${s.create} to create`,
		`${s.update} to update`,
		`${s.replace} to replace`,
		`${s.archive} to archive`,
		`${s.delete} to delete`,
	];
	if (s.adopt > 0) parts.splice(1, 0, `${s.adopt} to adopt`);
	if (s.dedupe > 0) parts.push(`${s.dedupe} to dedupe`);
	if (s.forget > 0) parts.push(`${s.forget} to forget`);
	return parts.join(', ');
}

/** The line a `--destroy` plan leads with; undefined for any other plan. */
export function destroyText(plan: Plan): string | undefined {
	if (!plan.destroy) return undefined;
	const scope =
		plan.only.length > 0
			? 'every active session of the keys given'
			: 'every active session of the stack';
	// Sessions are only ever archived; the stack's records of other kinds go by their own verbs.
	const removesOtherKinds = (plan.resources?.actions ?? []).some(
		(action) => action.kind === 'delete'
	);
	return removesOtherKinds
		? `Destroy: ${scope} is archived and the stack's records of other kinds removed, whatever the spec declares.`
		: `Destroy: ${scope} is archived, whatever the spec declares; nothing is deleted.`;
}

/** Sessions the plan leaves as they are. */
export function noopCount(plan: Plan): number {
	return plan.actions.filter((action) => action.kind === 'noop' && action.live).length;
}

/** Entries that want no active session (archived, unmanaged) and have none: no session to count. */
export function absentCount(plan: Plan): number {
	return plan.actions.filter((action) => action.kind === 'noop' && !action.live).length;
}

/** `1 entry wants no active session and has none`. */
export function absentText(count: number): string {
	return count === 1
		? '1 entry wants no active session and has none'
		: `${count} entries want no active session and have none`;
}

export function matchesText(plan: Plan): string {
	const sessions = noopCount(plan);
	const absent = absentCount(plan);
	const parts = [
		...(sessions > 0 || absent === 0 ? [plural(sessions, 'session')] : []),
		...(absent > 0 ? [absentText(absent)] : []),
	];
	return `The Hub matches the spec (${parts.join('; ')}).`;
}

export function noChangesText(plan: Plan): string {
	return `No changes. ${matchesText(plan)}`;
}

/** Undefined when the stack is alone on the Hub. */
export function leftAloneText(plan: Plan): string | undefined {
	const { otherStacks, unmanaged } = plan.counts;
	const spawned = plan.counts.spawned ?? 0;
	const total = otherStacks + unmanaged + spawned;
	if (total === 0) return undefined;
	const parts = [
		`${otherStacks} of other stacks`,
		`${unmanaged} unmarked`,
		...(spawned > 0
			? [
					`${spawned} spawned by the Hub as workers or derived sessions of others, which no stack manages`,
				]
			: []),
	];
	return `Left alone: ${plural(total, 'session')} not managed by this stack (${parts.join(', ')}).`;
}

/** `2 list, 120 get`, then any other call kind that was made. */
export function hubCallsText(calls: HubCallCounts): string {
	const parts = [`${calls.list} list`, `${calls.get} get`];
	for (const kind of ['create', 'update', 'archive', 'delete', 'other'] as const) {
		if (calls[kind] > 0) parts.push(`${calls[kind]} ${kind}`);
	}
	return `Hub calls: ${parts.join(', ')}.`;
}

/** What a forget writes, and what it leaves. */
export function forgetText(markers: readonly string[]): string {
	return `empties ${markers.length > 0 ? listText([...markers]) : 'no marker'}; the session keeps running, unmanaged`;
}

/** What an adopt writes besides its field changes. */
export function adoptText(stack: string, key: string): string {
	return `writes the markers of stack ${stack}, key ${key}, in the same update`;
}

/** Why an adopt leaves a protected session protected though its entry does not say so. */
export const STAYS_PROTECTED_TEXT =
	'stays protected: it is protected on the Hub; unprotect it in a separate change';

/**
 * `task and env changed: a new session is created, then the old one archived`, and why when the
 * field table says (`(workflowMode: the Hub's documented update (PATCH) takes ...)`).
 */
export function forcedText(forcedBy: readonly FieldName[], requested = false): string {
	const then = 'a new session is created, then the old one archived';
	if (forcedBy.length === 0 && requested) return then;
	const fields = forcedBy.length > 0 ? listText([...forcedBy]) : 'a create-time field';
	const whys = replaceWhys(forcedBy);
	return `${fields} changed: ${then}${whys.length > 0 ? ` (${whys.join('; ')})` : ''}`;
}

/** How a renderer shows a session key: keys read from the Hub are not trusted text. */
export type KeyFormat = (key: string) => string;

function keysText(keys: readonly string[], fmt: KeyFormat): string {
	const shown = keys.slice(0, MAX_KEYS).map(fmt);
	if (keys.length <= MAX_KEYS) return listText(shown);
	return `${shown.join(', ')} and ${keys.length - MAX_KEYS} more`;
}

const PROTECTED_VERB: Record<Action['kind'], string> = {
	create: 'removed',
	adopt: 'removed',
	update: 'removed',
	noop: 'removed',
	replace: 'replaced (its old session archived)',
	dedupe: 'archived as a duplicate',
	archive: 'archived',
	delete: 'deleted',
	forget: 'removed',
};

function protectedMessages(keys: readonly string[], plan: Plan, fmt: KeyFormat): string[] {
	const removals = protectedRemovals(plan.actions);
	const byVerb = new Map<string, string[]>();
	const others: string[] = [];
	for (const key of keys) {
		const resource = plan.resources?.actions.find(
			(a) => a.qualifiedKey === key && (a.kind === 'delete' || a.kind === 'replace')
		);
		if (resource) {
			others.push(
				`Protected ${resource.resource} ${fmt(key)} would be ${resource.kind === 'replace' ? 'replaced (its record deleted)' : 'deleted'}; first apply its entry with \`protect: false\` (add the entry back if it was removed).`
			);
			continue;
		}
		const action =
			removals.find((a) => a.key === key && a.kind !== 'dedupe') ??
			removals.find((a) => a.key === key) ??
			plan.actions.find((a) => a.key === key && a.kind !== 'noop');
		const verb = PROTECTED_VERB[action?.kind ?? 'noop'];
		byVerb.set(verb, [...(byVerb.get(verb) ?? []), key]);
	}
	return [
		...[...byVerb].map(([verb, group]) =>
			group.length === 1
				? `Protected session ${fmt(group[0] ?? '')} would be ${verb}; first apply its entry with \`protect: false\` (add the entry back if it was removed).`
				: `Protected sessions ${keysText(group, fmt)} would be ${verb}; first apply their entries with \`protect: false\` (add them back if they were removed).`
		),
		...others,
	];
}

const REMOVAL_KINDS: readonly (keyof RemovalCounts)[] = ['archive', 'delete', 'replace'];

/**
 * `10 removals (2 archives, 8 replaces)`: the kinds that occur. A hazard saved by an older
 * version has no kinds: the count alone then.
 */
export function removalsText(total: number, byKind: RemovalCounts | undefined): string {
	const kinds = REMOVAL_KINDS.filter((kind) => (byKind?.[kind] ?? 0) > 0).map((kind) =>
		plural(byKind?.[kind] ?? 0, kind)
	);
	const head = plural(total, 'removal');
	return kinds.length > 0 ? `${head} (${kinds.join(', ')})` : head;
}

/**
 * `3 removals (1 archive, 2 deletes; 1 session, 2 notes)`: with the resource kinds that go, when
 * other kinds than sessions do.
 */
function removalsByResourceText(
	total: number,
	byKind: RemovalCounts | undefined,
	byResource: Readonly<Record<string, number>> | undefined
): string {
	const text = removalsText(total, byKind);
	const kinds = Object.entries(byResource ?? {})
		.filter(([, count]) => count > 0)
		.map(([kind, count]) => plural(count, kind));
	if (kinds.length === 0) return text;
	return text.endsWith(')')
		? `${text.slice(0, -1)}; ${kinds.join(', ')})`
		: `${text} (${kinds.join(', ')})`;
}

/** What the rails call the stack's records: sessions alone, or records of every kind. */
const managedNoun = (byResource: Readonly<Record<string, number>> | undefined) =>
	byResource && Object.keys(byResource).length > 0 ? 'managed record' : 'managed session';

/** One sentence per problem, each saying what to do about it. */
export function hazardMessages(plan: Plan, fmt: KeyFormat): string[] {
	return plan.hazards.flatMap((hazard: Hazard) => {
		switch (hazard.kind) {
			case 'protected':
				return protectedMessages(hazard.keys, plan, fmt);
			case 'bulk-removal':
				return [
					`This plan makes ${removalsByResourceText(hazard.removals, hazard.byKind, hazard.byResource)} of ${plural(hazard.managed, managedNoun(hazard.byResource))}, over ${hazard.thresholdPct}%; apply refuses unless --allow-removals ${hazard.removals}.`,
				];
			case 'empty-spec':
				return [
					Object.values(plan.resources?.managed ?? {}).some((count) => count > 0)
						? `The spec declares no entries but the stack has ${plural(hazard.managed, 'record')}; apply refuses unless --allow-removals ${plan.removals}.`
						: `The spec declares no sessions but the stack has ${hazard.managed}; apply refuses unless --allow-removals ${plan.removals}.`,
				];
			case 'destroy':
				return [
					hazard.byResource && Object.keys(hazard.byResource).length > 0
						? `This plan destroys stack ${fmt(plan.stack)}: it removes ${removalsByResourceText(hazard.removals, undefined, hazard.byResource).replace('removal', 'record')}; apply refuses unless --allow-removals ${hazard.removals}.`
						: `This plan destroys stack ${fmt(plan.stack)}: it archives ${plural(hazard.removals, 'active session')}; apply refuses unless --allow-removals ${hazard.removals}.`,
				];
			case 'foreign-owner':
				return hazard.sessions.map(
					(s) =>
						`Session ${fmt(s.sessionId)} (entry ${fmt(s.key)}) belongs to stack ${fmt(s.stack)}; re-run with --take-over to adopt it.`
				);
		}
	});
}

/**
 * What apply would refuse this plan for, one sentence each: the hazards the allowed count (the
 * spec's `allowRemovals`, or `--allow-removals`) does not lift, and how to lift the ones it can.
 */
export function refusalMessages(
	plan: Plan,
	fmt: KeyFormat,
	allowRemovals: number | undefined = plan.allowRemovals
): string[] {
	const refused = refusedHazards(plan, allowRemovals);
	const messages = hazardMessages({ ...plan, hazards: refused }, fmt);
	if (refused.some((hazard) => hazard.kind === 'foreign-owner')) {
		messages.push(
			'To take a session over from the pull request instead, set `takeOver: true` next to its `adopt:`.'
		);
	}
	if (!refused.some(isLiftable)) return messages;
	const count = plan.removals;
	if (allowRemovals === undefined) {
		messages.push(
			`To let exactly these removals pass from the pull request, set \`allowRemovals: ${count}\` in the spec.`
		);
	} else {
		messages.push(
			`The count allowed is ${allowRemovals} but this plan makes ${plural(count, 'removal')}; review them, then allow exactly ${count} (\`allowRemovals: ${count}\` in the spec).`
		);
	}
	return messages;
}

/** A line for the spec's `allowRemovals` when it is set and does not refuse the plan. */
export function allowanceNote(plan: Plan): string | undefined {
	const allowed = plan.allowRemovals;
	if (allowed === undefined) return undefined;
	const head = `The spec allows ${plural(allowed, 'removal')} (allowRemovals: ${allowed})`;
	const liftable = plan.hazards.filter(isLiftable);
	if (liftable.length === 0) {
		return `${head}; this plan makes ${plan.removals}, within the safety rails: remove allowRemovals once the removals it was set for are applied.`;
	}
	if (allowed !== plan.removals) return undefined;
	return `${head}: exactly this plan's removals pass the ${liftable[0]?.kind ?? 'bulk-removal'} safety rail.`;
}

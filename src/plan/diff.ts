/**
 * planSessions: the set diff between the spec and the live sessions of its stack. Pure: the same
 * spec and live sessions always give the same plan.
 */
import type { DesiredSession, Spec } from '../kinds/session/desired.js';
import type { IdKind } from '../kinds/id-kind.js';
import { countAdopted, findAdoptTargets, planAdoption, type AdoptTarget } from './adopt.js';
import { type EnvValueHashes } from './compare.js';
import { priorState, sessionComparer, type CompareSession } from './prior.js';
import { REPLACE_FIELDS, replaceWhys, type FieldName } from '../kinds/session/fields/index.js';
import { fingerprintOf, type PlannedHub } from './fingerprint.js';
import { liveRef } from './live-ref.js';
import {
	compareText,
	keptSession,
	keyGroups,
	ownershipCounts,
	type KeyGroup,
} from '../ownership/key-groups.js';
import { MARKER } from '../ownership/markers.js';
import { stampAfterUpdate } from '../ownership/next-stamp.js';
import { planDestroy } from './destroy.js';
import { planForget } from './forget.js';
import { planRemoved } from './removed.js';
import { assessHazards, countRemovals, totalRemovals } from './safety.js';
import {
	ACTION_ORDER,
	type Action,
	type PlanWithPrior,
	type ResourcePlan,
	fieldsOf,
} from './types.js';
import { managedResources, protectedResourceRemovals, resourceRemovals } from './kinds.js';
import type { LiveSession } from '../kinds/session/live.js';

export interface PlanOptions {
	/** Plan only these keys (`--only`); empty plans every key. */
	readonly only?: readonly string[];
	/**
	 * Per live session id: hashes of the env values resolved now, salted with that session's own
	 * stamp (duplicates of one key each carry their own salt). See compareSession.
	 */
	readonly envValueHashesBySession?: Readonly<Record<string, EnvValueHashes>>;
	/** `--take-over`: `adopt:` may name a session of another stack. */
	readonly takeOver?: boolean;
	/** `--replace`: entry keys whose active session is recreated even when nothing forces it. */
	readonly replace?: readonly string[];
	/** `--destroy`: archive every active session of the stack (within `only`). */
	readonly destroy?: boolean;
	/** The Hub the live sessions were read from: the fingerprint covers it. */
	readonly hub?: PlannedHub;
	/**
	 * The actions on the other kinds of the kind table (planResources): carried by the plan,
	 * covered by its fingerprint, their deletes weighed by the removal rails with the sessions'.
	 */
	readonly resources?: ResourcePlan;
	/**
	 * Plan an `adopt:` that names a session it cannot adopt as if it named none, instead of
	 * refusing the whole plan: drift and status show the stack as it is, and leave that
	 * refusal to plan.
	 */
	readonly leaveAdoptProblems?: boolean;
	/** The kind of a record of another kind with this id, for `adopt:`'s errors. */
	readonly kindOfId?: (id: string) => IdKind | undefined;
}

/** The env value hashes to compare one live session with. */
type HashesFor = (session: LiveSession) => EnvValueHashes | undefined;

export function planSessions(
	spec: Spec,
	live: readonly LiveSession[],
	options: PlanOptions = {}
): PlanWithPrior {
	const groups = keyGroups(spec.stack, live);
	const counts = ownershipCounts(spec.stack, live);
	const only = new Set(options.only ?? []);
	const replace = new Set(options.replace ?? []);
	const inScope = (key: string) => only.size === 0 || only.has(key);
	const destroy = options.destroy === true;
	const compare = sessionComparer((session) => options.envValueHashesBySession?.[session.id]);
	const { actions, adoptions } = destroy
		? { actions: planDestroy(groups, inScope), adoptions: new Map<string, AdoptTarget>() }
		: planSpec(spec, live, groups, inScope, options, replace, compare);

	const sorted = actions.sort(
		(a, b) =>
			ACTION_ORDER[a.kind] - ACTION_ORDER[b.kind] ||
			compareText(a.key, b.key) ||
			compareText(idOf(a), idOf(b))
	);
	// The rails weigh active sessions only, on both sides of the ratio: archived ones are history.
	// A replace of an adopted session counts, though that session is not yet the stack's: adopting
	// must never make room for more removals.
	const archivedIds = new Set(live.filter((s) => s.archived).map((s) => s.id));
	const sessionRemovals = countRemovals(sorted, (id) => archivedIds.has(id));
	const resources = options.resources;
	const others = resources ? resourceRemovals(resources) : undefined;
	const removalsByKind = others
		? {
				...sessionRemovals,
				delete: sessionRemovals.delete + others.delete,
				replace: sessionRemovals.replace + others.replace,
			}
		: sessionRemovals;
	const activeManaged =
		live.filter((s) => !s.archived && s.metadata[MARKER.stack] === spec.stack).length +
		managedResources(resources);
	const hazards = assessHazards({
		actions: sorted,
		removals: removalsByKind,
		managed: activeManaged,
		declared: spec.sessions.length + (spec.resources?.length ?? 0),
		takeOver: options.takeOver === true,
		destroy,
		...(others
			? { byResource: withSessions(totalRemovals(sessionRemovals), others.byResource) }
			: {}),
		protectedResources: protectedResourceRemovals(resources),
	});
	return {
		stack: spec.stack,
		prune: spec.prune,
		actions: sorted,
		hazards,
		removals: totalRemovals(removalsByKind),
		removalsByKind,
		counts: countAdopted(counts, adoptions),
		fingerprint: fingerprintOf(spec.stack, sorted, options.hub, resources?.actions),
		only: [...only].sort(),
		...(options.takeOver ? { takeOver: true } : {}),
		...(replace.size > 0 ? { replace: [...replace].sort() } : {}),
		...(destroy ? { destroy: true as const } : {}),
		...(spec.allowRemovals !== undefined ? { allowRemovals: spec.allowRemovals } : {}),
		...(resources ? { resources } : {}),
		prior: priorState(spec, groups, inScope, compare),
	};
}

/** The actions that bring the stack to the spec, and the adopt targets they use. */
function planSpec(
	spec: Spec,
	live: readonly LiveSession[],
	groups: ReadonlyMap<string, KeyGroup>,
	inScope: (key: string) => boolean,
	options: PlanOptions,
	replace: ReadonlySet<string>,
	compare: CompareSession
): { actions: Action[]; adoptions: Map<string, AdoptTarget> } {
	const actions: Action[] = [];
	const declared = new Set(spec.sessions.map((desired) => desired.key));
	const hashesFor: HashesFor = (session) => options.envValueHashesBySession?.[session.id];
	const adoptions = findAdoptTargets(
		spec.stack,
		spec.sessions.filter((desired) => inScope(desired.key)),
		live,
		(key) => (groups.get(key)?.active.length ?? 0) === 0,
		options.leaveAdoptProblems !== true,
		options.kindOfId
	);
	for (const desired of spec.sessions) {
		if (!inScope(desired.key)) continue;
		const group = groups.get(desired.key);
		actions.push(
			...planDeclared(
				desired,
				group,
				hashesFor,
				adoptions.get(desired.key),
				replace.has(desired.key),
				compare
			)
		);
	}
	for (const [key, group] of groups) {
		if (declared.has(key) || !inScope(key)) continue;
		actions.push(...planRemoved(key, group, spec.prune));
	}
	return { actions, adoptions };
}

export const REPLACE_REQUESTED = 'replace requested (--replace)';

/** Statuses of a session that ended without being archived: the plan replaces it all the same. */
const ENDED_STATUSES = new Set(['shutdown', 'stopped', 'failed', 'error']);

function planDeclared(
	desired: DesiredSession,
	group: KeyGroup | undefined,
	hashesFor: HashesFor,
	adoption: AdoptTarget | undefined,
	replaceRequested: boolean,
	compare: CompareSession
): Action[] {
	const key = desired.key;
	if (desired.state === 'unmanaged') return planForget(key, group);
	if (adoption) return [planAdoption(desired, adoption, hashesFor(adoption.session))];
	if (!group) {
		if (desired.state === 'archived')
			return [{ kind: 'noop', key, reason: 'declared archived; no live session' }];
		return [{ kind: 'create', key, desired, reason: 'not on the Hub' }];
	}
	const primary = keptSession(group.active) ?? group.latest;
	// Most keys have one session, the one kept: nothing to dedupe.
	const dedupes: Action[] =
		group.active.length <= 1
			? []
			: group.active
					.filter((session) => session !== primary)
					.map((extra): Action => ({
						kind: 'dedupe',
						key,
						live: liveRef(extra),
						keep: primary.id,
						reason: `duplicate of ${primary.id}, which is kept`,
					}));
	if (primary.archived) {
		if (desired.state === 'archived')
			return [{ kind: 'noop', key, live: liveRef(primary), reason: 'archived' }];
		return [
			{
				kind: 'create',
				key,
				desired,
				reason:
					desired.adopt === primary.id
						? `adopt: ${primary.id} was applied, and that session is archived now: a new session is created (adopt: is only a record; it can go)`
						: ENDED_STATUSES.has(primary.status)
							? `the live session ${primary.id} is ${primary.status} (history only), which cannot be undone`
							: `the live session ${primary.id} is archived, and archiving cannot be undone`,
			},
		];
	}
	if (desired.state === 'archived') {
		return [
			{ kind: 'archive', key, live: liveRef(primary), reason: 'state: archived' },
			...dedupes,
		];
	}
	const { changes } = compare(primary, desired);
	const forcedBy =
		changes.length === 0
			? []
			: changes.map((change) => change.field).filter((field) => REPLACE_FIELDS.has(field));
	if (forcedBy.length > 0 || replaceRequested) {
		return [
			{
				kind: 'replace',
				key,
				live: liveRef(primary),
				desired,
				changes,
				forcedBy,
				...(replaceRequested ? { requested: true as const } : {}),
				reason: forcedBy.length > 0 ? forcedReason(forcedBy) : REPLACE_REQUESTED,
			},
			...dedupes,
		];
	}
	if (changes.length > 0) {
		return [
			{
				kind: 'update',
				key,
				live: liveRef(primary),
				desired,
				changes,
				stamp: stampAfterUpdate(desired, primary, fieldsOf(changes)),
				reason: 'differs from the spec',
			},
			...dedupes,
		];
	}
	return [{ kind: 'noop', key, live: liveRef(primary), reason: 'matches the spec' }, ...dedupes];
}

/**
 * `the Hub cannot change task after creation`; fields the Hub's documented update leaves out say
 * so instead (`workflowMode: the Hub's documented update (PATCH) takes ...`).
 */
function forcedReason(forcedBy: readonly FieldName[]): string {
	const whys = replaceWhys(forcedBy);
	const fixed = forcedBy.filter((field) => replaceWhys([field]).length === 0);
	return [
		...(fixed.length > 0 ? [`the Hub cannot change ${describeFields(fixed)} after creation`] : []),
		...whys,
	].join('; ');
}

function describeFields(fields: readonly FieldName[]): string {
	return fields.length === 1
		? `${fields[0]}`
		: `${fields.slice(0, -1).join(', ')} and ${fields.at(-1)}`;
}

function idOf(action: Action): string {
	return 'live' in action && action.live ? action.live.id : '';
}

/** The removals by resource kind, sessions first; empty when only sessions go. */
function withSessions(
	sessions: number,
	others: Readonly<Record<string, number>>
): Readonly<Record<string, number>> {
	if (Object.keys(others).length === 0) return {};
	return { ...(sessions > 0 ? { session: sessions } : {}), ...others };
}

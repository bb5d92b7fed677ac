/**
 * A whole plan in the kind table's order: the other kinds below the sessions' level are built
 * first, then the sessions' actions run (applyPlan), then the kinds above them; deletes come
 * last, from the highest level down, so nothing is removed while something still stands on it;
 * the record a replace recreated goes with them, and a removal whose record a failed write still
 * names is not attempted (movedOffBy, sessionsMovingOff).
 * Then each kind written is listed back and checked against what the plan wanted.
 */
import type { HubWriter } from '../hub/types.js';
import type { KindTable } from '../kinds/kind.js';
import { sessionKind } from '../kinds/table.js';
import type { Action, Plan, ResourceAction } from '../plan/types.js';
import { pendingEntries } from '../plan/session-references.js';
import { readEntryToken } from '../kinds/session/entry-reference.js';
import type { ApplyResult, Outcome, ResourceOutcome } from './events.js';
import { applyPlan, type ApplyOptions } from './executor.js';
import { applyResourceActions, replacedRecordRemoval, type ResourceApplyOptions } from './kinds.js';
import { readBackResources } from './resource-read-back.js';
import { verifyResourceOutcomes } from './resource-verify.js';

export async function applyPlanWithKinds(
	plan: Pick<Plan, 'stack' | 'actions' | 'resources'>,
	hub: HubWriter,
	options: ApplyOptions,
	table: KindTable
): Promise<ApplyResult> {
	const actions = plan.resources?.actions ?? [];
	if (actions.length === 0) return applyPlan(plan, hub, options);
	const sessionLevel = table.find((row) => row.builtIn === 'session')?.level ?? sessionKind.level;
	const failed = new Set<string>();
	const created = new Map<string, string>();
	const run = (
		step: 'build' | 'remove',
		levels: (level: number) => boolean,
		more: Partial<ResourceApplyOptions> & { readonly actions?: readonly ResourceAction[] } = {}
	) =>
		applyResourceActions(more.actions ?? actions, table, hub, {
			stack: plan.stack,
			parallelism: options.parallelism,
			step,
			levels,
			failed,
			created,
			...(options.onEvent ? { onEvent: options.onEvent } : {}),
			...(options.settle ? { settle: options.settle } : {}),
			...more,
		});
	const outcomes: ResourceOutcome[] = [...(await run('build', (level) => level < sessionLevel))];
	// A record that did not settle (a snapshot that failed), or whose update failed (a rebuild the
	// Hub reported failed, say), stops what names it by id too: a session made on it now would
	// stand on what the spec no longer describes.
	const unsettled = new Map(
		outcomes.flatMap((outcome): [string, string][] =>
			outcome.status !== 'applied' && outcome.action.id
				? outcome.action.kind === 'noop'
					? [[outcome.action.id, 'which is not ready']]
					: outcome.action.kind === 'update'
						? [[outcome.action.id, `which did not succeed (${outcome.action.qualifiedKey})`]]
						: []
				: []
		)
	);
	const { ready, blocked } = withCreatedIds(plan.actions, created, unsettled);
	for (const outcome of blocked) options.onEvent?.({ type: 'finish', outcome });
	const applied = await applyPlan({ ...plan, actions: ready }, hub, options);
	const sessions = { ...applied, outcomes: [...blocked, ...applied.outcomes] };
	outcomes.push(...(await run('build', (level) => level >= sessionLevel)));
	// The records replaced go with the removals, once what names them moved onto the new ones.
	const replacedRecords = new Set(
		outcomes.flatMap((outcome) =>
			outcome.action.kind === 'replace' && outcome.status === 'applied' && outcome.id
				? [replacedRecordRemoval(outcome.action, outcome.id, table)]
				: []
		)
	);
	const failedSessions = new Set(
		sessions.outcomes.flatMap((outcome) =>
			outcome.status === 'applied' || outcome.status === 'skipped' ? [] : [outcome.action.key]
		)
	);
	// A replaced record's delete that went well is part of its replace: no line of its own.
	const quiet = (action: ResourceAction, status?: string) =>
		replacedRecords.has(action) && (status === undefined || status === 'applied');
	const removed = await run('remove', () => true, {
		actions: [...actions, ...replacedRecords],
		failedSessions,
		...(options.onEvent
			? {
					onEvent: (event) => {
						if (event.type === 'resource-start' && quiet(event.action)) return;
						if (
							event.type === 'resource-finish' &&
							quiet(event.outcome.action, event.outcome.status)
						)
							return;
						options.onEvent!(event);
					},
				}
			: {}),
	});
	outcomes.push(...removed.filter((outcome) => !quiet(outcome.action, outcome.status)));
	// Waits that ended well are no action of the run.
	const acted = outcomes.filter(
		(outcome) => outcome.action.kind !== 'noop' || outcome.status !== 'applied'
	);
	// With a Hub that stopped answering the read-back would only fail: the run says what is unknown.
	if (hub.unavailable) {
		return {
			...sessions,
			hubUnavailable: sessions.hubUnavailable ?? hub.unavailable.message,
			...(hub.unavailable.answerRefused ? { hubAnswerRefused: true } : {}),
			resourceOutcomes: acted,
		};
	}
	const listing = await readBackResources(acted, table, hub);
	return {
		...sessions,
		resourceOutcomes: acted,
		resourceNotConverged: verifyResourceOutcomes(acted, listing, table, plan.stack),
	};
}

/**
 * The session actions with the ids of the records this run created put in for the keys they
 * name; an action naming a record that was not created is not attempted.
 */
function withCreatedIds(
	actions: readonly Action[],
	created: ReadonlyMap<string, string>,
	unsettled: ReadonlyMap<string, string>
): { ready: Action[]; blocked: Outcome[] } {
	const ready: Action[] = [];
	const blocked: Outcome[] = [];
	for (const action of actions) {
		const names =
			'desired' in action && (action.kind === 'create' || action.kind === 'replace')
				? [
						action.desired.workspaceId,
						...(action.desired.savedSkillIds ?? []),
						...(action.desired.skillBucketIds ?? []),
					].filter((id): id is string => id !== undefined && unsettled.has(id))
				: [];
		if (names.length > 0) {
			const reasons = [...new Set(names.map((id) => `${id}, ${unsettled.get(id)!}`))];
			blocked.push({
				action,
				status: 'not-attempted',
				message: `depends on ${reasons.join('; ')}`,
			});
			continue;
		}
		if (!('desired' in action) || pendingEntries(action.desired).length === 0) {
			ready.push(action);
			continue;
		}
		const missing = pendingEntries(action.desired).filter((key) => !created.has(key));
		if (missing.length > 0) {
			blocked.push({
				action,
				status: 'not-attempted',
				message: `depends on ${[...new Set(missing)].join(', ')}, which did not succeed`,
			});
			continue;
		}
		const put = (value: string): string => {
			const token = readEntryToken(value);
			return token ? created.get(token.qualified)! : value;
		};
		const desired = action.desired;
		ready.push({
			...action,
			desired: {
				...desired,
				...(desired.workspaceId !== undefined ? { workspaceId: put(desired.workspaceId) } : {}),
				...(desired.savedSkillIds ? { savedSkillIds: desired.savedSkillIds.map(put) } : {}),
				...(desired.skillBucketIds ? { skillBucketIds: desired.skillBucketIds.map(put) } : {}),
			},
		} as Action);
	}
	return { ready, blocked };
}

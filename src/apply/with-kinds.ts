/**
 * A whole plan in the kind table's order: the other kinds below the sessions' level are built
 * first, then the sessions' actions run (applyPlan), then the kinds above them; deletes come
 * last, from the highest level down, so nothing is removed while something still stands on it.
 * Then each kind written is listed back and checked against what the plan wanted.
 */
import type { HubWriter } from '../hub/types.js';
import type { KindTable } from '../kinds/kind.js';
import { sessionKind } from '../kinds/table.js';
import type { Plan } from '../plan/types.js';
import type { ApplyResult, ResourceOutcome } from './events.js';
import { applyPlan, type ApplyOptions } from './executor.js';
import { applyResourceActions } from './kinds.js';
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
	const run = (step: 'build' | 'remove', levels: (level: number) => boolean) =>
		applyResourceActions(actions, table, hub, {
			stack: plan.stack,
			parallelism: options.parallelism,
			step,
			levels,
			failed,
			...(options.onEvent ? { onEvent: options.onEvent } : {}),
		});
	const outcomes: ResourceOutcome[] = [...(await run('build', (level) => level < sessionLevel))];
	const sessions = await applyPlan(plan, hub, options);
	outcomes.push(...(await run('build', (level) => level >= sessionLevel)));
	outcomes.push(...(await run('remove', () => true)));
	// With a Hub that stopped answering the read-back would only fail: the run says what is unknown.
	if (hub.unavailable) {
		return {
			...sessions,
			hubUnavailable: sessions.hubUnavailable ?? hub.unavailable.message,
			resourceOutcomes: outcomes,
		};
	}
	const listing = await readBackResources(outcomes, table, hub);
	return {
		...sessions,
		resourceOutcomes: outcomes,
		resourceNotConverged: verifyResourceOutcomes(outcomes, listing, table, plan.stack),
	};
}

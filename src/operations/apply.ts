/**
 * The second half of apply (and import), once the plan has been shown: refuse on a safety rail,
 * resolve env, get approval, apply. Progress goes to `onEvent`; the result says what happened.
 */
import { applyPlanWithKinds } from '../apply/with-kinds.js';
import type { KindTable } from '../kinds/kind.js';
import { BUILT_IN_KINDS } from '../kinds/table.js';
import type { ApplyEvent, ApplyResult } from '../apply/events.js';
import { changedSincePlan } from '../plan/env/saved.js';
import { describeMissing, resolveEntryEnv, type MissingEnv } from '../plan/env/resolve.js';
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-code.js';
import type { HubWriter } from '../hub/types.js';
import type { SavedPlan } from '../plan/saved.js';
import { hasChanges, type Plan } from '../plan/types.js';
import { ENV_KEY_VARIABLE, envKeyOf } from '../core/secrets/env-key.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { Listing } from '../hub/discovery/types.js';
import { DEFAULT_PARALLELISM } from '../hub/client.js';
import { warn, type Environment } from './environment.js';
import { withHeapWatch } from './heap.js';
import { allowedRemovals, refusalReasons } from './refusal.js';

/** A plan and the live sessions it was computed from (what `plan` returns). */
export interface PlanToApply {
	readonly plan: Plan;
	/** Read back against them, this run's writes are told from another writer's. */
	readonly live: readonly LiveSession[];
	/** The session ids the plan listed: apply reads in detail only those listed since. */
	readonly listing?: Listing;
}

export interface ApplyOptions {
	/**
	 * `'auto'` applies without asking (`--auto-approve`, a reviewed saved plan); a function is
	 * asked once, after env is resolved and before the first write, and only `true` goes on.
	 */
	readonly approve: 'auto' | (() => Promise<boolean>);
	/** Hub calls at once (default 8). */
	readonly parallelism?: number;
	/** `--allow-removals`: must agree with the spec's `allowRemovals` when both are set. */
	readonly allowRemovals?: number;
	/** The saved plan being applied: its env digests are checked against the environment. */
	readonly saved?: SavedPlan;
	/** Each action as it starts and finishes. */
	readonly onEvent?: (event: ApplyEvent) => void;
	/** The kinds the plan was made with (default: the built-in table). */
	readonly table?: KindTable;
}

export type ApplyOutcome =
	| { readonly status: 'no-changes' }
	/** A safety rail refused the plan; nothing was written. */
	| { readonly status: 'refused'; readonly reasons: readonly string[] }
	/** The approval was declined; nothing was written. */
	| { readonly status: 'cancelled' }
	| {
			readonly status: 'applied';
			readonly result: ApplyResult;
			/** Every action applied (or skipped), converged, and nobody else wrote meanwhile. */
			readonly succeeded: boolean;
	  };

export async function apply(
	planned: PlanToApply,
	hub: HubWriter,
	environment: Environment,
	options: ApplyOptions
): Promise<ApplyOutcome> {
	const { plan } = planned;
	if (!hasChanges(plan)) return { status: 'no-changes' };
	const reasons = refusalReasons(plan, allowedRemovals(plan, options.allowRemovals));
	if (reasons.length > 0) return { status: 'refused', reasons };
	const env = resolvePlanEnv(plan, environment, options.saved);
	if (options.approve !== 'auto' && !(await options.approve())) return { status: 'cancelled' };
	// Thousands of writes and their read-back allocate as fast as a plan's reads: keep the heap
	// near what is live, as planning does.
	const result = await withHeapWatch(() =>
		applyPlanWithKinds(
			plan,
			hub,
			{
				parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
				env,
				envKey: envKeyOf(environment.env),
				baseline: planned.live,
				...(planned.listing ? { listing: planned.listing } : {}),
				...(options.onEvent ? { onEvent: options.onEvent } : {}),
			},
			options.table ?? BUILT_IN_KINDS
		)
	);
	return { status: 'applied', result, succeeded: applySucceeded(result) };
}

export function applySucceeded(result: ApplyResult): boolean {
	return (
		result.hubUnavailable === undefined &&
		result.notConverged.length === 0 &&
		result.otherWrites.length === 0 &&
		result.readBackFailure === undefined &&
		result.outcomes.every((o) => o.status === 'applied' || o.status === 'skipped') &&
		(result.resourceOutcomes ?? []).every((o) => o.status === 'applied') &&
		(result.resourceNotConverged ?? []).length === 0
	);
}

/** Env values for every create, from the environment; a missing one stops apply before any write. */
function resolvePlanEnv(plan: Plan, environment: Environment, saved: SavedPlan | undefined) {
	const values: Record<string, Record<string, string>> = {};
	const missing: MissingEnv[] = [];
	const changed: string[] = [];
	const key = envKeyOf(environment.env);
	const checkable = saved && key && saved.env.keyId === key.id ? key : undefined;
	let unchecked = false;
	for (const action of plan.actions) {
		if (action.kind !== 'create' && action.kind !== 'replace') continue;
		const resolved = resolveEntryEnv(action.desired, environment.env);
		values[action.key] = resolved.values;
		missing.push(...resolved.missing);
		if (checkable) {
			for (const envKey of changedSincePlan(saved!.env, action.key, resolved.values, checkable))
				changed.push(`${action.key}.env.${envKey}`);
		} else if (saved && Object.keys(resolved.values).length > 0) unchecked = true;
	}
	if (unchecked) {
		warn(
			environment,
			`note: env values not checked against the saved plan (plan and apply with the same ${ENV_KEY_VARIABLE} to check them)`
		);
	}
	if (missing.length > 0) throw new UserError(`${describeMissing(missing)}; nothing was applied`);
	if (changed.length > 0) {
		throw new UserError(
			`env values changed since the plan was made (${changed.join(', ')}); run plan again`,
			ExitCode.Stale
		);
	}
	return values;
}

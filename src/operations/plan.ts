/** `plan`: what apply would change on the Hub to match the spec. Reads only. */
import { BUILT_IN_KINDS } from '../kinds/table.js';
import { readOnly } from '../hub/client.js';
import { DEFAULT_PARALLELISM } from '../hub/client.js';
import type { Plan, PlanWithPrior } from '../plan/types.js';
import type { PlannedHub } from '../plan/fingerprint.js';
import type { KindTable } from '../kinds/kind.js';
import type { PlanMeta } from '../render/index.js';
import type { Spec } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { PlanToApply } from './apply.js';
import { attributeToBase, loadBaseSpec, type BaseSpec } from './base-plan.js';
import { connectHub, type ConnectedHub, type HubTarget } from './connect.js';
import { warn, type Environment } from './environment.js';
import { callsSince } from './hub-calls.js';
import { loadSpecOrFail, planAgainstHub } from './planning.js';
import { writeSavedPlan } from './saved-plan-file.js';
import type { DiscoveryMode } from '../hub/discovery/types.js';
import { refusalReasons } from './refusal.js';
import { checkPinnedRepos } from './repo-check.js';
import { checkReferences } from './reference-check.js';
import { libraryListsOf } from './resource-planning.js';
import {
	missingEnvError,
	missingEnvNote,
	missingEnvOf,
	type MissingEnvVariable,
} from '../plan/env/missing.js';

export interface PlanOptions {
	/** Plan only these entry keys, or keys matching these globs (`docs-*`). */
	readonly only?: readonly string[];
	/** Plan only the entries matching every one of these: `tag=NAME`, `metadata.KEY=VALUE`. */
	readonly select?: readonly string[];
	/** Hub reads at once (default 8). */
	readonly parallelism?: number;
	/** `adopt:` may take sessions over from other stacks. */
	readonly takeOver?: boolean;
	/** Entry keys whose session is recreated even when nothing forces it (`--replace`). */
	readonly replace?: readonly string[];
	/** Archive every active session of the stack (within `only`) rather than plan the spec. */
	readonly destroy?: boolean;
	/** Check that the GitHub App reaches every pinned repo (default true). */
	readonly repoCheck?: boolean;
	/** Check that the workspaces, saved skills, skill buckets and agents named exist (default true). */
	readonly referenceCheck?: boolean;
	/** The spec at a git ref (`loadBaseSpec`): each action is marked as this change's or the base's. */
	readonly base?: BaseSpec;
	/** How the stack's sessions are found (default auto). */
	readonly discovery?: DiscoveryMode;
	/**
	 * `--allow-missing-env`: variables the creates and replaces need may be unset (a plan made
	 * without the env secrets); `missingEnv` still lists them, and a note says what the plan
	 * cannot promise.
	 */
	readonly allowMissingEnv?: boolean;
	/** The kinds to plan (default: the built-in table, sessions only). */
	readonly table?: KindTable;
}

export interface Planned extends PlanToApply {
	readonly spec: Spec;
	readonly plan: PlanWithPrior;
	readonly live: readonly LiveSession[];
	/** What the renderers show beside the plan: files, Hub calls, notes, the base. */
	readonly meta: PlanMeta;
	/** Why apply would refuse this plan as the spec stands; empty when it would not. */
	readonly refusal: readonly string[];
	/**
	 * Variables not set here that the plan's creates and replaces need, with the entries that
	 * need them: apply would stop on them. The CLI's plan fails on them (exit 1) unless
	 * `allowMissingEnv`.
	 */
	readonly missingEnv: readonly MissingEnvVariable[];
}

export async function plan(
	spec: Spec,
	connected: ConnectedHub,
	environment: Environment,
	options: PlanOptions = {}
): Promise<Planned> {
	return (await planStack(spec, connected, environment, options)).planned;
}

/** What a saved plan adds to planning: its Hub, and the comparison that finds it stale. */
export interface PlanAgainst {
	/** The Hub the plan is made for (the fingerprint covers it); default the connection's. */
	readonly target?: PlannedHub;
	/** Why the plan made now differs from one made before; the checks are made only when empty. */
	readonly staleness?: (plan: Plan) => readonly string[];
}

/**
 * The one planning sequence, for plan, apply and a saved plan's replan: discover the stack's
 * sessions, plan (env hashes, scope, replaces), note what plan cannot promise, attribute to
 * `--base`, then the repo and reference checks (skipped when `against.staleness` finds reasons).
 */
export async function planStack(
	spec: Spec,
	connected: ConnectedHub,
	environment: Environment,
	options: PlanOptions,
	against: PlanAgainst = {}
): Promise<{ readonly planned: Planned; readonly stale: readonly string[] }> {
	const reader = readOnly(connected.hub);
	const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
	const request = {
		only: options.only ?? [],
		select: options.select ?? [],
		parallelism,
		takeOver: options.takeOver,
		discovery: options.discovery,
		...(options.base?.spec ? { base: options.base.spec } : {}),
		replace: options.replace ?? [],
		destroy: options.destroy === true,
		target: against.target ?? connected.target,
		...(options.table ? { table: options.table } : {}),
	};
	const before = { ...reader.calls };
	const planned = await planAgainstHub(spec, reader, environment, request);
	const { plan, live, notes, listing, discovery, records } = planned;
	const missingEnv = missingEnvOf(plan, environment.env);
	const missingNotes =
		options.allowMissingEnv && missingEnv.length > 0 ? [missingEnvNote(missingEnv)] : [];
	missingNotes.forEach((note) => warn(environment, note));
	const base = options.base
		? attributeToBase(
				options.base,
				plan,
				live,
				environment,
				{ ...request, only: plan.only },
				records
			)
		: undefined;
	const stale = against.staleness?.(plan) ?? [];
	const repoNotes =
		stale.length > 0
			? []
			: await checkPinnedRepos(plan, reader, environment, {
					enabled: options.repoCheck !== false,
					skipped: connected.repoCheckSkipped,
					parallelism,
				});
	const referenceNotes =
		stale.length > 0
			? []
			: await checkReferences(plan, reader, environment, {
					enabled: options.referenceCheck !== false,
					skipped: connected.referenceCheckSkipped,
					parallelism,
					listed: libraryListsOf(records, options.table ?? BUILT_IN_KINDS),
				});
	const meta: PlanMeta = {
		files: spec.files,
		hubCalls: callsSince(before, reader.calls),
		discovery,
		notes: [...notes, ...missingNotes, ...repoNotes, ...referenceNotes],
		...(base ? { base } : {}),
	};
	return {
		planned: { spec, plan, live, listing, meta, refusal: refusalReasons(plan), missingEnv },
		stale,
	};
}

/** `plan` from the command line: the spec's files, the Hub's target, and where to save it. */
export interface PlanFilesRequest extends Omit<PlanOptions, 'base'> {
	readonly files: readonly string[];
	readonly target: HubTarget;
	/** `--base`: a git ref of the spec, read before the Hub is opened (a bad ref costs no call). */
	readonly baseRef?: string;
	/** `--out`: the saved plan's file, written once the plan is made. */
	readonly out?: string;
}

/**
 * Loads the spec, opens the Hub, plans, and saves the plan. A plan whose creates and replaces
 * need variables that are not set fails here (apply would stop on them before any write),
 * unless `allowMissingEnv`.
 */
export function planFiles(request: PlanFilesRequest, environment: Environment): Promise<Planned> {
	return planThen(request, environment, async (planned, connected) => {
		if (planned.missingEnv.length > 0 && request.allowMissingEnv !== true) {
			throw missingEnvError(
				planned.missingEnv,
				'Set them, or plan with --allow-missing-env to plan without them (the plan then cannot promise these creates and replaces).'
			);
		}
		if (request.out !== undefined) {
			const skippedChecks = [
				...(request.repoCheck === false ? ['repo' as const] : []),
				...(request.referenceCheck === false ? ['reference' as const] : []),
			];
			await writeSavedPlan(
				{ ...planned, skippedChecks },
				connected.target,
				request.out,
				environment
			);
		}
		return planned;
	});
}

/** Loads the spec, opens the Hub and plans, then `then` goes on with the plan on the open Hub. */
export async function planThen<T>(
	request: PlanFilesRequest,
	environment: Environment,
	then: (planned: Planned, connected: ConnectedHub) => Promise<T>
): Promise<T> {
	const { files, target, baseRef, out: _out, ...options } = request;
	const spec = await loadSpecOrFail(files, environment, options.table);
	const base =
		baseRef !== undefined ? await loadBaseSpec(baseRef, spec.files, environment) : undefined;
	const connected = await connectHub(target, environment);
	try {
		const planned = await plan(spec, connected, environment, {
			...options,
			...(base ? { base } : {}),
		});
		return await then(planned, connected);
	} finally {
		await connected.close();
	}
}

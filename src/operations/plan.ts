/** `plan`: what apply would change on the Hub to match the spec. Reads only. */
import { readOnly } from '../hub/client.js';
import { DEFAULT_PARALLELISM } from '../hub/client.js';
import type { PlanWithPrior } from '../plan/types.js';
import type { PlanMeta } from '../render/index.js';
import type { Spec } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { PlanToApply } from './apply.js';
import { attributeToBase, type BaseSpec } from './base-plan.js';
import type { ConnectedHub } from './connect.js';
import { warn, type Environment } from './environment.js';
import { callsSince } from './hub-calls.js';
import { planAgainstHub } from './planning.js';
import type { DiscoveryMode } from '../hub/discovery/types.js';
import { refusalReasons } from './refusal.js';
import { checkPinnedRepos } from './repo-check.js';
import { checkReferences } from './reference-check.js';
import { missingEnvNote, missingEnvOf, type MissingEnvVariable } from '../plan/env/missing.js';

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
		target: connected.target,
	};
	const before = { ...reader.calls };
	const planned = await planAgainstHub(spec, reader, environment, request);
	const { plan, live, notes, listing, discovery } = planned;
	const missingEnv = missingEnvOf(plan, environment.env);
	const missingNotes =
		options.allowMissingEnv && missingEnv.length > 0 ? [missingEnvNote(missingEnv)] : [];
	missingNotes.forEach((note) => warn(environment, note));
	const base = options.base
		? attributeToBase(options.base, plan, live, environment, { ...request, only: plan.only })
		: undefined;
	const repoNotes = await checkPinnedRepos(plan, reader, environment, {
		enabled: options.repoCheck !== false,
		skipped: connected.repoCheckSkipped,
		parallelism,
	});
	const referenceNotes = await checkReferences(plan, reader, environment, {
		enabled: options.referenceCheck !== false,
		skipped: connected.referenceCheckSkipped,
		parallelism,
	});
	const meta: PlanMeta = {
		files: spec.files,
		hubCalls: callsSince(before, reader.calls),
		discovery,
		notes: [...notes, ...missingNotes, ...repoNotes, ...referenceNotes],
		...(base ? { base } : {}),
	};
	return { spec, plan, live, listing, meta, refusal: refusalReasons(plan), missingEnv };
}

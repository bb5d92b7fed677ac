/** A saved plan against the Hub as it is now: planned again, and stale when the two differ. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SavedPlan } from '../plan/saved.js';
import { staleReasons } from '../plan/staleness.js';
import { UserError } from '../core/errors.js';
import { connectHub, LOCAL_HUB_STATE, type ConnectedHub, type HubTarget } from './connect.js';
import { warn, type Environment } from './environment.js';
import {
	otherHubReason,
	readSavedPlan,
	readSavedPlanToApply,
	savedPlanTarget,
} from './saved-plan-file.js';
import { planStack, type Planned } from './plan.js';
import type { DiscoveryMode } from '../hub/discovery/types.js';
import type { KindTable } from '../kinds/kind.js';

export interface ReplanOptions {
	readonly parallelism?: number;
	/** Plan with the saved plan's `takeOver` (apply cannot widen what was reviewed). */
	readonly takeOver?: boolean;
	/** Check pinned repos once the plan is known to be current (default: no check). */
	readonly repoCheck?: boolean;
	/** How the stack's sessions are found (default auto). */
	readonly discovery?: DiscoveryMode;
	/** Check the references the plan names once it is known to be current (default: no check). */
	readonly referenceCheck?: boolean;
	/** The kinds the plan was made with (default: the built-in table): planned again with them. */
	readonly table?: KindTable;
}

export interface Replanned {
	/** Why the saved plan no longer matches the Hub (or the environment); empty when current. */
	readonly stale: readonly string[];
	/** The plan made now, with what it was made from. */
	readonly planned: Planned;
}

export async function replanSaved(
	saved: SavedPlan,
	connected: ConnectedHub,
	environment: Environment,
	options: ReplanOptions = {}
): Promise<Replanned> {
	const { planned, stale } = await planStack(
		saved.spec,
		connected,
		environment,
		{
			only: saved.plan.only,
			replace: saved.plan.replace ?? [],
			destroy: saved.plan.destroy === true,
			...(options.parallelism !== undefined ? { parallelism: options.parallelism } : {}),
			discovery: options.discovery,
			...(options.takeOver !== undefined ? { takeOver: options.takeOver } : {}),
			repoCheck: options.repoCheck === true,
			referenceCheck: options.referenceCheck === true,
			...(options.table ? { table: options.table } : {}),
		},
		{
			// The caller found the Hub to be the one the plan was made for (otherHubReason), which
			// lets an org the plan left to the key's default match one named now: compare the
			// fingerprints under the identity the plan was made with.
			target: saved.target,
			staleness: (plan) => staleReasons(saved.plan, plan),
		}
	);
	// Shown as it was reviewed: its Hub calls were counted when it was made.
	const { hubCalls: _counted, ...meta } = planned.meta;
	return { stale, planned: { ...planned, meta } };
}

/** What `show` found: the plan made for another Hub than `target`'s, or stale on its own. */
export interface SavedPlanCheck {
	/** Why the Hub reached is not the one the plan was made for; the plan is then not compared. */
	readonly otherHub?: string;
	readonly stale: readonly string[];
	/** The Hub the plan was compared with, in words (`the local Hub over /dir/...`, a URL). */
	readonly checked?: string;
}

/**
 * The check `show` makes: the saved plan against the Hub it was made for (or `target`'s).
 * A Hub that cannot be reached is a note, not an error: the plan can be shown offline.
 */
export async function savedPlanStaleness(
	saved: SavedPlan,
	target: HubTarget,
	environment: Environment,
	options: Pick<ReplanOptions, 'table'> = {}
): Promise<SavedPlanCheck> {
	const resolved = savedPlanTarget(target, saved);
	if (resolved.local) {
		// A local Hub is a state file in the working directory: run elsewhere, there is none, and
		// starting one would compare the plan with an empty Hub (and leave a state file behind).
		const stateFile = resolve(environment.cwd, LOCAL_HUB_STATE);
		if (!(await exists(stateFile))) {
			return {
				checked: `the local Hub over ${stateFile}`,
				otherHub: `it was made for a local Hub, and there is none here (${stateFile} does not exist): run show in the folder the plan was made in, or pass --no-check`,
				stale: [],
			};
		}
	}
	let connected: ConnectedHub;
	try {
		connected = await connectHub(resolved, environment);
	} catch (error) {
		if (!(error instanceof UserError)) throw error;
		warn(environment, `Not checked against the Hub: ${error.message}`);
		return { stale: [] };
	}
	const checked = connected.target.local
		? `the local Hub over ${resolve(environment.cwd, LOCAL_HUB_STATE)}`
		: describeHub(connected.target);
	try {
		const otherHub = otherHubReason(saved.target, connected.target);
		if (otherHub) return { otherHub, stale: [], checked };
		return { stale: (await replanSaved(saved, connected, environment, options)).stale, checked };
	} finally {
		await connected.close();
	}
}

function describeHub(target: ConnectedHub['target']): string {
	const where = target.url
		? `the Hub at ${target.url}`
		: `the Hub of region ${target.region ?? 'usc'}`;
	return target.org ? `${where} (org ${target.org})` : where;
}

const exists = (path: string): Promise<boolean> =>
	stat(path).then(
		() => true,
		() => false
	);

/** What applying a saved plan found before anything is written. */
export type SavedPlanReplan<T> =
	| { readonly status: 'other-hub'; readonly reason: string; readonly saved: SavedPlan }
	| { readonly status: 'stale'; readonly stale: readonly string[]; readonly saved: SavedPlan }
	| { readonly status: 'current'; readonly value: T };

export interface ApplySavedRequest extends Omit<ReplanOptions, 'takeOver'> {
	/** Where the plan's literal env text is read from (default: the files it was made from). */
	readonly files: readonly string[];
	readonly target: HubTarget;
}

/**
 * Reads the saved plan, opens the Hub it was made for, and plans again: a plan made for another
 * Hub, or stale, ends there; a current one goes on in `then`, on the open Hub.
 */
export async function replanSavedFile<T>(
	planfile: string,
	request: ApplySavedRequest,
	environment: Environment,
	then: (planned: Planned, connected: ConnectedHub, saved: SavedPlan) => Promise<T>
): Promise<SavedPlanReplan<T>> {
	const { files, target, ...options } = request;
	const saved = await readSavedPlanToApply(planfile, files, environment, options.table);
	const connected = await connectHub(savedPlanTarget(target, saved), environment);
	try {
		const reason = otherHubReason(saved.target, connected.target);
		if (reason) return { status: 'other-hub', reason, saved };
		const { stale, planned } = await replanSaved(saved, connected, environment, {
			...options,
			// A saved plan was reviewed with or without --take-over; apply cannot widen it.
			takeOver: saved.plan.takeOver === true,
			// Nor with the checks it was made without: the plan is carried out as reviewed.
			...checksAsPlanned(saved, options, environment),
		});
		if (stale.length > 0) return { status: 'stale', stale, saved };
		return { status: 'current', value: await then(planned, connected, saved) };
	} finally {
		await connected.close();
	}
}

const CHECK_FLAGS = { repo: '--no-repo-check', reference: '--no-reference-check' } as const;

/**
 * The repo and reference checks apply runs for a saved plan: each one the plan was made with
 * (unless skipped now with its flag); one the plan was made without is skipped, saying so.
 */
function checksAsPlanned(
	saved: SavedPlan,
	options: Pick<ReplanOptions, 'repoCheck' | 'referenceCheck'>,
	environment: Environment
): Pick<ReplanOptions, 'repoCheck' | 'referenceCheck'> {
	const skipped = new Set(saved.skippedChecks ?? []);
	for (const check of skipped) {
		warn(
			environment,
			`The ${check} check is skipped: the plan was made with ${CHECK_FLAGS[check]}, and apply carries it out as it was reviewed.`
		);
	}
	return {
		repoCheck: options.repoCheck === true && !skipped.has('repo'),
		referenceCheck: options.referenceCheck === true && !skipped.has('reference'),
	};
}

/** A saved plan as `show` renders it, and what the check against the Hub found. */
export interface SavedPlanShown {
	readonly saved: SavedPlan;
	readonly check: SavedPlanCheck;
}

/** Reads the saved plan and, unless `check` is false, compares it with the Hub (savedPlanStaleness). */
export async function readSavedPlanChecked(
	planfile: string,
	request: Pick<ReplanOptions, 'table'> & { readonly target: HubTarget; readonly check: boolean },
	environment: Environment
): Promise<SavedPlanShown> {
	const saved = await readSavedPlan(planfile, environment);
	const check = request.check
		? await savedPlanStaleness(saved, request.target, environment, request)
		: { stale: [] };
	return { saved, check };
}

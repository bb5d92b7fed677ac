import { applyPlan } from '../apply/executor.js';
import { changedSincePlan } from '../env/saved-env.js';
import { describeMissing, resolveEntryEnv, type MissingEnv } from '../env/resolve.js';
import { UserError } from '../errors.js';
import { createStyle } from '../render/index.js';
import { allowedRemovals, reportRefusal } from './refusal.js';
import type { SavedPlan } from '../plan/saved.js';
import { hasChanges, type Plan } from '../plan/types.js';
import { applySucceeded, hubUnavailableLine, outcomeLine, summaryLines } from './apply-report.js';
import { askForYes } from './confirm.js';
import { ExitCode } from './exit.js';
import type { OpenHub } from './hub-options.js';
import type { Io } from './io.js';
import { ENV_KEY_VARIABLE, envKeyOf } from '../secrets/env-key.js';
import type { LiveSession } from '../session/live.js';
import type { Listing } from '../discovery/types.js';

export interface CarryOutOptions {
	/** `--auto-approve`: no prompt. */
	readonly autoApprove: boolean;
	readonly parallelism: number;
	/** `--allow-removals`: must agree with the spec's `allowRemovals` when both are set. */
	readonly allowRemovals: number | undefined;
	readonly color: boolean;
	/** A saved plan was reviewed already: it applies without a prompt. */
	readonly confirm: boolean;
	readonly saved?: SavedPlan;
	/** The sessions the plan was computed from (to tell this run's writes from another's). */
	readonly baseline: readonly LiveSession[];
	/** The session ids the plan listed (apply reads in detail only those listed since). */
	readonly listing?: Listing;
}

/**
 * The second half of apply (and import): refuse on a safety rail, resolve env, confirm, apply,
 * report. The plan has been shown already.
 */
export async function carryOut(
	plan: Plan,
	opened: OpenHub,
	io: Io,
	options: CarryOutOptions
): Promise<number> {
	if (!hasChanges(plan)) {
		io.out('Nothing to apply.');
		return ExitCode.Ok;
	}
	const allowed = allowedRemovals(plan, options.allowRemovals);
	if (reportRefusal(plan, io, 'Apply refused by a safety rail:', allowed)) return ExitCode.Refused;
	const env = await resolvePlanEnv(plan, io, options.saved);
	if (options.confirm && !options.autoApprove) {
		if (!process.stdin.isTTY) {
			throw new UserError(
				'no terminal to confirm on: review the plan, then re-run with --auto-approve (or apply a saved plan)'
			);
		}
		const approved = await askForYes('\nApply these changes? Only `yes` is accepted: ');
		if (!approved) {
			io.err('Apply cancelled; nothing was changed.');
			return ExitCode.Error;
		}
	}
	const style = createStyle(options.color);
	const total = plan.actions.filter((action) => action.kind !== 'noop').length;
	let done = 0;
	io.out('');
	// Interrupted, apply cannot know what the actions in flight did; a re-run converges.
	const interrupted = (signal: NodeJS.Signals) => {
		io.err(
			`\nInterrupted (${signal}) after ${done} of ${total} actions; those in flight may or may not have been applied. Run apply again to converge.`
		);
		process.exit(ExitCode.Interrupted);
	};
	process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
	const result = await applyPlan(plan, opened.hub, {
		parallelism: options.parallelism,
		env,
		envKey: envKeyOf(io.env),
		baseline: options.baseline,
		...(options.listing ? { listing: options.listing } : {}),
		onEvent: (event) => {
			if (event.type !== 'finish') return;
			done += 1;
			// Told once, in the line about the Hub below, not once per action.
			if (event.outcome.status === 'not-attempted') return;
			const progress = io.isTTY ? style.dim(`[${done}/${total}] `) : '';
			io.out(progress + outcomeLine(event.outcome, style).trimStart());
		},
	}).finally(() => {
		process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
	});
	io.out('');
	const stopped = hubUnavailableLine(result);
	if (stopped) io.err(stopped);
	for (const line of summaryLines(result, plan.stack)) io.out(line);
	return applySucceeded(result) ? ExitCode.Ok : ExitCode.Partial;
}

/** Env values for every create, from the environment; a missing one stops apply before any write. */
async function resolvePlanEnv(plan: Plan, io: Io, saved: SavedPlan | undefined) {
	const values: Record<string, Record<string, string>> = {};
	const missing: MissingEnv[] = [];
	const changed: string[] = [];
	const key = envKeyOf(io.env);
	const checkable = saved && key && saved.env.keyId === key.id ? key : undefined;
	let unchecked = false;
	for (const action of plan.actions) {
		if (action.kind !== 'create' && action.kind !== 'replace') continue;
		const resolved = resolveEntryEnv(action.desired, io.env);
		values[action.key] = resolved.values;
		missing.push(...resolved.missing);
		if (checkable) {
			for (const envKey of changedSincePlan(saved!.env, action.key, resolved.values, checkable))
				changed.push(`${action.key}.env.${envKey}`);
		} else if (saved && Object.keys(resolved.values).length > 0) unchecked = true;
	}
	if (unchecked) {
		io.err(
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

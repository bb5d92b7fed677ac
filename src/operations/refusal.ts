/** The safety-rail refusal that plan, show and apply share, so all three refuse the same plans. */
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-code.js';
import { refusalMessages } from '../render/messages.js';
import { refusedHazards } from '../plan/safety.js';
import { hasChanges, type Plan } from '../plan/types.js';

/**
 * The removal count allowed: the spec's `allowRemovals`, or `--allow-removals`; given both, they
 * must name the same count (the flag cannot widen what the spec under review allows).
 */
export function allowedRemovals(plan: Plan, flag: number | undefined): number | undefined {
	const fromSpec = plan.allowRemovals;
	if (flag !== undefined && fromSpec !== undefined && flag !== fromSpec) {
		throw new UserError(
			`--allow-removals ${flag} disagrees with allowRemovals: ${fromSpec} in the spec; give the same count, or leave the flag out`,
			ExitCode.Refused
		);
	}
	return flag ?? fromSpec;
}

/** Why apply would refuse the plan (none when it would not), one sentence each. */
export function refusalReasons(
	plan: Plan,
	allowRemovals: number | undefined = plan.allowRemovals
): string[] {
	if (!hasChanges(plan) || refusedHazards(plan, allowRemovals).length === 0) return [];
	return refusalMessages(plan, (key) => key, allowRemovals);
}

/** True when apply would refuse the plan as the spec stands (no flag). */
export function wouldRefuse(plan: Plan): boolean {
	return hasChanges(plan) && refusedHazards(plan).length > 0;
}

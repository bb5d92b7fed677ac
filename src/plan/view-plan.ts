/**
 * The plan `drift` and `status` are views of: the stack as it is, env compared by key and
 * template only (no value is resolved), and an `adopt:` that cannot be planned left for plan to
 * refuse. Pure.
 */
import type { Spec } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';
import { planSessions } from './diff.js';
import type { PlanWithPrior } from './types.js';

export function viewPlan(spec: Spec, live: readonly LiveSession[]): PlanWithPrior {
	return planSessions(spec, live, { leaveAdoptProblems: true });
}

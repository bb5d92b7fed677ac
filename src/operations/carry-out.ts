/**
 * Apply once the plan has been shown, as a run that ends with an exit code: approval, the
 * actions, and how the run ended (what `apply --format json` reports). Its world comes as
 * parameters: who approves, where events go, what to do once approved (the CLI starts
 * listening for Ctrl-C there).
 */
import type { ApplyEvent } from '../apply/events.js';
import { ExitCode } from '../core/exit-code.js';
import type { HubWriter } from '../hub/types.js';
import type { ApplyRun } from '../render/apply-json.js';
import { apply, type ApplyOptions, type ApplyOutcome, type PlanToApply } from './apply.js';
import type { Environment } from './environment.js';

export interface CarryOutOptions extends Omit<ApplyOptions, 'approve' | 'onEvent'> {
	/** `'auto'`: `--auto-approve`, or a saved plan (reviewed already); else asked once. */
	readonly approve: 'auto' | (() => Promise<boolean>);
	/** Approved, before the first write. */
	readonly onApproved?: () => void;
	/** Each action as it starts and finishes. */
	readonly onEvent?: (event: ApplyEvent) => void;
}

export interface CarriedOut {
	readonly outcome: ApplyOutcome;
	/** How the run ended, its exit code, and what it did: for the views. */
	readonly run: ApplyRun;
}

export async function carryOut(
	planned: PlanToApply,
	hub: HubWriter,
	environment: Environment,
	options: CarryOutOptions
): Promise<CarriedOut> {
	const { approve, onApproved, ...applyOptions } = options;
	const outcome = await apply(planned, hub, environment, {
		...applyOptions,
		approve: async () => {
			const approved = approve === 'auto' || (await approve());
			if (approved) onApproved?.();
			return approved;
		},
	});
	return { outcome, run: runOf(planned, outcome) };
}

/** The exit code of each way apply ends. */
export function runOf({ plan }: PlanToApply, outcome: ApplyOutcome): ApplyRun {
	const resourceActions = plan.resources?.actions ?? [];
	const run = {
		stack: plan.stack,
		actions: plan.actions,
		...(resourceActions.length > 0 ? { resourceActions } : {}),
	};
	switch (outcome.status) {
		case 'no-changes':
			return { ...run, status: 'no-changes', exitCode: ExitCode.Ok, succeeded: true };
		case 'refused':
			return { ...run, status: 'refused', exitCode: ExitCode.Refused, reasons: outcome.reasons };
		case 'cancelled':
			return { ...run, status: 'cancelled', exitCode: ExitCode.Error };
		case 'applied': {
			const { result, succeeded } = outcome;
			const exitCode = succeeded ? ExitCode.Ok : ExitCode.Partial;
			return { ...run, status: 'applied', exitCode, result, succeeded };
		}
	}
}

/** Apply as the CLI shows it: the prompt, a line per finished action, the summary, Ctrl-C. */
import { UserError } from '../errors.js';
import { ExitCode } from '../exit-code.js';
import type { HubWriter } from '../hub-client/types.js';
import { apply, type ApplyOptions, type PlanToApply } from '../operations/apply.js';
import { createStyle } from '../render/index.js';
import { plural } from '../render/format.js';
import { hubUnavailableLine, outcomeLine, summaryLines } from './apply-report.js';
import { environmentOf, type Io } from './io.js';
import { reportRefusal } from './refusal.js';

export interface CarryOutOptions extends Omit<ApplyOptions, 'approve' | 'onEvent'> {
	/** `--auto-approve`, or a saved plan (reviewed already): no prompt. */
	readonly autoApprove: boolean;
	readonly color: boolean;
}

/** After the plan is shown: apply it, reporting as actions finish; the exit code. */
export async function carryOut(
	planned: PlanToApply,
	hub: HubWriter,
	io: Io,
	options: CarryOutOptions
): Promise<number> {
	const { plan } = planned;
	const style = createStyle(options.color);
	const total = plan.actions.filter((action) => action.kind !== 'noop').length;
	let done = 0;
	const approve = options.autoApprove ? ('auto' as const) : () => askToApply(io);
	// Interrupted, apply cannot know what the actions in flight did; a re-run converges.
	const interrupted = (signal: NodeJS.Signals) => {
		io.err(
			`\nInterrupted (${signal}) after ${done} of ${plural(total, 'action')}; those in flight may or may not have been applied. Run apply again to converge.`
		);
		process.exit(ExitCode.Interrupted);
	};
	const outcome = await apply(planned, hub, environmentOf(io), {
		...options,
		approve: async () => {
			const approved = approve === 'auto' || (await approve());
			if (approved) {
				io.out('');
				process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
			}
			return approved;
		},
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
	switch (outcome.status) {
		case 'no-changes':
			io.out('Nothing to apply.');
			return ExitCode.Ok;
		case 'refused':
			reportRefusal(outcome.reasons, io, 'Apply refused by a safety rail:');
			return ExitCode.Refused;
		case 'cancelled':
			io.err('Apply cancelled; nothing was changed.');
			return ExitCode.Error;
		case 'applied': {
			io.out('');
			const stopped = hubUnavailableLine(outcome.result);
			if (stopped) io.err(stopped);
			for (const line of summaryLines(outcome.result, plan.stack)) io.out(line);
			return outcome.succeeded ? ExitCode.Ok : ExitCode.Partial;
		}
	}
}

async function askToApply(io: Io): Promise<boolean> {
	if (!io.ask) {
		throw new UserError(
			'no terminal to confirm on: review the plan, then re-run with --auto-approve (or apply a saved plan)'
		);
	}
	return io.ask('\nApply these changes? Only `yes` is accepted: ');
}

/** Apply as the CLI shows it: the prompt, a line per finished action, the summary, Ctrl-C. */
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-code.js';
import type { HubWriter } from '../hub/types.js';
import { apply, type ApplyOptions, type PlanToApply } from '../operations/apply.js';
import type { ApplyEvent } from '../apply/events.js';
import { applyEventJson, toApplyJson, type ApplyRun } from '../render/apply-json.js';
import { createStyle } from '../render/index.js';
import { plural } from '../render/format.js';
import { hubUnavailableLine, outcomeLine, summaryLines } from '../render/apply-report.js';
import { environmentOf, type Io } from './io.js';
import { reportRefusal } from './refusal.js';
import { jsonText } from '../core/untrusted/index.js';

export type ApplyFormat = (typeof APPLY_FORMATS)[number];
export const APPLY_FORMATS = ['text', 'json', 'jsonl'] as const;

export interface CarryOutOptions extends Omit<ApplyOptions, 'approve' | 'onEvent'> {
	/** `--auto-approve`, or a saved plan (reviewed already): no prompt. */
	readonly autoApprove: boolean;
	readonly color: boolean;
	/** json/jsonl: stdout carries the document (or event lines) only; the rest goes to stderr. */
	readonly format?: ApplyFormat;
}

/**
 * Where apply's words go: stdout for text; stderr when stdout carries JSON, which `finish`
 * prints (`--format json`: one document; `jsonl`: one line per event, then the document).
 */
export function applyOutput(io: Io, format: ApplyFormat = 'text') {
	const machine = format !== 'text';
	return {
		say: machine ? io.err : io.out,
		event: (event: ApplyEvent) => {
			if (format === 'jsonl') io.out(jsonText(applyEventJson(event)));
		},
		finish: (run: ApplyRun): number => {
			const document = toApplyJson(run);
			if (format === 'json') io.out(jsonText(document, 2));
			if (format === 'jsonl') io.out(jsonText({ type: 'result', ...document }));
			return run.exitCode;
		},
	};
}

/** After the plan is shown: apply it, reporting as actions finish; the exit code. */
export async function carryOut(
	planned: PlanToApply,
	hub: HubWriter,
	io: Io,
	options: CarryOutOptions
): Promise<number> {
	const { plan } = planned;
	const output = applyOutput(io, options.format);
	const say = output.say;
	const ran = (status: ApplyRun['status'], exitCode: number, extra: Partial<ApplyRun> = {}) =>
		output.finish({ stack: plan.stack, status, exitCode, actions: plan.actions, ...extra });
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
				say('');
				process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
			}
			return approved;
		},
		onEvent: (event) => {
			output.event(event);
			if (event.type !== 'finish') return;
			done += 1;
			// Told once, in the line about the Hub below, not once per action.
			if (event.outcome.status === 'not-attempted') return;
			const progress = io.isTTY ? style.dim(`[${done}/${total}] `) : '';
			say(progress + outcomeLine(event.outcome, style).trimStart());
			// What follows the last action (the duplicate sweep and the read-back) takes a while in
			// a large stack: say so rather than go silent.
			if (done === total) say(style.dim('Reading the stack back from the Hub to verify it...'));
		},
	}).finally(() => {
		process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
	});
	switch (outcome.status) {
		case 'no-changes':
			say('Nothing to apply.');
			return ran('no-changes', ExitCode.Ok, { succeeded: true });
		case 'refused':
			reportRefusal(outcome.reasons, io, 'Apply refused by a safety rail:');
			return ran('refused', ExitCode.Refused, { reasons: outcome.reasons });
		case 'cancelled':
			io.err('Apply cancelled; nothing was changed.');
			return ran('cancelled', ExitCode.Error);
		case 'applied': {
			say('');
			const stopped = hubUnavailableLine(outcome.result);
			if (stopped) io.err(stopped);
			for (const line of summaryLines(outcome.result, plan.stack)) say(line);
			const exitCode = outcome.succeeded ? ExitCode.Ok : ExitCode.Partial;
			const { result, succeeded } = outcome;
			return ran('applied', exitCode, { result, succeeded });
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

/** Apply as the CLI shows it: the prompt, a line per finished action, the summary, Ctrl-C. */
import { inlineText } from '../core/untrusted/text.js';
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-code.js';
import type { HubWriter } from '../hub/types.js';
import type { PlanToApply } from '../operations/apply.js';
import { carryOut, type CarryOutOptions } from '../operations/carry-out.js';
import type { ApplyEvent } from '../apply/events.js';
import { applyEventJson, toApplyJson, type ApplyRun } from '../render/apply-json.js';
import { createStyle } from '../render/index.js';
import { plural } from '../render/format.js';
import { finishLine, hubUnavailableLine, summaryLines } from '../render/apply-report.js';
import { resourceChanges } from '../render/resource-actions.js';
import { environmentOf, type Io } from './io.js';
import { reportRefusal } from './refusal.js';
import { jsonText } from '../core/untrusted/json.js';
import type { ApplyFormat } from './flags/output.js';

export interface TerminalApplyOptions extends Omit<
	CarryOutOptions,
	'approve' | 'onApproved' | 'onEvent'
> {
	/** `--auto-approve`, or a saved plan (reviewed already): no prompt. */
	readonly autoApprove: boolean;
	readonly color: boolean;
	/** json/jsonl: stdout carries the document (or event lines) only; the rest goes to stderr. */
	readonly format?: ApplyFormat;
	/** Called once the run is approved, before its first write. */
	readonly onApproved?: () => void;
}

/**
 * Until a run is approved, Ctrl-C or SIGTERM stops an apply that has changed nothing (planning
 * and the prompt only read the Hub): it says so, with the exit code of an interrupted apply.
 * Returns what takes the handler away again.
 */
export function sayNothingChangedIfInterrupted(io: Io): () => void {
	const interrupted = (signal: NodeJS.Signals) => {
		io.err(`\nInterrupted (${signal}) before apply changed anything; nothing was changed.`);
		process.exit(ExitCode.Interrupted);
	};
	process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
	return () => process.off('SIGINT', interrupted).off('SIGTERM', interrupted);
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

/**
 * After the plan is shown: the apply operation, with a terminal's prompt, a line per finished
 * action, and Ctrl-C; prints how it ended and returns the exit code.
 */
export async function carryOutInTerminal(
	planned: PlanToApply,
	hub: HubWriter,
	io: Io,
	options: TerminalApplyOptions
): Promise<number> {
	const { plan } = planned;
	const output = applyOutput(io, options.format);
	const say = output.say;
	const style = createStyle(options.color);
	const total =
		plan.actions.filter((action) => action.kind !== 'noop').length + resourceChanges(plan).length;
	let done = 0;
	// Interrupted, apply cannot know what the actions in flight did; a re-run converges.
	const interrupted = (signal: NodeJS.Signals) => {
		io.err(
			`\nInterrupted (${signal}) after ${done} of ${plural(total, 'action')}; those in flight may or may not have been applied. Run apply again to converge.`
		);
		process.exit(ExitCode.Interrupted);
	};
	const { autoApprove, color: _color, format: _format, onApproved, ...applyOptions } = options;
	const { outcome, run } = await carryOut(planned, hub, environmentOf(io), {
		...applyOptions,
		approve: autoApprove ? 'auto' : () => askToApply(io),
		onApproved: () => {
			onApproved?.();
			say('');
			process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
		},
		onEvent: (event) => {
			output.event(event);
			if (event.type === 'resource-progress') {
				say(style.dim(`  ${event.action.qualifiedKey}: ${inlineText(event.words)}...`));
				return;
			}
			if (event.type !== 'finish' && event.type !== 'resource-finish') return;
			done += 1;
			// Told once, in the line about the Hub (or the summary) below, not once per action.
			if (event.outcome.status === 'not-attempted') return;
			const line = finishLine(event, style);
			const progress = io.isTTY ? style.dim(`[${done}/${total}] `) : '';
			say(progress + line.trimStart());
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
			break;
		case 'refused':
			reportRefusal(outcome.reasons, io, 'Apply refused by a safety rail:');
			break;
		case 'cancelled':
			io.err('Apply cancelled; nothing was changed.');
			break;
		case 'applied': {
			say('');
			const stopped = hubUnavailableLine(outcome.result);
			if (stopped) io.err(stopped);
			for (const line of summaryLines(outcome.result, plan.stack)) say(line);
			break;
		}
	}
	return output.finish(run);
}

async function askToApply(io: Io): Promise<boolean> {
	if (!io.ask) {
		throw new UserError(
			'no terminal to confirm on: review the plan, then re-run with --auto-approve (or apply a saved plan)'
		);
	}
	return io.ask('\nApply these changes? Only `yes` is accepted: ');
}

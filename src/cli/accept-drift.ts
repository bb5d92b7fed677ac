/** `drift --write` as the terminal shows it: the diff, the question, what was written and recorded. */
import { createTwoFilesPatch } from 'diff';
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-code.js';
import { inlineText, messageText } from '../core/untrusted/text.js';
import type { SpecFileEdit } from '../operations/accept-drift.js';
import { acceptDriftFiles, type StackReadRequest } from '../operations/stack-reads.js';
import { outcomeLine, summaryLines } from '../render/apply-report.js';
import { createStyle } from '../render/index.js';
import type { Environment } from '../operations/environment.js';
import type { Io } from './io.js';

export async function acceptDriftInTerminal(
	request: StackReadRequest,
	io: Io,
	environment: Environment,
	autoApprove: boolean
): Promise<number> {
	const tellSkipped = (skipped: readonly string[]) => {
		for (const reason of skipped) io.err(`Not taken into the spec: ${inlineText(reason)}`);
	};
	const { spec, outcome } = await acceptDriftFiles(request, environment, {
		approve: async (edits, skipped) => {
			tellSkipped(skipped);
			for (const edit of edits) io.out(diffOf(edit));
			if (autoApprove) return true;
			if (!io.ask) {
				throw new UserError(
					'no terminal to confirm on: review the diff, then re-run with --auto-approve'
				);
			}
			return io.ask('\nWrite these changes to the spec? Only `yes` is accepted: ');
		},
		onWritten: ({ values, files }) => {
			const noun = values === 1 ? 'value' : 'values';
			io.err(
				files.length > 0
					? `Wrote ${values} ${noun} to ${files.join(', ')}: the spec now holds what the Hub has.`
					: `The spec already holds these ${noun} through its defaults: nothing to write.`
			);
		},
	});
	if (outcome.status === 'nothing') {
		tellSkipped(outcome.skipped);
		io.err('Nothing to write: no change made outside coder-sessions can be taken into the spec.');
		return ExitCode.Ok;
	}
	if (outcome.status === 'declined') {
		io.err('Nothing was written.');
		return ExitCode.Error;
	}
	const { result, succeeded } = outcome.recorded;
	const restamped = result.outcomes.filter((o) => o.status === 'applied').length;
	const sessions = restamped === 1 ? 'session' : 'sessions';
	io.err(`Recorded on ${restamped} ${sessions} that these values are the applied ones.`);
	if (succeeded) return ExitCode.Ok;
	const style = createStyle(false);
	for (const o of result.outcomes)
		if (o.status !== 'applied') io.err(outcomeLine(o, style).trimStart());
	for (const line of summaryLines(result, spec.stack).slice(1)) io.err(line);
	io.err(
		'Not every accepted session was recorded: run drift again, and --write what it still reports.'
	);
	return ExitCode.Partial;
}

/** The Hub's values, as the spec will hold them: shown as lines of text (the file is exact). */
function diffOf({ file, before, after }: SpecFileEdit): string {
	return messageText(
		createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, '', '', { context: 3 })
	);
}

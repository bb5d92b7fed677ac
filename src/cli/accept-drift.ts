/** `drift --write`: show the spec edits that take the Hub's values, confirm, write them. */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { acceptOutsideChanges } from '../plan/accept-drift.js';
import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-code.js';
import type { Spec } from '../kinds/session/desired.js';
import { STDIN_NAME } from '../spec/load.js';
import { setEntryFields } from '../spec/set-fields.js';
import type { Io } from './io.js';
import type { HubWriter } from '../hub/types.js';
import { recordAccepted } from '../operations/record-accepted.js';
import type { DriftRead } from '../operations/status.js';
import { createStyle } from '../render/index.js';
import { inlineText, messageText } from '../core/untrusted/index.js';
import { outcomeLine, summaryLines } from '../render/apply-report.js';

export interface AcceptContext {
	readonly hub: HubWriter;
	/** The spec read again once written. */
	readonly reload: () => Promise<Spec>;
	readonly autoApprove: boolean;
}

export async function acceptDrift(
	spec: Spec,
	read: DriftRead,
	io: Io,
	context: AcceptContext
): Promise<number> {
	const { autoApprove } = context;
	const accepted = acceptOutsideChanges(spec, read.plan, read.live);
	const files = [...new Set(accepted.edits.map((edit) => edit.file))];
	if (files.includes(STDIN_NAME)) {
		throw new UserError('--write cannot write to standard input: give the spec files with -f');
	}
	const changed = await Promise.all(
		files.map(async (file) => {
			const path = resolve(io.cwd, file);
			const before = await readFile(path, 'utf8');
			const set = setEntryFields(
				before,
				accepted.edits.filter((edit) => edit.file === file)
			);
			const written = set.written.map((value) => ({ ...value, file }));
			return { file, path, before, after: set.text, written, skipped: set.skipped };
		})
	);
	const skipped = [...accepted.skipped, ...changed.flatMap((file) => file.skipped)];
	for (const reason of skipped) io.err(`Not taken into the spec: ${inlineText(reason)}`);
	const edits = changed.flatMap((file) => file.written);
	if (edits.length === 0) {
		io.err('Nothing to write: no change made outside coder-sessions can be taken into the spec.');
		return ExitCode.Ok;
	}
	const rewritten = changed.filter((file) => file.after !== file.before);
	for (const { file, before, after } of rewritten) {
		// The Hub's values, as the spec will hold them: shown as lines of text (the file is exact).
		const diff = createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, '', '', {
			context: 3,
		});
		io.out(messageText(diff));
	}
	if (!autoApprove) {
		if (!io.ask) {
			throw new UserError(
				'no terminal to confirm on: review the diff, then re-run with --auto-approve'
			);
		}
		if (!(await io.ask('\nWrite these changes to the spec? Only `yes` is accepted: '))) {
			io.err('Nothing was written.');
			return ExitCode.Error;
		}
	}
	for (const { path, after } of rewritten) await writeFile(path, after);
	const noun = edits.length === 1 ? 'value' : 'values';
	const names = rewritten.map((file) => file.file);
	io.err(
		names.length > 0
			? `Wrote ${edits.length} ${noun} to ${names.join(', ')}: the spec now holds what the Hub has.`
			: `The spec already holds these ${noun} through its defaults: nothing to write.`
	);
	const keys = new Set(edits.map((edit) => edit.key));
	const written = await context.reload();
	const { result, succeeded } = await recordAccepted(written, read, keys, context.hub);
	const restamped = result.outcomes.filter((outcome) => outcome.status === 'applied').length;
	const sessions = restamped === 1 ? 'session' : 'sessions';
	io.err(`Recorded on ${restamped} ${sessions} that these values are the applied ones.`);
	if (succeeded) return ExitCode.Ok;
	const style = createStyle(false);
	for (const outcome of result.outcomes)
		if (outcome.status !== 'applied') io.err(outcomeLine(outcome, style).trimStart());
	for (const line of summaryLines(result, spec.stack).slice(1)) io.err(line);
	io.err(
		'Not every accepted session was recorded: run drift again, and --write what it still reports.'
	);
	return ExitCode.Partial;
}

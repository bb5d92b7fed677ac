import type { Command } from 'commander';
import {
	DEFAULT_SPEC_FILE,
	loadSpec,
	renderSpecErrors,
	specErrorToJson,
	type SpecResult,
} from '../../spec/index.js';
import { ExitCode } from '../../core/exit-code.js';
import { unsetSpecVariables, unsetVariablesNote } from '../../plan/env/missing.js';
import type { Io } from '../io.js';
import type { CommandHost } from '../run.js';
import { specFileOption } from '../flags/spec.js';
import { addOutputFlags, REPORT_FORMATS, type ReportFormat } from '../flags/output.js';
import { jsonText } from '../../core/untrusted/index.js';

export type ValidateFormat = ReportFormat;

export interface ValidateOptions {
	readonly files: readonly string[];
	readonly format: ValidateFormat;
}

function describe(result: Extract<SpecResult, { ok: true }>): string {
	const { spec } = result;
	// Entries, not sessions: a plan also counts live sessions the spec no longer names.
	const noun = spec.sessions.length === 1 ? 'entry' : 'entries';
	return `${spec.files.join(', ')}: ${spec.sessions.length} ${noun} in stack ${spec.stack}`;
}

export async function runValidate(options: ValidateOptions, io: Io): Promise<number> {
	const result = await loadSpec(options.files, {
		cwd: io.cwd,
		...(io.readStdin ? { readStdin: io.readStdin } : {}),
	});
	// Offline, so no plan to fail: only a note, which plan turns into an error where it creates.
	if (result.ok) {
		const unset = unsetSpecVariables(result.spec.sessions, io.env);
		if (unset.length > 0) io.err(unsetVariablesNote(unset));
	}
	if (options.format === 'json') {
		const report = result.ok
			? {
					valid: true,
					stack: result.spec.stack,
					sessions: result.spec.sessions.length,
					files: result.spec.files,
				}
			: { valid: false, errors: result.errors.map(specErrorToJson) };
		io.out(jsonText(report, 2));
	} else if (result.ok) {
		io.out(describe(result));
	} else {
		io.err(renderSpecErrors(result.errors));
	}
	return result.ok ? ExitCode.Ok : ExitCode.Error;
}

export function registerValidate(program: Command, host: CommandHost): void {
	const command = program
		.command('validate')
		.summary('Check the spec files offline (no credentials needed)')
		.description(
			'Check the spec offline: YAML syntax, fields and values, env references, and that several files agree. Needs no credentials and never contacts the Hub.'
		);
	command.addOption(specFileOption());
	addOutputFlags(command, { formats: REPORT_FORMATS, color: false })
		.addHelpText(
			'after',
			`
Errors are printed one per line as FILE:LINE:COL: PATH: MESSAGE, followed by a count; the exit
code is 1 when there is any. --format json prints {"valid": true, "stack", "sessions", "files"}
or {"valid": false, "errors": [{file, line, column, path, message}]} to stdout.

Examples:
  coder-sessions validate
  coder-sessions validate -f base.yaml -f team.yaml --format json`
		)
		.action(async (flags: { file?: string[]; format: ValidateFormat }) => {
			const options = { files: flags.file ?? [DEFAULT_SPEC_FILE], format: flags.format };
			await host.run((io) => runValidate(options, io));
		});
}

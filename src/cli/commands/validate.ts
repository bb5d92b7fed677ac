import type { Command } from 'commander';
import { DEFAULT_SPEC_FILE } from '../../spec/default-file.js';
import type { CommandHost } from '../run.js';
import {
	addSpecVarFlags,
	specFileOption,
	specVarInputs,
	type SpecVarFlags,
} from '../flags/spec.js';
import { addOutputFlags, REPORT_FORMATS } from '../flags/output.js';
import type { ValidateFormat } from '../actions/validate.js';

export function registerValidate(program: Command, host: CommandHost): void {
	const command = program
		.command('validate')
		.summary('Check the spec files offline (no credentials needed)')
		.description(
			'Check the spec offline: YAML syntax, fields and values, env references, and that several files agree. Needs no credentials and never contacts the Hub.'
		);
	command.addOption(specFileOption());
	addSpecVarFlags(command);
	addOutputFlags(command, { formats: REPORT_FORMATS, color: false })
		.addHelpText(
			'after',
			`
Errors are printed one per line as FILE:LINE:COL: PATH: MESSAGE, followed by a count; the exit
code is 1 when there is any. --format json prints {"valid": true, "stack", "sessions",
"files", and with templates "fromTemplates" and "templates"}
or {"valid": false, "errors": [{file, line, column, path, message}]} to stdout.

Examples:
  coder-sessions validate
  coder-sessions validate -f base.yaml -f team.yaml --format json
  coder-sessions validate --var-file prod.yaml --var env=prod`
		)
		.action(async (flags: SpecVarFlags & { file?: string[]; format: ValidateFormat }) => {
			const options = {
				files: flags.file ?? [DEFAULT_SPEC_FILE],
				format: flags.format,
				...specVarInputs(flags),
			};
			const { runValidate } = await import('../actions/validate.js');
			await host.run((io) => runValidate(options, io));
		});
}

import { Option, type Command } from 'commander';
import { DEFAULT_SPEC_FILE } from '../../spec/default-file.js';
import type { CommandHost } from '../run.js';
import { collect } from '../flags/spec.js';
import type { FmtFlags } from '../actions/fmt.js';

export function registerFmt(program: Command, host: CommandHost): void {
	program
		.command('fmt')
		.argument('[files...]', 'spec files to format, as with -f')
		.summary('Rewrite spec files in the canonical layout, comments kept')
		.description(
			'Rewrite spec files in one canonical layout: keys in the order the schema documents them, strings quoted only where YAML needs it (single quotes), two-space indentation; comments and blank lines are kept. Each file must be valid on its own; nothing is written when any file has an error.'
		)
		.addOption(
			new Option(
				'-f, --file <path>',
				`spec file to format; repeatable, each file is formatted on its own (default: ${DEFAULT_SPEC_FILE})`
			).argParser(collect)
		)
		.option('--check', 'write nothing; exit 1 and name the files that are not formatted (for CI)')
		.option('--diff', 'print the changes as a unified diff (env values with literal text masked)')
		.addHelpText(
			'after',
			`
Examples:
  coder-sessions fmt                                 # rewrite sessions.yaml
  coder-sessions fmt -f base.yaml -f team.yaml
  coder-sessions fmt --check --diff -f sessions.yaml  # CI: fail when a file is not formatted`
		)
		.action(async (files: string[], flags: FmtFlags) => {
			const { runFmt } = await import('../actions/fmt.js');
			await host.run((io) => runFmt([...(flags.file ?? []), ...files], flags, io));
		});
}

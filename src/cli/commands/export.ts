import { Option, type Command } from 'commander';
import { addHubFlags } from '../flags/hub.js';
import { addOutputFlags } from '../flags/output.js';
import { addReadFlags } from '../flags/plan.js';
import type { CommandHost } from '../run.js';
import type { ExportFlags } from '../actions/export.js';

export function registerExport(program: Command, host: CommandHost): void {
	const command = program
		.command('export')
		.description("Print a spec for sessions on the Hub: a stack's, or unmarked ones to adopt")
		.option(
			'--stack <stack>',
			'the stack of the exported spec; its sessions and records of the other kinds are exported unless --unmanaged'
		)
		.addOption(
			new Option('--unmanaged', 'export the unmarked sessions alone, each with adopt:').conflicts(
				'all'
			)
		)
		.option('--all', "export the stack's sessions and records, and the unmarked sessions")
		.option('--search <text>', 'only sessions whose label, task or a metadata value contains this')
		.option(
			'--write <file>',
			'add the exported entries at the end of their sections in FILE, keeping its comments, instead of printing the spec; a FILE not there yet gets the printed spec'
		)
		.addHelpText(
			'after',
			`
The spec goes to stdout, notes to stderr. Archived sessions and sessions of other stacks are
never exported. The Hub never returns env values: each env key is written as a \${KEY}
reference to the variable of the same name. Examples:
  coder-sessions export --local --stack docs-team > sessions.yaml
  coder-sessions export --stack docs-team --unmanaged --search review
  coder-sessions export --stack docs-team --unmanaged --write sessions.yaml`
		);
	addReadFlags(command, 'Hub reads', { discovery: false });
	addOutputFlags(command, { color: false });
	addHubFlags(command).action(async (flags: ExportFlags) => {
		const { runExport } = await import('../actions/export.js');
		await host.run((io) => runExport(flags, io));
	});
}

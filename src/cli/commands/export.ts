import { Option, type Command } from 'commander';
import type { ExportSelection } from '../../export/index.js';
import { connectHub, type HubTarget } from '../../operations/connect.js';
import { checkStack, exportSessions } from '../../operations/export.js';
import { ExitCode } from '../../exit-code.js';
import { addHubOptions } from '../hub-options.js';
import { colorOption, parallelismOption, parseParallelism } from '../options.js';
import { environmentOf, type Io } from '../io.js';
import type { CommandHost } from '../run.js';

export interface ExportFlags extends HubTarget {
	readonly stack?: string;
	readonly unmanaged?: boolean;
	readonly all?: boolean;
	readonly search?: string;
	readonly parallelism?: string;
}

export function registerExport(program: Command, host: CommandHost): void {
	const command = program
		.command('export')
		.addOption(colorOption(false))
		.description("Print a spec for sessions on the Hub: a stack's, or unmarked ones to adopt")
		.option(
			'--stack <stack>',
			'the stack of the exported spec; its sessions are exported unless --unmanaged'
		)
		.addOption(
			new Option('--unmanaged', 'export the unmarked sessions instead, each with adopt:').conflicts(
				'all'
			)
		)
		.option('--all', "export the stack's sessions and the unmarked ones")
		.option('--search <text>', 'only sessions whose label, task or a metadata value contains this')
		.addOption(parallelismOption('Hub reads'))
		.addHelpText(
			'after',
			`
The spec goes to stdout, notes to stderr. Archived sessions and sessions of other stacks are
never exported. The Hub never returns env values: each env key is written as a \${KEY}
reference to the variable of the same name. Examples:
  coder-sessions export --local --stack docs-team > sessions.yaml
  coder-sessions export --stack docs-team --unmanaged --search review`
		);
	addHubOptions(command).action(async (flags: ExportFlags) => {
		await host.run((io) => runExport(flags, io));
	});
}

export async function runExport(flags: ExportFlags, io: Io): Promise<number> {
	const stack = checkStack(flags.stack);
	const select: ExportSelection = flags.all ? 'all' : flags.unmanaged ? 'unmanaged' : 'stack';
	const parallelism = parseParallelism(flags.parallelism);
	const connected = await connectHub(flags, environmentOf(io));
	try {
		const result = await exportSessions(connected, {
			stack,
			select,
			...(flags.search !== undefined ? { search: flags.search } : {}),
			parallelism,
		});
		io.out(result.text);
		for (const warning of result.warnings) io.err(`export: ${warning}`);
		const noun = result.count === 1 ? 'session' : 'sessions';
		io.err(`Exported ${result.count} ${noun} for stack ${stack}.`);
		return ExitCode.Ok;
	} finally {
		await connected.close();
	}
}

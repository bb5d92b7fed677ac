import { Option, type Command } from 'commander';
import type { ExportSelection } from '../../spec/export/index.js';
import { exportFiles, type Exported } from '../../operations/export.js';
import { ExitCode } from '../../core/exit-code.js';
import { addHubFlags, parseHubFlags, type HubFlags } from '../flags/hub.js';
import { addOutputFlags } from '../flags/output.js';
import { addReadFlags, parseReadFlags, type ReadFlags } from '../flags/plan.js';
import { environmentOf, type Io } from '../io.js';
import type { CommandHost } from '../run.js';
import { inlineText } from '../../core/untrusted/text.js';

export interface ExportFlags extends HubFlags, ReadFlags {
	readonly stack?: string;
	readonly unmanaged?: boolean;
	readonly all?: boolean;
	readonly search?: string;
	readonly write?: string;
}

export function registerExport(program: Command, host: CommandHost): void {
	const command = program
		.command('export')
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
		.option(
			'--write <file>',
			'add the exported entries at the end of sessions: in FILE (created when missing), keeping its comments, instead of printing the spec'
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
		await host.run((io) => runExport(flags, io));
	});
}

export async function runExport(flags: ExportFlags, io: Io): Promise<number> {
	const select: ExportSelection = flags.all ? 'all' : flags.unmanaged ? 'unmanaged' : 'stack';
	const exported = await exportFiles(
		{
			stack: flags.stack,
			select,
			...(flags.search !== undefined ? { search: flags.search } : {}),
			parallelism: parseReadFlags(flags).parallelism,
			target: parseHubFlags(flags),
			...(flags.write !== undefined ? { write: flags.write } : {}),
		},
		environmentOf(io)
	);
	return showExported(exported, flags.write, io);
}

/** The spec on stdout (or where it was written), notes and the count on stderr. */
function showExported({ stack, result, written }: Exported, write: string | undefined, io: Io) {
	for (const warning of result.warnings) io.err(`export: ${inlineText(warning)}`);
	const noun = result.count === 1 ? 'session' : 'sessions';
	if (write === undefined) {
		io.out(result.text);
		io.err(`Exported ${result.count} ${noun} for stack ${stack}.`);
	} else if (written === undefined) {
		io.err(`No sessions to export for stack ${stack}; ${write} left as it was.`);
	} else {
		io.err(`Wrote ${result.count} ${noun} for stack ${stack} to ${written}.`);
	}
	return ExitCode.Ok;
}

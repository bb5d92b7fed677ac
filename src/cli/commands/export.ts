import { Option, type Command } from 'commander';
import { UserError } from '../../errors.js';
import { exportSpec, type ExportSelection } from '../../export/index.js';
import { readOnly } from '../../hub-client/client.js';
import { parseSpec } from '../../spec/merge.js';
import { STACK_PATTERN } from '../../spec/schema.js';
import { ExitCode } from '../../exit-code.js';
import { addHubOptions, openHub } from '../hub-options.js';
import { colorOption, parallelismOption, parseParallelism } from '../options.js';
import { processIo, type Io } from '../io.js';
import { exitWith, runCommand } from '../run.js';
import type { HubFlags } from '../../hub-client/connection.js';

export interface ExportFlags extends HubFlags {
	readonly stack?: string;
	readonly unmanaged?: boolean;
	readonly all?: boolean;
	readonly search?: string;
	readonly parallelism?: string;
}

export function registerExport(program: Command): void {
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
		const io = processIo();
		exitWith(await runCommand(io, () => runExport(flags, io)));
	});
}

export async function runExport(flags: ExportFlags, io: Io): Promise<number> {
	const stack = flags.stack;
	if (stack === undefined) {
		throw new UserError(
			'name the stack of the exported spec with --stack STACK (with --unmanaged or --all too)'
		);
	}
	if (!STACK_PATTERN.test(stack)) {
		throw new UserError(
			`invalid --stack "${stack}": use lowercase letters, digits and dashes, starting with a letter`
		);
	}
	const select: ExportSelection = flags.all ? 'all' : flags.unmanaged ? 'unmanaged' : 'stack';
	const search = flags.search?.trim() || undefined;
	const parallelism = parseParallelism(flags.parallelism);
	const opened = await openHub(flags, io);
	try {
		const live = await readOnly(opened.hub).readLiveSessions({
			parallelism,
			...(search ? { search } : {}),
		});
		const result = exportSpec(live, { stack, select, ...(search ? { search } : {}) });
		// The file must load as it is: anything else is a bug here, not the user's to fix.
		const check = parseSpec([{ file: 'export', text: result.text }]);
		if (!check.ok)
			throw new Error(`the exported spec does not validate: ${check.errors[0]?.message ?? ''}`);
		io.out(result.text);
		for (const warning of result.warnings) io.err(`export: ${warning}`);
		const noun = result.count === 1 ? 'session' : 'sessions';
		io.err(`Exported ${result.count} ${noun} for stack ${stack}.`);
		return ExitCode.Ok;
	} finally {
		await opened.close();
	}
}

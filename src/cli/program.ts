/** The `coder-sessions` program: every command, the exit codes, and how a command line runs. */
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../core/exit-code.js';
import { guardLines } from '../core/untrusted/text.js';
import type { CommandHost } from './run.js';
import { isVersionOnly, packageVersion } from './version.js';

/** Where commander writes help, the version and usage errors (default: the process streams). */
export interface ProgramOutput {
	readonly writeOut: (text: string) => void;
	readonly writeErr: (text: string) => void;
}

async function createProgram(
	args: readonly string[],
	host: CommandHost,
	output?: ProgramOutput
): Promise<Command> {
	const program = new Command('coder-sessions')
		.description(
			'Keep Agentuity Coder sessions in git: validate a YAML spec, plan the changes against the Hub, apply them.'
		)
		.version(packageVersion(), '-V, --version')
		.showSuggestionAfterError(true)
		.showHelpAfterError('(run with --help for usage)')
		.exitOverride()
		// A usage error quotes the command line, which may hold any text: no line of it may be a
		// workflow command.
		.configureOutput({ ...output, outputError: (text, write) => write(guardLines(text)) })
		.addHelpText(
			'after',
			`
Exit codes:
    0  success, or no changes
    1  error (bad spec, bad flags, Hub error), or a prompt answered other than yes
    2  changes present (plan --detailed-exitcode)
    3  refused by a safety rail
    4  saved plan is stale, or made for another Hub
    5  apply (or forget, drift --write) finished with failed or unknown actions
    6  drift detected (drift)
  130  interrupted (Ctrl-C or SIGTERM), at a prompt too; an apply: run it again to converge`
		);
	// Each command's modules load with it; the version alone starts without them.
	if (isVersionOnly(args)) return program;
	const { registerCommands } = await import('./commands/index.js');
	await registerCommands(program, host, args);
	return program;
}

/**
 * Runs one command line (the arguments after the program name). Usage errors exit 1, help and
 * the version 0, through `exit`; a command reports its own exit code through the host.
 */
export async function runProgram(
	args: readonly string[],
	host: CommandHost,
	exit: (code: number) => void,
	output?: ProgramOutput
): Promise<void> {
	try {
		const program = await createProgram(args, host, output);
		await program.parseAsync([...args], { from: 'user' });
	} catch (error) {
		if (!(error instanceof CommanderError)) throw error;
		// Help and version exit 0; usage errors (unknown command or flag, missing value) exit 1.
		const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(
			error.code
		);
		exit(ok ? ExitCode.Ok : ExitCode.Error);
	}
}

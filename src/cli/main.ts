#!/usr/bin/env node
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../exit-code.js';
import { registerCommands } from './commands/index.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command('coder-sessions')
	.description(
		'Keep Agentuity Coder sessions in git: validate a YAML spec, plan the changes against the Hub, apply them.'
	)
	.version(version, '-V, --version')
	.showSuggestionAfterError(true)
	.showHelpAfterError('(run with --help for usage)')
	.exitOverride()
	.configureOutput({ outputError: (text, write) => write(text) })
	.addHelpText(
		'after',
		`
Exit codes:
    0  success, or no changes
    1  error (bad spec, bad flags, Hub error)
    2  changes present (plan --detailed-exitcode)
    3  refused by a safety rail
    4  saved plan is stale
    5  apply finished with failed actions
    6  drift detected (drift)
  130  apply interrupted (Ctrl-C); run it again to converge`
	);

// `coder-sessions plan | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
		throw error;
	});
}

registerCommands(program);

try {
	await program.parseAsync(process.argv);
} catch (error) {
	if (error instanceof CommanderError) {
		// Help and version exit 0; usage errors (unknown command or flag, missing value) exit 1.
		const ok = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(
			error.code
		);
		process.exitCode = ok ? ExitCode.Ok : ExitCode.Error;
	} else {
		throw error;
	}
}

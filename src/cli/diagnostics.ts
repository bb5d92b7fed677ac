/** `--verbose` and CODER_SESSIONS_LOG=debug: each Hub request described on the command's stderr. */
import type { Command } from 'commander';
import { logHubCalls } from '../hub/call-log.js';
import type { CommandHost } from './run.js';

export const LOG_ENV = 'CODER_SESSIONS_LOG';

/**
 * Adds `--verbose` to the program and returns the host commands run in: while a command runs
 * with logging asked for, each Hub request is described to that command's own stderr.
 */
export function withDiagnostics(program: Command, host: CommandHost): CommandHost {
	let verbose = false;
	program
		.option(
			'--verbose',
			`log each Hub request (method, path, status, milliseconds) to stderr; also ${LOG_ENV}=debug`
		)
		.hook('preAction', (root) => {
			verbose = root.opts<{ verbose?: boolean }>().verbose === true;
		});
	return {
		run: (body) =>
			host.run(async (io) => {
				if (!debugLogging(verbose, io.env)) return body(io);
				return logHubCalls(
					(line) => io.err(line),
					() => body(io)
				);
			}),
	};
}

export function debugLogging(verbose: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
	return verbose === true || env[LOG_ENV]?.trim().toLowerCase() === 'debug';
}

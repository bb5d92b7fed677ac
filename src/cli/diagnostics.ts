/** `--verbose` and CODER_SESSIONS_LOG=debug: each Hub request described on stderr. */
import type { Command } from 'commander';
import { logHubCallsTo } from '../hub-client/call-log.js';
import { processIo } from './io.js';

export const LOG_ENV = 'CODER_SESSIONS_LOG';

export function addDiagnostics(program: Command): void {
	program
		.option(
			'--verbose',
			`log each Hub request (method, path, status, milliseconds) to stderr; also ${LOG_ENV}=debug`
		)
		.hook('preAction', (root) => {
			if (debugLogging(root.opts<{ verbose?: boolean }>().verbose, process.env)) {
				const io = processIo();
				logHubCallsTo((line) => io.err(line));
			}
		});
}

export function debugLogging(verbose: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
	return verbose === true || env[LOG_ENV]?.trim().toLowerCase() === 'debug';
}

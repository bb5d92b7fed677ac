import { UserError } from '../core/errors.js';
import { ExitCode } from '../core/exit-code.js';
import { processIo, type Io } from './io.js';
import { redact } from '../core/secrets/redact.js';
import { breaker, closeHubRoutes } from '../hub/hub-fetch.js';
import { messageText } from '../core/untrusted/text.js';
import { showWaiting } from './waiting.js';
import { renderUserError } from '../render/user-error.js';

/**
 * Runs a command body and turns what escapes it into an exit code: a UserError prints what it
 * says (spec errors rendered from their values); anything else is a bug and says so, with the stack. Either passes through the
 * redactor first: an error may quote what the Hub (or a proxy) echoed of a request. Its text is
 * made safe to print as any quoted text is (hidden characters escaped, no workflow command).
 */
export async function runCommand(io: Io, body: () => Promise<number>): Promise<number> {
	const stopWaiting = io.progress
		? showWaiting(io.progress, () => breaker.oldestWaiting())
		: undefined;
	try {
		return await body();
	} catch (error) {
		if (error instanceof UserError) {
			io.err(messageText(redact(renderUserError(error))));
			return error.exitCode;
		}
		const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
		io.err(
			messageText(
				redact(`Internal error (this is a bug in coder-sessions, please report it):\n${detail}`)
			)
		);
		return ExitCode.Error;
	} finally {
		stopWaiting?.();
	}
}

/** Sets the exit code of the process from a command's result. */
export function exitWith(code: number): void {
	process.exitCode = code;
}

/** Where commands run: the process (the binary), or captured streams (tests, embedding). */
export interface CommandHost {
	/** Runs a command body with its Io and records the exit code it returns. */
	run(body: (io: Io) => Promise<number>): Promise<void>;
}

/** The binary's host: the process streams, and process.exitCode. */
export const processHost: CommandHost = {
	run: async (body) => {
		const io = processIo();
		try {
			exitWith(await runCommand(io, () => body(io)));
		} finally {
			await closeHubRoutes();
		}
	},
};

import { UserError } from '../errors.js';
import { ExitCode } from '../exit-code.js';
import type { Io } from './io.js';
import { redact } from '../secrets/redact.js';

/**
 * Runs a command body and turns what escapes it into an exit code: a UserError prints its
 * message alone; anything else is a bug and says so, with the stack. Either passes through the
 * redactor first: an error may quote what the Hub (or a proxy) echoed of a request.
 */
export async function runCommand(io: Io, body: () => Promise<number>): Promise<number> {
	try {
		return await body();
	} catch (error) {
		if (error instanceof UserError) {
			io.err(redact(error.bare ? error.message : `Error: ${error.message}`));
			return error.exitCode;
		}
		const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
		io.err(
			redact(`Internal error (this is a bug in coder-sessions, please report it):\n${detail}`)
		);
		return ExitCode.Error;
	}
}

/** Sets the exit code of the process from a command's result. */
export function exitWith(code: number): void {
	process.exitCode = code;
}

/**
 * Operational errors that reach the user with a clear message and an exit code, never a stack.
 * Anything else that escapes a command is treated as a bug.
 */
import { ExitCode } from './exit-code.js';
import { specErrorLines, type SpecError } from './spec-error.js';

export class UserError extends Error {
	override readonly name: string = 'UserError';
	constructor(
		message: string,
		readonly exitCode: ExitCode = ExitCode.Error
	) {
		super(message);
	}
}

/**
 * The spec, or what the Hub or the environment hold of what it names, stops the command: the
 * problems as values, each at its file, line and column; a view renders them (the CLI
 * compiler-style, one per line). The message lists them as plain text for callers that print it.
 */
export class SpecInvalidError extends UserError {
	override readonly name: string = 'SpecInvalidError';
	override readonly exitCode: typeof ExitCode.Error = ExitCode.Error;
	/** What the problems have in common, said before them; absent: they speak for themselves. */
	readonly heading?: string;
	/** What to do about them, said after them. */
	readonly hint?: string;
	constructor(
		readonly errors: readonly SpecError[],
		context: { readonly heading?: string; readonly hint?: string } = {}
	) {
		super(
			[
				...(context.heading ? [context.heading] : []),
				...specErrorLines(errors).lines,
				...(context.hint ? [context.hint] : []),
			].join('\n')
		);
		if (context.heading) this.heading = context.heading;
		if (context.hint) this.hint = context.hint;
	}
}

/** The Hub could not be reached or answered with an error. */
export class HubError extends UserError {
	override readonly name: string = 'HubError';
	constructor(
		message: string,
		readonly status?: number
	) {
		super(message, ExitCode.Error);
	}
}

/** The session does not exist (HTTP 404). */
export class SessionGoneError extends HubError {
	override readonly name: string = 'SessionGoneError';
	constructor(readonly sessionId: string) {
		super(`session ${sessionId} not found`, 404);
	}
}

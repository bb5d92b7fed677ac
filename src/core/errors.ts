/**
 * Operational errors that reach the user with a clear message and an exit code, never a stack.
 * Anything else that escapes a command is treated as a bug.
 */
export class UserError extends Error {
	override readonly name: string = 'UserError';
	constructor(
		message: string,
		readonly exitCode: number = 1,
		/** The message is complete as it is (e.g. compiler-style spec errors): print it without a prefix. */
		readonly bare: boolean = false
	) {
		super(message);
	}
}

/** The Hub could not be reached or answered with an error. */
export class HubError extends UserError {
	override readonly name: string = 'HubError';
	constructor(
		message: string,
		readonly status?: number
	) {
		super(message, 1);
	}
}

/** The session does not exist (HTTP 404). */
export class SessionGoneError extends HubError {
	override readonly name: string = 'SessionGoneError';
	constructor(readonly sessionId: string) {
		super(`session ${sessionId} not found`, 404);
	}
}

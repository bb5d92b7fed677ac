import { UserError } from '../core/errors.js';

/** The state file cannot be trusted; the Hub refuses to start rather than overwrite it. */
export class LocalHubStateError extends UserError {
	override readonly name: string = 'LocalHubStateError';
	constructor(
		readonly file: string,
		readonly line: number | undefined,
		reason: string
	) {
		// A file that was read but not trusted is never rewritten; say so, it is the next question.
		const hint = line === undefined ? '' : '. Fix or move the file away; it was left untouched.';
		super(`local Hub state file ${file}${line === undefined ? '' : `:${line}`}: ${reason}${hint}`);
	}
}

/** The server could not start: bad options, or the port could not be bound. */
export class LocalHubStartError extends UserError {
	override readonly name: string = 'LocalHubStartError';
}

/** A request the Hub answers with an error body (hub-api §5.5). */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {},
		readonly details?: Record<string, unknown>
	) {
		super(message);
	}
}

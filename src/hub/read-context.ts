import type { CoderClient } from '@agentuity/core/coder';
import type { HubError } from '../core/errors.js';
import { statusOf } from './errors.js';
import type { Throttle } from './throttle.js';
import type { HubCallCounts } from './types.js';

/** What a read beside the session reads shares with them: the client, the 429 brake, the counts. */
export interface ReadContext {
	readonly client: CoderClient;
	readonly reads: Throttle;
	readonly calls: HubCallCounts;
	/** Our error for what the SDK threw (`what` names the call). */
	readonly fail: (error: unknown, what: string) => HubError;
}

/**
 * What a caller makes of an answer the route is known to give (`status` is the Hub's): a value
 * to return (`{ answer }`), or undefined when the status is no answer of its own. It may throw
 * an error of its own too.
 */
export type KnownAnswer<U> = (status: number | undefined) => { readonly answer: U } | undefined;

/** One read beside the session reads: throttled with them, counted as `other`. */
export function readOther<T, U = never>(
	context: ReadContext,
	what: string,
	call: () => Promise<T>,
	known: KnownAnswer<U> = () => undefined
): Promise<T | U> {
	return context.reads.run(async () => {
		context.calls.other += 1;
		try {
			return await call();
		} catch (error) {
			const handled = known(statusOf(error));
			if (handled) return handled.answer;
			throw context.fail(error, what);
		}
	});
}

/** A 404: the thing read is gone, which is an answer (undefined), not a failure. */
export const goneIsUndefined: KnownAnswer<undefined> = (status) =>
	status === 404 ? { answer: undefined } : undefined;

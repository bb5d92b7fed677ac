import type { Action } from '../plan/types.js';

/** `not-attempted`: the Hub had stopped answering before the action's turn came. */
export type OutcomeStatus = 'applied' | 'failed' | 'skipped' | 'unknown' | 'not-attempted';

export interface Outcome {
	readonly action: Action;
	readonly status: OutcomeStatus;
	/** The session the action created or changed. */
	readonly sessionId?: string;
	/** The Hub's message for a failure, or a note (e.g. a create adopted after a lost response). */
	readonly message?: string;
}

export type ApplyEvent =
	| { readonly type: 'start'; readonly action: Action }
	| { readonly type: 'finish'; readonly outcome: Outcome };

export interface NotConverged {
	readonly key: string;
	readonly sessionId?: string;
	readonly problem: string;
}

/** A second session for a key this run created, left by this run's own re-sent create. */
export interface DuplicateArchived {
	readonly key: string;
	readonly id: string;
	/** The session the create answered with, which is kept. */
	readonly kept: string;
}

/** A session of the stack that another writer created, changed or removed while this run ran. */
export interface OtherWrite {
	readonly key: string;
	readonly sessionId: string;
	readonly change: 'created' | 'changed' | 'archived' | 'deleted';
}

export interface ApplyResult {
	readonly outcomes: readonly Outcome[];
	readonly duplicatesArchived: readonly DuplicateArchived[];
	/** Touched sessions that, read back, do not match what was applied. */
	readonly notConverged: readonly NotConverged[];
	/** What another writer did to the stack between this run's plan and its read-back. */
	readonly otherWrites: readonly OtherWrite[];
	/**
	 * Why the Hub could not be listed after the actions: then neither this run's duplicates nor
	 * another writer's sessions could be looked for.
	 */
	readonly readBackFailure?: string;
	/** The id this run wrote in `coder-sessions/run`. */
	readonly runId: string;
	/**
	 * Why the run stopped early when the Hub stopped answering (e.g. "the Hub at ... stopped
	 * answering (connection refused)"); the duplicate sweep and the read-back were then skipped.
	 */
	readonly hubUnavailable?: string;
}

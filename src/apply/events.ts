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

/** A second session for a key this run created, left by a re-sent create and archived. */
export interface DuplicateArchived {
	readonly key: string;
	readonly id: string;
	/** The session the create answered with, which is kept. */
	readonly kept: string;
}

export interface ApplyResult {
	readonly outcomes: readonly Outcome[];
	readonly duplicatesArchived: readonly DuplicateArchived[];
	/** Touched sessions that, read back, do not match what was applied. */
	readonly notConverged: readonly NotConverged[];
	/**
	 * Why the run stopped early when the Hub stopped answering (e.g. "the Hub at ... stopped
	 * answering (connection refused)"); the duplicate sweep and the read-back were then skipped.
	 */
	readonly hubUnavailable?: string;
}

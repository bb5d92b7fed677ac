import type { Action } from '../plan/types.js';

export type OutcomeStatus = 'applied' | 'failed' | 'skipped' | 'unknown';

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

export interface ApplyResult {
	readonly outcomes: readonly Outcome[];
	/** Touched sessions that, read back, do not match what was applied. */
	readonly notConverged: readonly NotConverged[];
}

import type { Action, ResourceAction } from '../plan/types.js';

/**
 * `not-attempted`: the Hub had stopped answering before the action's turn came. `conflict`: read
 * again just before its write, the session was no longer what the plan saw (another writer
 * archived, deleted, forgot, adopted or applied it meanwhile), so nothing was written.
 */
export type OutcomeStatus =
	'applied' | 'failed' | 'skipped' | 'unknown' | 'not-attempted' | 'conflict';

export interface Outcome {
	readonly action: Action;
	readonly status: OutcomeStatus;
	/** The session the action created or changed. */
	readonly sessionId?: string;
	/** The Hub's message for a failure, or a note (e.g. a create adopted after a lost response). */
	readonly message?: string;
}

/** What became of an action on another kind of the kind table. */
export interface ResourceOutcome {
	readonly action: ResourceAction;
	readonly status: OutcomeStatus;
	/** The record created or changed. */
	readonly id?: string;
	readonly message?: string;
}

/**
 * Progress of a run: a session action (`start`, `finish`) or an action on another kind of the
 * kind table (`resource-start`, `resource-finish`), as it begins and ends.
 */
export type ApplyEvent =
	| { readonly type: 'start'; readonly action: Action }
	| { readonly type: 'finish'; readonly outcome: Outcome }
	| { readonly type: 'resource-start'; readonly action: ResourceAction }
	| { readonly type: 'resource-finish'; readonly outcome: ResourceOutcome }
	/** A record being prepared by the Hub (a workspace's snapshot building), as its state changes. */
	| { readonly type: 'resource-progress'; readonly action: ResourceAction; readonly words: string };

/** A record of another kind that, read back after the run, is not what the plan wanted. */
export interface ResourceNotConverged {
	/** The kind's name (`note`). */
	readonly resource: string;
	/** How plans name the entry (`notes.a`). */
	readonly qualifiedKey: string;
	readonly id?: string;
	readonly problem: string;
}

export interface NotConverged {
	readonly key: string;
	readonly sessionId?: string;
	readonly problem: string;
}

/**
 * A session this run created for a key and archived again in the same run, because the key has
 * another session that stays:
 * - `resent`: a copy a re-sent create of this run left; the one the create answered with stays.
 * - `joined`: a session that existed before the plan joined the stack as this key while the run
 *   created it (import, adopt, take-over): the joined session stays, this run's copy goes.
 * - `other-run`: another run created the key at the same time, and its copy is older: the oldest
 *   copy stays, so two runs creating one key leave exactly one session.
 */
export interface DuplicateArchived {
	readonly key: string;
	readonly id: string;
	/** The session that stays. */
	readonly kept: string;
	readonly cause: 'resent' | 'joined' | 'other-run';
}

/**
 * A session of the stack that another writer created, changed or removed while this run ran, or
 * that joined the stack meanwhile (`joined`: it existed before the plan and carries the stack's
 * markers now: an import, adopt or take-over). `changed` covers a write by another run after
 * this run's own write of the session.
 */
export interface OtherWrite {
	readonly key: string;
	readonly sessionId: string;
	readonly change: 'created' | 'joined' | 'changed' | 'archived' | 'deleted';
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
	/**
	 * With `hubUnavailable`: something answered, with what the run refuses (a proxy's HTML page,
	 * an answer too large, a redirect), rather than nothing answering.
	 */
	readonly hubAnswerRefused?: boolean;
	/** The actions on the other kinds of the kind table; absent when the plan has none. */
	readonly resourceOutcomes?: readonly ResourceOutcome[];
	/** Records of other kinds that, read back, are not what was applied; absent with no such actions. */
	readonly resourceNotConverged?: readonly ResourceNotConverged[];
}

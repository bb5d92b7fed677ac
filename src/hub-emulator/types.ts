/** Public shapes of the local Hub: options, the running handle, the GitHub fixture. */
import type { LocalFixturesInput } from './fixtures.js';

/** A repository entry of the GitHub fixture: a bare name, or a name with details. */
export type LocalGithubRepo =
	string | { readonly name: string; readonly defaultBranch?: string; readonly private?: boolean };

/** One GitHub account the local Hub pretends the caller has installed the App on. */
export interface LocalGithubAccount {
	readonly account: string;
	readonly type?: 'User' | 'Organization';
	readonly repos: readonly LocalGithubRepo[];
}

export interface LocalHubOptions {
	/** 0 (the default) picks an ephemeral port. */
	readonly port?: number;
	/** Default 127.0.0.1. */
	readonly host?: string;
	/** The journal file; absent keeps everything in memory. */
	readonly stateFile?: string;
	/** When set, every request needs `Authorization: Bearer <token>` or `x-agentuity-auth-api-key`. */
	readonly token?: string;
	/** Every /api request waits this long before it is handled. */
	readonly latencyMs?: number;
	/** 0..1: share of /api requests answered 503 before anything is written. */
	readonly failRate?: number;
	/** Token bucket (burst = one second's worth); beyond it, 429 with Retry-After. */
	readonly rateLimitPerSec?: number;
	/** 0..1: share of creates that are committed, then have their socket destroyed unanswered. */
	readonly resetAfterCommitRate?: number;
	/**
	 * A new session reads as `creating`, then `provisioning`, until this long after creation
	 * (default DEFAULT_ACTIVATE_AFTER_MS, 3 s; the test support uses 0).
	 */
	readonly activateAfterMs?: number;
	/**
	 * A workspace snapshot build reads `building` until this long after it started, then `ready`
	 * (default DEFAULT_SNAPSHOT_READY_AFTER_MS, 5 s; the test support uses 0). A build starts
	 * when a create or update sets new dependencies or a new setup script, and on refresh.
	 */
	readonly snapshotReadyAfterMs?: number;
	/** 0..1: share of snapshot builds that end `failed`, with an error. */
	readonly snapshotFailRate?: number;
	/**
	 * A live session with no activity for this long reads as `paused` (wakeable) until resumed;
	 * a session's own `timeout.idle` wins. Default: none.
	 */
	readonly idleTimeoutMs?: number;
	/**
	 * Default true: answer as the REST reference documents and refuse what it does not allow: a
	 * PATCH key outside its wire schema (400), a write to an archived or history-only session
	 * (409 CODER_SESSION_ARCHIVED), a create or PATCH naming a workspace, saved skill, skill
	 * bucket or agent the org does not hold (400). False: the looser local Hub of earlier
	 * versions, the other answer to each undocumented question (see README.md beside this file).
	 */
	readonly strict?: boolean;
	/** `search` matches label and task only, never metadata (default false). */
	readonly searchIgnoresMetadata?: boolean;
	/** A new session is found by `search` only this long after its creation (default 0). */
	readonly searchDelayMs?: number;
	/** The largest `limit` a list honours (default 1000); no `limit` at all returns everything. */
	readonly maxPageSize?: number;
	/** Added to every session list's `total` (a hint on the Hub, which counts a broader set). */
	readonly totalSurplus?: number;
	/** New sessions come with participants, events and a replay (see simulated-activity.ts). */
	readonly simulateActivity?: boolean;
	/**
	 * The session detail's `env` holds each variable's value, as a real Hub may echo it (default
	 * false: names with empty values). The values are held in memory only, never in the state
	 * file, so after a restart the detail names the variables with empty values again.
	 */
	readonly echoEnv?: boolean;
	/**
	 * Each session created through the API spawns this many worker sessions at once, each with
	 * a copy of its metadata, `parentSessionId` and `sessionKind: worker` (see spawn.ts; default 0).
	 */
	readonly spawnWorkers?: number;
	/** Users, skills, buckets, workspaces and agents put in place at start (see fixtures.ts). */
	readonly fixtures?: LocalFixturesInput;
	/** Served by GET /api/hub/github/accounts and /repos; absent = GitHub not connected. */
	readonly githubRepos?: readonly LocalGithubAccount[];
	/** Source of randomness for ids and fault draws (seed it in tests). */
	readonly random?: () => number;
	/**
	 * The Hub's clock, for every time it writes and reads (`createdAt`, search indexing, the
	 * lifecycle). Tests set it apart from the client's to play a Hub whose clock is skewed.
	 */
	readonly now?: () => Date;
	/** Recoverable problems (a torn journal tail); default: printed to stderr. */
	readonly onWarning?: (message: string) => void;
}

export interface LocalHub {
	/** The Hub root to give CoderClient as `url`; routes live under `${url}/api`. */
	readonly url: string;
	readonly port: number;
	/** Stops accepting requests, lets in-flight ones finish, flushes and closes the journal. */
	close(): Promise<void>;
	/** Requests by route name, `total`, and `fault:*` counts. */
	stats(): Record<string, number>;
}

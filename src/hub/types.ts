/**
 * Our own view of Hub sessions: the words the planner and the executor speak, independent of
 * the SDK's wire types. Only src/hub/ maps between the two.
 */
import type { HubUnavailableError } from './errors.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { AnyResourceKindRow, KindStore } from '../kinds/kind.js';

/** What a read of the Hub cost, for the plan's footer and the benchmark. */
export interface HubCallCounts {
	/** Pages of the session list. */
	list: number;
	/** Lists of the other kinds (agents, workspaces, saved skills, skill buckets): one each. */
	kindList: number;
	get: number;
	create: number;
	update: number;
	archive: number;
	delete: number;
	other: number;
}

export interface ReadOptions {
	/** At most this many detail reads at once (default 8). */
	readonly parallelism?: number;
	/** readLiveSessions: ask the Hub's search for this text (a hint: the Hub may ignore it). */
	readonly search?: string;
	/** Told after each detail read: how many are done of how many listed so far. */
	readonly onProgress?: (done: number, total: number) => void;
}

/**
 * What a create sent a moment ago (its answer lost) tells of the session it may have made: the
 * session is active, created within the last minutes by the Hub's clock, and holds this label
 * when the create gave one.
 */
export interface JustCreated {
	readonly label?: string;
}

/** What a list call tells of a session without its detail (no metadata). */
export interface SessionSummary {
	readonly id: string;
	readonly createdAt: string;
	/** Absent when the Hub does not say. */
	readonly lastActivityAt?: string;
	/** History-only: archived, shut down or stopped. */
	readonly archived: boolean;
	/** Absent when the Hub does not say. */
	readonly label?: string;
}

export interface ListQuery {
	/** Ask the Hub's search for this text; absent lists every session. */
	readonly search?: string;
	readonly includeArchived: boolean;
	/** Sessions asked for per list call (default 100); the Hub may cap it. */
	readonly pageSize?: number;
	/** List calls at once, once the first page's total tells how many pages there are (default 1). */
	readonly parallelism?: number;
}

/** One list call's answer: the sessions not seen on an earlier page, and the Hub's total. */
export interface SummaryPage {
	readonly sessions: readonly SessionSummary[];
	/** Sessions matching the query, as the Hub counts them (a hint: it may be absent). */
	readonly total?: number;
}

/** Reading sessions: lists (cheap, no metadata) and details (one call each, with metadata). */
export interface SessionReader {
	/** Every session the key can see, archived ones included, with detail. */
	readLiveSessions(options?: ReadOptions): Promise<LiveSession[]>;
	/** One session's detail; undefined when the Hub says 404. */
	getSession(id: string): Promise<LiveSession | undefined>;
	/** The details of these sessions (gone ones left out), `parallelism` at a time. */
	readDetails(ids: readonly string[], options?: ReadOptions): Promise<LiveSession[]>;
	/**
	 * The sessions (archived included) whose markers name this stack and key. Asks the Hub's
	 * search for the key first; stays correct when the Hub ignores search, only slower: then every
	 * session is read, or with `justCreated`, only those listed as created lately.
	 */
	findByKey(
		stack: string,
		key: string,
		options?: ReadOptions & { readonly justCreated?: JustCreated }
	): Promise<LiveSession[]>;
	/** The ids of every session the key can see (list calls only, no detail); archived included unless told. */
	listSessionIds(options?: { readonly includeArchived?: boolean }): Promise<string[]>;
	/** Every page of a listing, in the Hub's order, as list calls are answered. */
	listSummaries(query: ListQuery): AsyncGenerator<SummaryPage>;
}

/** Reading the org's GitHub connection (for the repo check). */
export interface GitHubReader {
	/** The GitHub accounts the org's GitHub App installations reach (counted as `other`). */
	listGitHubAccounts(): Promise<GitHubAccounts>;
	/** The repositories the installation reaches under one account (counted as `other`). */
	listGitHubRepos(accountId: string): Promise<GitHubRepo[]>;
}

/** Reading what happens in a session (for status). */
export interface ActivityReader {
	/** A session's participants; undefined when the session is gone (counted as `other`). */
	readParticipants(id: string): Promise<ParticipantSummary | undefined>;
	/** A session's event history, counted (one or two calls, counted as `other`). */
	readEventHistory(id: string): Promise<EventHistorySummary | undefined>;
	/** Whether the Hub holds a replay for the session (counted as `other`). */
	readReplay(id: string): Promise<ReplaySummary | undefined>;
	/**
	 * A loop-mode session's loop (getLoopState); undefined when the session is gone or not in
	 * loop mode (counted as `other`).
	 */
	readLoopState(id: string): Promise<LoopSummary | undefined>;
}

/** What talking to the Hub has cost so far, and whether it still answers. */
export interface HubHealth {
	readonly calls: Readonly<HubCallCounts>;
	/** Set once the Hub has stopped answering: from then on every call fails at once. */
	readonly unavailable?: HubUnavailableError;
}

/** Reading the org's library: workspaces, saved skills, skill buckets, custom agents (for the reference check). */
export interface LibraryReader {
	/**
	 * Every record of one library kind, for the reference check; undefined when the Hub has no
	 * route for it (an older Hub: 404 or 501). Counted as `other`.
	 */
	listLibrary(kind: LibraryKind): Promise<LibraryEntry[] | undefined>;
	/** One workspace, or custom agent by id or slug; undefined on 404 (counted as `other`). */
	findLibraryEntry(kind: 'workspace' | 'agent', id: string): Promise<LibraryEntry | undefined>;
}

/** A kind's one list, split by the row's `retired`. */
export interface KindListing {
	readonly records: readonly unknown[];
	/** Records the Hub keeps that are no one's (archived agents), for the plan's conflicts only. */
	readonly retired: readonly unknown[];
}

/** Reading the records of a kind of the kind table other than sessions. */
export interface KindReader {
	/** Every record of the row's kind, through its store (counted as `list`). */
	readKind?(row: AnyResourceKindRow): Promise<KindListing>;
}

/** The read-only facade handed to `plan`: it has no way to change the Hub. */
export interface HubReader
	extends SessionReader, GitHubReader, LibraryReader, ActivityReader, KindReader, HubHealth {}

/** The Hub's records a session may name: workspaces, saved skills, skill buckets, custom agents. */
export type LibraryKind = 'workspace' | 'savedSkill' | 'skillBucket' | 'agent';

/** A library record: its id, and the other names it is known by (name, skillId, slug). */
export interface LibraryEntry {
	readonly id: string;
	readonly names: readonly string[];
	/** A custom agent's slug, which a session may name in place of the id. */
	readonly slug?: string;
}

export interface GitHubAccount {
	readonly id: string;
	/** The account's GitHub login, e.g. `agentuity`. */
	readonly login: string;
}

export interface GitHubAccounts {
	/** False when the org has no GitHub connection; `accounts` is then empty. */
	readonly connected: boolean;
	readonly accounts: readonly GitHubAccount[];
}

export interface GitHubRepo {
	/** The owner's login and the repository's name, as GitHub spells them. */
	readonly owner: string;
	readonly name: string;
}

/**
 * Everything apply writes on create: the keys of the SDK's create request as the field table maps
 * a spec entry to them (src/kinds/session/fields), values resolved (env values included).
 */
export interface CreateSessionInput {
	readonly [requestKey: string]: unknown;
	readonly metadata: Readonly<Record<string, string>>;
}

/** A create's answer: the new session's id, and the session as the answer and the request say. */
export interface CreatedSession {
	readonly id: string;
	/** Fields the answer does not carry are as sent; `createdAt` is empty (the listing has it). */
	readonly session: LiveSession;
}

/** The keys of the SDK's update request (PATCH) an update sends, as the field table maps them. */
export interface UpdateSessionInput {
	readonly [requestKey: string]: unknown;
	/** Merged into the session's metadata by the Hub. */
	readonly metadata?: Readonly<Record<string, string>>;
}

/**
 * The writing facade for apply. Errors are our own: SessionGoneError for 404, HubError for the
 * rest (with the Hub's message and status). `status === undefined` on a create failure means the
 * outcome is unknown (connection reset, 5xx after the SDK's retries).
 */
export interface HubWriter extends HubReader {
	createSession(input: CreateSessionInput): Promise<CreatedSession>;
	/**
	 * Given the session as it was just before, resolves to what the update's answer says it is
	 * now; undefined without `before`, or when the answer does not echo every key sent.
	 */
	updateSession(
		id: string,
		input: UpdateSessionInput,
		before?: LiveSession
	): Promise<LiveSession | undefined>;
	archiveSession(id: string): Promise<void>;
	deleteSession(id: string): Promise<void>;
	/** The row's store on this Hub: its writes counted, throttled and mapped to our errors. */
	kindStore?(row: AnyResourceKindRow): KindStore<unknown, unknown, unknown>;
}

/** Who is or was attached to a session (from listParticipants). */
export interface ParticipantSummary {
	readonly count: number;
	/** Participants with no disconnect time. */
	readonly connected: number;
	readonly lastActivityAt?: string;
}

/** A session's event history (from listEventHistory). */
export interface EventHistorySummary {
	readonly count: number;
	/** True when the Hub gave no total and `count` is only what one page held. */
	readonly atLeast: boolean;
	readonly lastEventAt?: string;
}

/** Where a loop-mode session's loop is (from getLoopState). */
export interface LoopSummary {
	/** idle, starting, running, paused, completed, cancelled, blocked or awaiting_input. */
	readonly status: string;
	readonly iteration: number;
	readonly maxIterations?: number;
	readonly summary?: string;
	readonly nextAction?: string;
}

/** Whether a replay exists (from getReplay, asked for one entry). */
export interface ReplaySummary {
	readonly available: boolean;
}

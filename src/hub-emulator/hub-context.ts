/** What every route handler is given: the store, time, ids, limits, and the request itself. */
import type { SearchRules } from './search.js';
import type { ServerResponse } from 'node:http';
import type { EventStreams } from './event-stream.js';
import type { LibraryKind } from './library-record.js';
import type { LocalGithubAccount } from './types.js';
import type { SessionStore } from './store.js';
import type { Clock } from './wire.js';
import type { SnapshotBuilder } from './workspace-snapshot.js';

export interface HubContext {
	readonly store: SessionStore;
	readonly clock: Clock;
	/** How long a workspace snapshot build takes, and whether it fails. */
	readonly snapshotBuilder: SnapshotBuilder;
	readonly now: () => Date;
	readonly newId: () => string;
	/** A fresh id for a library record of this kind. */
	readonly newRecordId: (kind: LibraryKind) => string;
	/** Answer as the REST reference documents, refusing what it does not allow (see types.ts). */
	readonly strict: boolean;
	readonly maxPageSize: number;
	readonly searchRules: SearchRules;
	/** Added to every session list's `total`. */
	readonly totalSurplus: number;
	/** New sessions come with participants, events and a replay. */
	readonly simulateActivity: boolean;
	/**
	 * With `echoEnv`: each session's env values by session id, echoed in its detail. In memory
	 * only: nothing secret reaches the state file.
	 */
	readonly echoedEnv: Map<string, Readonly<Record<string, string>>> | undefined;
	/** Worker sessions spawned with each session created through the API (spawn.ts). */
	readonly spawnWorkers: number;
	/** Open event streams (SSE). */
	readonly streams: EventStreams;
	readonly githubRepos: readonly LocalGithubAccount[] | undefined;
	/** Counts something noteworthy in the stats (e.g. ignored PATCH keys). */
	readonly note: (key: string) => void;
}

export interface RequestInfo {
	readonly org: string;
	readonly id: string;
	readonly query: URLSearchParams;
	readonly body: () => Promise<unknown>;
}

export interface Reply {
	readonly status: number;
	readonly body: unknown;
}

/** A reply the handler writes itself, for as long as it likes (an event stream). */
export interface StreamReply {
	readonly stream: (response: ServerResponse) => void;
}

export type Handler = (
	hub: HubContext,
	request: RequestInfo
) => Reply | StreamReply | Promise<Reply | StreamReply>;

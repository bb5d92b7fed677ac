/** What every route handler is given: the store, time, ids, limits, and the request itself. */
import type { SearchRules } from './search.js';
import type { LocalGithubAccount } from './types.js';
import type { SessionStore } from './store.js';
import type { Clock } from './wire.js';

export interface HubContext {
	readonly store: SessionStore;
	readonly clock: Clock;
	readonly now: () => Date;
	readonly newId: () => string;
	readonly maxPageSize: number;
	readonly searchRules: SearchRules;
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

export type Handler = (hub: HubContext, request: RequestInfo) => Reply | Promise<Reply>;

/**
 * The only module that talks to CoderClient: paging, detail fan-out with bounded concurrency,
 * call counting and error mapping. `plan` receives the read-only facade.
 */
import { CoderClient } from '@agentuity/core/coder';
import pLimit from 'p-limit';
import type { HubConnection } from './connection.js';
import {
	GitHubNotConnectedError,
	isOutcomeUnknown,
	OutcomeUnknownError,
	statusOf,
	toHubError,
} from './errors.js';
import { toCreateRequest, toUpdateRequest } from './requests.js';
import { toLiveSession } from './map.js';
import { toEventHistorySummary, toParticipantSummary, toReplaySummary } from './activity-map.js';
import { MARKER } from '../plan/markers.js';
import { captureRetryAfter } from './retry-after.js';
import { Throttle } from './throttle.js';
import type {
	CreateSessionInput,
	EventHistorySummary,
	GitHubAccounts,
	GitHubRepo,
	HubCallCounts,
	HubReader,
	HubWriter,
	LiveSession,
	ParticipantSummary,
	ReadOptions,
	ReplaySummary,
	UpdateSessionInput,
} from './types.js';

export const DEFAULT_PARALLELISM = 8;
/** Sessions per list call. The Hub documents no maximum; short pages end the listing. */
export const PAGE_SIZE = 100;
/** Events asked for in one history read; the Hub's `total` gives the count. */
export const EVENT_PAGE_SIZE = 50;

export function connect(connection: HubConnection): HubWriter {
	captureRetryAfter();
	const client = new CoderClient({
		url: connection.url,
		apiKey: connection.apiKey,
		orgId: connection.orgId,
		region: connection.region,
	});
	return new SdkHub(client);
}

/** A facade with the read methods only: plan cannot change the Hub even by mistake. */
export function readOnly(hub: HubReader): HubReader {
	return {
		readLiveSessions: (options) => hub.readLiveSessions(options),
		getSession: (id) => hub.getSession(id),
		findByKey: (stack, key, options) => hub.findByKey(stack, key, options),
		listGitHubAccounts: () => hub.listGitHubAccounts(),
		listGitHubRepos: (accountId) => hub.listGitHubRepos(accountId),
		readParticipants: (id) => hub.readParticipants(id),
		readEventHistory: (id) => hub.readEventHistory(id),
		readReplay: (id) => hub.readReplay(id),
		get calls() {
			return hub.calls;
		},
	};
}

class SdkHub implements HubWriter {
	readonly calls: HubCallCounts = {
		list: 0,
		get: 0,
		create: 0,
		update: 0,
		archive: 0,
		delete: 0,
		other: 0,
	};
	/** Reads wait out a 429 too (plan, verify, find by key); writes are braked by apply. */
	private readonly reads = new Throttle();

	constructor(private readonly client: CoderClient) {}

	readLiveSessions(options: ReadOptions = {}): Promise<LiveSession[]> {
		return this.readAll(options.search, options);
	}

	async findByKey(stack: string, key: string, options: ReadOptions = {}): Promise<LiveSession[]> {
		const found = await this.readAll(key, options);
		return found.filter(
			(s) => s.metadata[MARKER.stack] === stack && s.metadata[MARKER.key] === key
		);
	}

	private async readAll(search: string | undefined, options: ReadOptions): Promise<LiveSession[]> {
		const limit = pLimit(options.parallelism ?? DEFAULT_PARALLELISM);
		const details: Promise<LiveSession | undefined>[] = [];
		const seen = new Set<string>();
		let pageSize = PAGE_SIZE;
		for (let offset = 0; ;) {
			const { sessions: page, total } = await this.listPage(offset, pageSize, search);
			for (const { sessionId } of page) {
				// Paging by offset can show a session twice when others are created meanwhile.
				if (seen.has(sessionId)) continue;
				seen.add(sessionId);
				details.push(limit(() => this.getSession(sessionId)));
			}
			offset += page.length;
			if (page.length === 0) break;
			if (page.length < pageSize) {
				// A short page ends the listing, unless the Hub caps pages below our size and its
				// `total` (only a hint) says more exist: then page on at the Hub's size.
				if (offset >= (total ?? 0)) break;
				pageSize = page.length;
			}
		}
		const sessions = await Promise.all(details);
		// A session deleted between the list and the detail read is simply gone.
		return sessions.filter((session): session is LiveSession => session !== undefined);
	}

	private listPage(offset: number, limit: number, search: string | undefined) {
		return this.reads.run(async () => {
			this.calls.list += 1;
			try {
				return await this.client.listSessions({ includeArchived: true, limit, offset, search });
			} catch (error) {
				throw toHubError(error, 'list sessions');
			}
		});
	}

	getSession(id: string): Promise<LiveSession | undefined> {
		return this.reads.run(async () => {
			this.calls.get += 1;
			try {
				return toLiveSession(await this.client.getSession(id));
			} catch (error) {
				if (statusOf(error) === 404) return undefined;
				throw toHubError(error, `read session ${id}`, id);
			}
		});
	}

	listGitHubAccounts(): Promise<GitHubAccounts> {
		return this.readGitHub('list GitHub accounts', async () => {
			const { connected, accounts } = await this.client.listGitHubAccounts();
			return {
				connected,
				accounts: accounts.map((a) => ({ id: a.accountId, login: a.accountName })),
			};
		});
	}

	listGitHubRepos(accountId: string): Promise<GitHubRepo[]> {
		return this.readGitHub(`list GitHub repos of account ${accountId}`, async () => {
			const { repositories } = await this.client.listGitHubRepos(accountId);
			return repositories.map((repo) => ({ owner: repo.owner.login, name: repo.name }));
		});
	}

	/** The Hub answers 409 on these routes when the org has no GitHub (OAuth) connection. */
	private readGitHub<T>(what: string, call: () => Promise<T>): Promise<T> {
		return this.reads.run(async () => {
			this.calls.other += 1;
			try {
				return await call();
			} catch (error) {
				if (statusOf(error) === 409) throw new GitHubNotConnectedError();
				throw toHubError(error, what);
			}
		});
	}

	readParticipants(id: string): Promise<ParticipantSummary | undefined> {
		return this.readSessionData(`list participants of session ${id}`, async () =>
			toParticipantSummary(await this.client.listParticipants(id))
		);
	}

	async readEventHistory(id: string): Promise<EventHistorySummary | undefined> {
		const what = `read event history of session ${id}`;
		const first = await this.readSessionData(what, () =>
			this.client.listEventHistory(id, { limit: EVENT_PAGE_SIZE })
		);
		if (!first) return undefined;
		const total = first.total ?? 0;
		const last =
			total > first.events.length
				? await this.readSessionData(what, () =>
						this.client.listEventHistory(id, { limit: 1, offset: total - 1 })
					)
				: undefined;
		return toEventHistorySummary(last ? [first, last] : [first], EVENT_PAGE_SIZE);
	}

	readReplay(id: string): Promise<ReplaySummary | undefined> {
		return this.readSessionData(`read replay of session ${id}`, async () =>
			toReplaySummary(await this.client.getReplay(id, { limit: 1 }))
		);
	}

	/** Reads of a session's data: throttled and counted as `other`; a 404 means the session is gone. */
	private readSessionData<T>(what: string, call: () => Promise<T>): Promise<T | undefined> {
		return this.reads.run(async () => {
			this.calls.other += 1;
			try {
				return await call();
			} catch (error) {
				if (statusOf(error) === 404) return undefined;
				throw toHubError(error, what);
			}
		});
	}

	async createSession(input: CreateSessionInput): Promise<{ id: string }> {
		this.calls.create += 1;
		try {
			const created = await this.client.createSession(toCreateRequest(input));
			return { id: created.sessionId };
		} catch (error) {
			if (isOutcomeUnknown(error)) {
				const reason = toHubError(error, 'create session').message;
				throw new OutcomeUnknownError(`${reason} (the session may have been created)`);
			}
			throw toHubError(error, 'create session');
		}
	}

	async updateSession(id: string, input: UpdateSessionInput): Promise<void> {
		this.calls.update += 1;
		try {
			await this.client.updateSession(id, toUpdateRequest(input));
		} catch (error) {
			throw toHubError(error, `update session ${id}`, id);
		}
	}

	async archiveSession(id: string): Promise<void> {
		this.calls.archive += 1;
		try {
			await this.client.archiveSession(id);
		} catch (error) {
			throw toHubError(error, `archive session ${id}`, id);
		}
	}

	async deleteSession(id: string): Promise<void> {
		this.calls.delete += 1;
		try {
			await this.client.deleteSession(id);
		} catch (error) {
			throw toHubError(error, `delete session ${id}`, id);
		}
	}
}

/**
 * The only module that talks to CoderClient: paging, detail fan-out with bounded concurrency,
 * call counting and error mapping. `plan` receives the read-only facade.
 */
import { CoderClient } from '@agentuity/core/coder';
import { getServiceUrls } from '@agentuity/core/config';
import pLimit from 'p-limit';
import type { HubConnection } from './connection.js';
import { HubError } from '../errors.js';
import {
	HubUnavailableError,
	isOutcomeUnknown,
	OutcomeUnknownError,
	statusOf,
	toHubError,
} from './errors.js';
import { readEventHistory, readParticipants, readReplay } from './activity-reads.js';
import { listGitHubAccounts, listGitHubRepos } from './github-reads.js';
import { findLibraryEntry, listLibrary } from './library-reads.js';
import type { ReadContext } from './read-context.js';
import { toCreateRequest, toUpdateRequest } from './requests.js';
import { toLiveSession } from './map.js';
import { MARKER } from '../ownership/markers.js';
import { breaker, installHubFetch } from './hub-fetch.js';
import { Throttle } from './throttle.js';
import type {
	CreateSessionInput,
	EventHistorySummary,
	GitHubAccounts,
	GitHubRepo,
	LibraryEntry,
	LibraryKind,
	HubCallCounts,
	HubReader,
	HubWriter,
	ParticipantSummary,
	ReadOptions,
	ReplaySummary,
	UpdateSessionInput,
} from './types.js';
import type { LiveSession } from '../session/live.js';

export const DEFAULT_PARALLELISM = 8;
/** Sessions per list call. The Hub documents no maximum; short pages end the listing. */
export const PAGE_SIZE = 100;

/** The SDK's default region, when neither --region nor AGENTUITY_REGION names one. */
const DEFAULT_REGION = 'usc';

export function connect(connection: HubConnection): HubWriter {
	installHubFetch();
	if (!connection.url) nameDiscovery(connection.region ?? DEFAULT_REGION);
	const client = new CoderClient({
		url: connection.url,
		apiKey: connection.apiKey,
		orgId: connection.orgId,
		region: connection.region,
	});
	return new SdkHub(client);
}

/** Without a URL the SDK asks Catalyst for the Hub's: its failures should say so. */
function nameDiscovery(region: string): void {
	let catalyst: string;
	try {
		catalyst = getServiceUrls(region).catalyst;
	} catch {
		return;
	}
	breaker.name(
		catalyst,
		(reason) => `could not discover the Hub for region ${region} at ${catalyst}: ${reason}`
	);
}

/** A facade with the read methods only: plan cannot change the Hub even by mistake. */
export function readOnly(hub: HubReader): HubReader {
	return {
		readLiveSessions: (options) => hub.readLiveSessions(options),
		getSession: (id) => hub.getSession(id),
		findByKey: (stack, key, options) => hub.findByKey(stack, key, options),
		listSessionIds: () => hub.listSessionIds(),
		listGitHubAccounts: () => hub.listGitHubAccounts(),
		listGitHubRepos: (accountId) => hub.listGitHubRepos(accountId),
		listLibrary: (kind) => hub.listLibrary(kind),
		findLibraryEntry: (kind, id) => hub.findLibraryEntry(kind, id),
		readParticipants: (id) => hub.readParticipants(id),
		readEventHistory: (id) => hub.readEventHistory(id),
		readReplay: (id) => hub.readReplay(id),
		get calls() {
			return hub.calls;
		},
		get unavailable() {
			return hub.unavailable;
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
	private readonly context: ReadContext;

	#unavailable: HubUnavailableError | undefined;

	constructor(private readonly client: CoderClient) {
		this.context = {
			client,
			reads: this.reads,
			calls: this.calls,
			fail: (error, what) => this.fail(error, what),
		};
	}

	get unavailable(): HubUnavailableError | undefined {
		return this.#unavailable;
	}

	/** Our error for what the SDK threw; the first sign of a Hub that stopped answering is kept. */
	private fail(error: unknown, what: string, sessionId?: string): HubError {
		const mapped = toHubError(error, what, sessionId);
		if (mapped instanceof HubUnavailableError) this.#unavailable ??= mapped;
		return mapped;
	}

	readLiveSessions(options: ReadOptions = {}): Promise<LiveSession[]> {
		return this.readAll(options.search, options);
	}

	async findByKey(stack: string, key: string, options: ReadOptions = {}): Promise<LiveSession[]> {
		const owned = (sessions: LiveSession[]) =>
			sessions.filter((s) => s.metadata[MARKER.stack] === stack && s.metadata[MARKER.key] === key);
		const found = owned(await this.readAll(key, options));
		// Whether search matches metadata is the Hub's choice: an absence is confirmed by a full read.
		return found.length > 0 ? found : owned(await this.readAll(undefined, options));
	}

	private async readAll(search: string | undefined, options: ReadOptions): Promise<LiveSession[]> {
		const limit = pLimit(options.parallelism ?? DEFAULT_PARALLELISM);
		const details: Promise<LiveSession | undefined>[] = [];
		for await (const ids of this.listedIds(search)) {
			for (const sessionId of ids) {
				const detail = limit(() => this.getSession(sessionId));
				// Handled at Promise.all below; until then a failure must not go unhandled.
				detail.catch(() => {});
				details.push(detail);
			}
		}
		const sessions = await Promise.all(details);
		// A session deleted between the list and the detail read is simply gone.
		return sessions.filter((session): session is LiveSession => session !== undefined);
	}

	async listSessionIds(): Promise<string[]> {
		const all: string[] = [];
		for await (const ids of this.listedIds(undefined)) all.push(...ids);
		return all;
	}

	/** Every page of the list, as the ids not seen on an earlier page. */
	private async *listedIds(search: string | undefined): AsyncGenerator<string[]> {
		const seen = new Set<string>();
		let pageSize = PAGE_SIZE;
		for (let offset = 0; ;) {
			const { sessions: page, total } = await this.listPage(offset, pageSize, search);
			// Paging by offset can show a session twice when others are created meanwhile.
			const fresh = page.map((item) => item.sessionId).filter((id) => !seen.has(id));
			if (page.length > 0 && fresh.length === 0) {
				throw new HubError(
					'list sessions: the Hub answered the same page twice (does it ignore offset?)'
				);
			}
			for (const id of fresh) seen.add(id);
			yield fresh;
			offset += page.length;
			if (page.length === 0) break;
			if (page.length < pageSize) {
				// A short page ends the listing, unless the Hub caps pages below our size and its
				// `total` (only a hint) says more exist: then page on at the Hub's size.
				if (offset >= (total ?? 0)) break;
				pageSize = page.length;
			}
		}
	}

	private listPage(offset: number, limit: number, search: string | undefined) {
		return this.reads.run(async () => {
			this.calls.list += 1;
			try {
				return await this.client.listSessions({ includeArchived: true, limit, offset, search });
			} catch (error) {
				throw this.fail(error, 'list sessions');
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
				throw this.fail(error, `read session ${id}`, id);
			}
		});
	}

	listGitHubAccounts(): Promise<GitHubAccounts> {
		return listGitHubAccounts(this.context);
	}

	listGitHubRepos(accountId: string): Promise<GitHubRepo[]> {
		return listGitHubRepos(this.context, accountId);
	}

	listLibrary(kind: LibraryKind): Promise<LibraryEntry[] | undefined> {
		return listLibrary(this.context, kind);
	}

	findLibraryEntry(kind: 'workspace' | 'agent', id: string): Promise<LibraryEntry | undefined> {
		return findLibraryEntry(this.context, kind, id);
	}

	readParticipants(id: string): Promise<ParticipantSummary | undefined> {
		return readParticipants(this.context, id);
	}

	readEventHistory(id: string): Promise<EventHistorySummary | undefined> {
		return readEventHistory(this.context, id);
	}

	readReplay(id: string): Promise<ReplaySummary | undefined> {
		return readReplay(this.context, id);
	}

	async createSession(input: CreateSessionInput): Promise<{ id: string }> {
		this.calls.create += 1;
		try {
			const created = await this.client.createSession(toCreateRequest(input));
			return { id: created.sessionId };
		} catch (error) {
			if (isOutcomeUnknown(error)) {
				const reason = this.fail(error, 'create session').message;
				throw new OutcomeUnknownError(`${reason} (the session may have been created)`);
			}
			throw this.fail(error, 'create session');
		}
	}

	async updateSession(id: string, input: UpdateSessionInput): Promise<void> {
		this.calls.update += 1;
		try {
			await this.client.updateSession(id, toUpdateRequest(input));
		} catch (error) {
			throw this.fail(error, `update session ${id}`, id);
		}
	}

	async archiveSession(id: string): Promise<void> {
		this.calls.archive += 1;
		try {
			await this.client.archiveSession(id);
		} catch (error) {
			throw this.fail(error, `archive session ${id}`, id);
		}
	}

	async deleteSession(id: string): Promise<void> {
		this.calls.delete += 1;
		try {
			await this.client.deleteSession(id);
		} catch (error) {
			throw this.fail(error, `delete session ${id}`, id);
		}
	}
}

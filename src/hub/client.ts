/**
 * The only module that talks to CoderClient: paging, detail fan-out with bounded concurrency,
 * call counting and error mapping. `plan` receives the read-only facade. The SDK is imported at
 * the first call to the Hub, so that commands that never make one (validate, fmt, schema, help)
 * start without loading it.
 */
import type { CoderClient } from '@agentuity/core/coder';
import type { ApiKeyVariable, HubConnection } from './connection.js';
import { HubError } from '../core/errors.js';
import {
	HubUnavailableError,
	isOutcomeUnknown,
	OutcomeUnknownError,
	statusOf,
	toHubError,
} from './errors.js';
import { readEventHistory, readLoopState, readParticipants, readReplay } from './activity-reads.js';
import { listGitHubAccounts, listGitHubRepos } from './github-reads.js';
import { findLibraryEntry, listLibrary } from './library-reads.js';
import type { ReadContext } from './read-context.js';
import { toLiveSession } from './map.js';
import { createdSession, updatedSession } from './write-answers.js';
import { MARKER } from '../ownership/markers.js';
import { breaker, installHubFetch } from './hub-fetch.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from './deadline.js';
import { Throttle } from './throttle.js';
import { registerSecrets } from '../core/secrets/redact.js';
import type {
	CreatedSession,
	CreateSessionInput,
	EventHistorySummary,
	GitHubAccounts,
	GitHubRepo,
	LibraryEntry,
	LibraryKind,
	HubCallCounts,
	HubReader,
	HubWriter,
	JustCreated,
	ListQuery,
	LoopSummary,
	ParticipantSummary,
	ReadOptions,
	KindListing,
	ReplaySummary,
	SummaryPage,
	UpdateSessionInput,
} from './types.js';
import { collectListing, listPages } from './listing.js';
import { justCreatedAmong } from './just-created.js';
import { readEachDetail, readListedDetails } from './detail-reads.js';
import type { LiveSession } from '../kinds/session/live.js';
import { DEFAULT_PARALLELISM } from './parallelism.js';
import type { AnyResourceKindRow, KindStore } from '../kinds/kind.js';

export { DEFAULT_PARALLELISM };
export { PAGE_SIZE } from './listing.js';

/** The SDK's default region, when neither --region nor AGENTUITY_REGION names one. */
const DEFAULT_REGION = 'usc';

export function connect(connection: HubConnection): HubWriter {
	installHubFetch();
	const secrets = authorizationSecrets(connection.apiKey);
	registerSecrets(secrets);
	breaker.setRequestTimeout(
		connection.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
		connection.url
	);
	return new SdkHub(
		once(() => openClient(connection)),
		secrets.length === 0,
		connection.apiKeyVariable
	);
}

/** The SDK's client of the connection; without a URL, discovery's failures are named first. */
async function openClient(connection: HubConnection): Promise<CoderClient> {
	const [{ CoderClient }, { getServiceUrls }] = await Promise.all([
		import('@agentuity/core/coder'),
		import('@agentuity/core/config'),
	]);
	if (!connection.url) nameDiscovery(getServiceUrls, connection.region ?? DEFAULT_REGION);
	return new CoderClient({
		url: connection.url,
		apiKey: connection.apiKey,
		orgId: connection.orgId,
		region: connection.region,
	});
}

/** The request bodies' module, which reads the SDK's REST reference when it loads. */
const requestBodies = once(() => import('./requests.js'));

/** `make`'s promise, made at the first call only (never made: nothing loaded, nothing to reject). */
function once<T>(make: () => Promise<T>): () => Promise<T> {
	let made: Promise<T> | undefined;
	return () => (made ??= make());
}

/**
 * The API key, and the Authorization header the SDK makes of it, are redacted like env values: a
 * gateway may echo request headers in an error. Without a key given, the SDK reads it from the
 * process's environment itself, and so does this.
 */
function authorizationSecrets(apiKey: string | undefined): string[] {
	const key = apiKey ?? process.env.AGENTUITY_SDK_KEY ?? process.env.AGENTUITY_CLI_KEY;
	return key ? [key, `Bearer ${key}`] : [];
}

/** Without a URL the SDK asks Catalyst for the Hub's: its failures should say so. */
function nameDiscovery(
	getServiceUrls: (region: string) => { catalyst: string },
	region: string
): void {
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

/** The methods only a writer has; the compiler checks the list against HubWriter. */
const WRITE_METHODS: Record<Exclude<keyof HubWriter, keyof HubReader>, true> = {
	createSession: true,
	updateSession: true,
	archiveSession: true,
	deleteSession: true,
	kindStore: true,
};

/**
 * A facade with the read methods only: plan cannot change the Hub even by mistake. Every read
 * (and every reader added later) passes through; the write methods are not there.
 */
export function readOnly(hub: HubReader): HubReader {
	return new Proxy(hub, {
		get(target, name) {
			if (typeof name === 'string' && name in WRITE_METHODS) return undefined;
			const value: unknown = Reflect.get(target, name, target);
			return typeof value === 'function' ? value.bind(target) : value;
		},
		has: (target, name) => !(typeof name === 'string' && name in WRITE_METHODS) && name in target,
		set: () => false,
	});
}

class SdkHub implements HubWriter {
	readonly calls: HubCallCounts = {
		list: 0,
		kindList: 0,
		get: 0,
		create: 0,
		update: 0,
		archive: 0,
		delete: 0,
		other: 0,
	};
	/** Reads wait out a 429 too (plan, verify, find by key); writes are braked by apply. */
	private readonly reads = new Throttle();
	/**
	 * The other kinds' writes, braked here per SDK call: one store write can be several calls (an
	 * agent's create, then its publish), and only the refused call may be sent again.
	 */
	private readonly kindWrites = new Throttle();

	#unavailable: HubUnavailableError | undefined;

	/**
	 * `client` opens the SDK's client at the first call and gives the same one after; `keyless`,
	 * that it has no API key to send; `keyVariable`, where the key it sends was read from.
	 */
	constructor(
		private readonly client: () => Promise<CoderClient>,
		private readonly keyless = false,
		private readonly keyVariable?: ApiKeyVariable
	) {}

	private async context(): Promise<ReadContext> {
		return {
			client: await this.client(),
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
		const mapped = toHubError(error, what, sessionId, this.keyless, this.keyVariable);
		if (mapped instanceof HubUnavailableError) this.#unavailable ??= mapped;
		return mapped;
	}

	readLiveSessions(options: ReadOptions = {}): Promise<LiveSession[]> {
		return this.readAll(options.search, options);
	}

	async findByKey(
		stack: string,
		key: string,
		options: ReadOptions & { readonly justCreated?: JustCreated } = {}
	): Promise<LiveSession[]> {
		const owned = (sessions: LiveSession[]) =>
			sessions.filter((s) => s.metadata[MARKER.stack] === stack && s.metadata[MARKER.key] === key);
		const found = owned(await this.readAll(key, options));
		if (found.length > 0) return found;
		// Whether search matches metadata (and how soon) is the Hub's choice: an absence is
		// confirmed by reading every session, or every one that can be a create just sent.
		const { justCreated } = options;
		if (!justCreated) return owned(await this.readAll(undefined, options));
		const listed = await collectListing(
			this.listSummaries({ includeArchived: false, parallelism: options.parallelism })
		);
		const candidates = justCreatedAmong(listed, justCreated, Date.now());
		return owned(await this.readDetails(candidates, options));
	}

	private async readAll(search: string | undefined, options: ReadOptions): Promise<LiveSession[]> {
		const pages = this.listSummaries({ search, includeArchived: true });
		const { onProgress } = options;
		const { live } = await readListedDetails(pages, (id) => this.getSession(id), {
			parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
			...(onProgress ? { onProgress: (done, given) => onProgress(done, given) } : {}),
		});
		return live;
	}

	readDetails(ids: readonly string[], options: ReadOptions = {}): Promise<LiveSession[]> {
		const { onProgress } = options;
		return readEachDetail(ids, (id) => this.getSession(id), {
			parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
			...(onProgress ? { onProgress: (done, given) => onProgress(done, given) } : {}),
		});
	}

	async listSessionIds(options: { includeArchived?: boolean } = {}): Promise<string[]> {
		const query = { includeArchived: options.includeArchived ?? true };
		const listed = await collectListing(this.listSummaries(query));
		return listed.map((session) => session.id);
	}

	listSummaries(query: ListQuery): AsyncGenerator<SummaryPage> {
		return listPages((offset, limit, q) => this.listPage(offset, limit, q), query);
	}

	private listPage(offset: number, limit: number, query: ListQuery) {
		const { search, includeArchived } = query;
		return this.reads.run(async () => {
			this.calls.list += 1;
			try {
				return await (await this.client()).listSessions({ includeArchived, limit, offset, search });
			} catch (error) {
				throw this.fail(error, 'list sessions');
			}
		});
	}

	async readKind(row: AnyResourceKindRow): Promise<KindListing> {
		const listed = await this.reads.run(async () => {
			this.calls.kindList += 1;
			try {
				return await (await this.store(row)).list();
			} catch (error) {
				throw this.fail(error, `list ${row.section}`);
			}
		});
		const retired = row.retired;
		if (!retired) return { records: listed, retired: [] };
		return {
			records: listed.filter((record) => !retired(record)),
			retired: listed.filter((record) => retired(record)),
		};
	}

	private async store(row: AnyResourceKindRow): Promise<KindStore<unknown, unknown, unknown>> {
		return row.store({ sdkClient: await this.client() });
	}

	kindStore(row: AnyResourceKindRow): KindStore<unknown, unknown, unknown> {
		const write = async <T>(
			count: 'create' | 'update' | 'delete',
			what: string,
			call: (store: KindStore<unknown, unknown, unknown>) => Promise<T>
		) => {
			this.calls[count] += 1;
			try {
				const sdkClient = this.throttledCalls(await this.client(), what);
				return await call(row.store({ sdkClient }));
			} catch (error) {
				throw this.fail(error, what);
			}
		};
		return {
			list: async () => (await this.readKind(row)).records,
			create: (input) => write('create', `create ${row.name}`, (store) => store.create(input)),
			update: (id, input) =>
				write('update', `update ${row.name} ${id}`, (store) => store.update(id, input)),
			remove: (id) => write('delete', `delete ${row.name} ${id}`, (store) => store.remove(id)),
		};
	}

	/** The SDK client with each call waiting out a 429 and sent again (a 429 did nothing). */
	private throttledCalls(client: CoderClient, what: string): CoderClient {
		return new Proxy(client, {
			get: (target, name) => {
				const value: unknown = Reflect.get(target, name, target);
				if (typeof value !== 'function') return value;
				return (...args: unknown[]) =>
					this.kindWrites.run(async () => {
						try {
							return (await value.apply(target, args)) as unknown;
						} catch (error) {
							throw statusOf(error) === 429 ? this.fail(error, what) : error;
						}
					});
			},
		});
	}

	getSession(id: string): Promise<LiveSession | undefined> {
		return this.reads.run(async () => {
			this.calls.get += 1;
			try {
				return toLiveSession(await (await this.client()).getSession(id));
			} catch (error) {
				if (statusOf(error) === 404) return undefined;
				throw this.fail(error, `read session ${id}`, id);
			}
		});
	}

	async listGitHubAccounts(): Promise<GitHubAccounts> {
		return listGitHubAccounts(await this.context());
	}

	async listGitHubRepos(accountId: string): Promise<GitHubRepo[]> {
		return listGitHubRepos(await this.context(), accountId);
	}

	async listLibrary(kind: LibraryKind): Promise<LibraryEntry[] | undefined> {
		return listLibrary(await this.context(), kind);
	}

	async findLibraryEntry(
		kind: 'workspace' | 'agent',
		id: string
	): Promise<LibraryEntry | undefined> {
		return findLibraryEntry(await this.context(), kind, id);
	}

	async readParticipants(id: string): Promise<ParticipantSummary | undefined> {
		return readParticipants(await this.context(), id);
	}

	async readEventHistory(id: string): Promise<EventHistorySummary | undefined> {
		return readEventHistory(await this.context(), id);
	}

	async readReplay(id: string): Promise<ReplaySummary | undefined> {
		return readReplay(await this.context(), id);
	}

	async readLoopState(id: string): Promise<LoopSummary | undefined> {
		return readLoopState(await this.context(), id);
	}

	async createSession(input: CreateSessionInput): Promise<CreatedSession> {
		this.calls.create += 1;
		try {
			const { toCreateRequest } = await requestBodies();
			const request = toCreateRequest(input);
			const created = await (await this.client()).createSession(request);
			return {
				id: created.sessionId,
				session: createdSession(request as unknown as Record<string, unknown>, created),
			};
		} catch (error) {
			if (isOutcomeUnknown(error)) {
				const reason = this.fail(error, 'create session').message;
				throw new OutcomeUnknownError(`${reason} (the session may have been created)`);
			}
			throw this.fail(error, 'create session');
		}
	}

	async updateSession(
		id: string,
		input: UpdateSessionInput,
		before?: LiveSession
	): Promise<LiveSession | undefined> {
		const { toUpdateRequest } = await requestBodies();
		const request = toUpdateRequest(input);
		const answer = await this.change('update', id, async () =>
			(await this.client()).updateSession(id, request)
		);
		return before
			? updatedSession(
					before,
					request as unknown as Record<string, unknown>,
					answer as unknown as Record<string, unknown>
				)
			: undefined;
	}

	async archiveSession(id: string): Promise<void> {
		await this.change('archive', id, async () => (await this.client()).archiveSession(id));
	}

	async deleteSession(id: string): Promise<void> {
		await this.change('delete', id, async () => (await this.client()).deleteSession(id));
	}

	/** One write to an existing session, counted, its failure named by what it did. */
	private async change<T>(
		what: 'update' | 'archive' | 'delete',
		id: string,
		call: () => Promise<T>
	): Promise<T> {
		this.calls[what] += 1;
		try {
			return await call();
		} catch (error) {
			throw this.fail(error, `${what} session ${id}`, id);
		}
	}
}

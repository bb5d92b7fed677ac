/**
 * The only module that talks to CoderClient: paging, detail fan-out with bounded concurrency,
 * call counting and error mapping. `plan` receives the read-only facade.
 */
import { CoderClient } from '@agentuity/core/coder';
import pLimit from 'p-limit';
import type { HubConnection } from './connection.js';
import { isOutcomeUnknown, OutcomeUnknownError, statusOf, toHubError } from './errors.js';
import { toCreateRequest, toUpdateRequest } from './requests.js';
import { toLiveSession } from './map.js';
import { MARKER } from '../plan/markers.js';
import { captureRetryAfter } from './retry-after.js';
import type {
	CreateSessionInput,
	HubCallCounts,
	HubReader,
	HubWriter,
	LiveSession,
	ReadOptions,
	UpdateSessionInput,
} from './types.js';

export const DEFAULT_PARALLELISM = 8;
/** Sessions per list call. The Hub documents no maximum; short pages end the listing. */
export const PAGE_SIZE = 100;

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
		get calls() {
			return hub.calls;
		},
	};
}

class SdkHub implements HubWriter {
	readonly calls: HubCallCounts = { list: 0, get: 0, create: 0, update: 0, archive: 0, delete: 0, other: 0 };

	constructor(private readonly client: CoderClient) {}

	readLiveSessions(options: ReadOptions = {}): Promise<LiveSession[]> {
		return this.readAll(undefined, options);
	}

	async findByKey(stack: string, key: string, options: ReadOptions = {}): Promise<LiveSession[]> {
		const found = await this.readAll(key, options);
		return found.filter((s) => s.metadata[MARKER.stack] === stack && s.metadata[MARKER.key] === key);
	}

	private async readAll(search: string | undefined, options: ReadOptions): Promise<LiveSession[]> {
		const limit = pLimit(options.parallelism ?? DEFAULT_PARALLELISM);
		const details: Promise<LiveSession | undefined>[] = [];
		const seen = new Set<string>();
		for (let offset = 0; ; offset += PAGE_SIZE) {
			const page = await this.listPage(offset, search);
			for (const item of page) {
				// Paging by offset can show a session twice when others are created meanwhile.
				if (seen.has(item.sessionId)) continue;
				seen.add(item.sessionId);
				details.push(limit(() => this.getSession(item.sessionId)));
			}
			if (page.length < PAGE_SIZE) break;
		}
		const sessions = await Promise.all(details);
		// A session deleted between the list and the detail read is simply gone.
		return sessions.filter((session): session is LiveSession => session !== undefined);
	}

	private async listPage(offset: number, search: string | undefined) {
		this.calls.list += 1;
		try {
			const page = await this.client.listSessions({ includeArchived: true, limit: PAGE_SIZE, offset, search });
			return page.sessions;
		} catch (error) {
			throw toHubError(error, 'list sessions');
		}
	}

	async getSession(id: string): Promise<LiveSession | undefined> {
		this.calls.get += 1;
		try {
			return toLiveSession(await this.client.getSession(id));
		} catch (error) {
			if (statusOf(error) === 404) return undefined;
			throw toHubError(error, `read session ${id}`, id);
		}
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

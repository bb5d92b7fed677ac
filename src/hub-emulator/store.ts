/**
 * Sessions in memory (SessionIndex) backed by the journal. Nothing is visible to readers before
 * it is durable: a write is encoded and checked first (a failure there changes nothing), then
 * journalled, and only once it is on disk does it enter the index. Writers see the newest
 * accepted state, writes still on their way to disk included, so concurrent read-modify-writes
 * of one session build on each other and none is lost.
 */
import { encodeOperation } from './journal-format.js';
import { Journal } from './journal.js';
import type { LibraryKind, LibraryRecord, RecordOf } from './library-record.js';
import { RecordIndex, recordKey } from './record-index.js';
import { SessionIndex, type ListPage, type ListQuery } from './session-index.js';
import type { StoredSession } from './session-record.js';

/**
 * A session or record with writes accepted but not yet on disk; `latest` undefined means
 * deleted. Keyed by session id, or by `kind:id` for records (never a session id).
 */
interface Unsettled {
	readonly org: string;
	latest: StoredSession | LibraryRecord | undefined;
	writes: number;
	/** Settles with the last accepted write. */
	durable: Promise<void>;
}

export class SessionStore {
	readonly #unsettled = new Map<string, Unsettled>();

	private constructor(
		private readonly index: SessionIndex,
		private readonly records: RecordIndex,
		private readonly journal: Journal | undefined
	) {}

	/** Opens the journal at `stateFile` (replaying it), or an in-memory store without one. */
	static async open(
		stateFile: string | undefined,
		warn: (message: string) => void
	): Promise<SessionStore> {
		const index = new SessionIndex();
		const records = new RecordIndex();
		if (stateFile === undefined) return new SessionStore(index, records, undefined);
		const opened = await Journal.open(stateFile, warn);
		for (const session of opened.sessions) index.put(session);
		for (const record of opened.records) records.put(record);
		opened.journal.attach({
			get size() {
				return index.size + records.size;
			},
			values: () => index.values(),
			records: () => records.values(),
		});
		return new SessionStore(index, records, opened.journal);
	}

	get size(): number {
		return this.index.size;
	}

	get journalStats(): Record<string, number> {
		return this.journal ? { ...this.journal.stats } : {};
	}

	/** Ids in use, durable or not yet: a new id must not collide with either. */
	hasId(id: string): boolean {
		return this.#unsettled.has(id) || this.index.hasId(id);
	}

	/** A durable session, as readers see it. */
	get(org: string, id: string): StoredSession | undefined {
		return this.index.get(org, id);
	}

	/** The newest accepted state of a session, for a write to build on. */
	latest(org: string, id: string): StoredSession | undefined {
		const unsettled = this.#unsettled.get(id);
		if (unsettled) return unsettled.org === org ? (unsettled.latest as StoredSession) : undefined;
		return this.index.get(org, id);
	}

	/** Record ids in use, durable or not yet. */
	hasRecordId(kind: LibraryKind, id: string): boolean {
		return this.#unsettled.has(recordKey(kind, id)) || this.records.hasId(kind, id);
	}

	/** A durable library record, as readers see it. */
	getRecord<K extends LibraryKind>(kind: K, org: string, id: string): RecordOf<K> | undefined {
		return this.records.get(kind, org, id);
	}

	/** The newest accepted state of a record, for a write to build on. */
	latestRecord<K extends LibraryKind>(kind: K, org: string, id: string): RecordOf<K> | undefined {
		const unsettled = this.#unsettled.get(recordKey(kind, id));
		if (unsettled) return unsettled.org === org ? (unsettled.latest as RecordOf<K>) : undefined;
		return this.records.get(kind, org, id);
	}

	/** Durable records of one kind in an org, by createdAt then id. */
	listRecords<K extends LibraryKind>(kind: K, org: string): RecordOf<K>[] {
		return this.records.list(kind, org);
	}

	/** Stores a new or changed library record; resolves once it is durable (and visible). */
	putRecord(record: LibraryRecord): Promise<void> {
		const line = encodeOperation({ op: 'putRecord', record });
		return this.#write(record.org, recordKey(record.kind, record.id), record, line, () =>
			this.records.put(record)
		);
	}

	/** Removes a library record; resolves once that is durable. */
	deleteRecord(kind: LibraryKind, org: string, id: string): Promise<void> {
		if (!this.latestRecord(kind, org, id)) return Promise.resolve();
		const line = encodeOperation({ op: 'deleteRecord', kind, org, id });
		return this.#write(org, recordKey(kind, id), undefined, line, () =>
			this.records.delete(kind, id)
		);
	}

	/** Resolves once every write accepted so far for this session is durable; rejects if one failed. */
	whenDurable(id: string): Promise<void> {
		return this.#unsettled.get(id)?.durable ?? Promise.resolve();
	}

	list(org: string, query: ListQuery): ListPage {
		return this.index.list(org, query);
	}

	/** Stores a new or changed session; resolves once it is durable (and visible). */
	put(session: StoredSession): Promise<void> {
		const line = encodeOperation({ op: 'put', session });
		return this.#write(session.org, session.id, session, line, () => this.index.put(session));
	}

	/** Removes a session; resolves once that is durable. */
	delete(org: string, id: string): Promise<void> {
		if (!this.latest(org, id)) return Promise.resolve();
		const line = encodeOperation({ op: 'delete', org, id });
		return this.#write(org, id, undefined, line, () => this.index.delete(org, id));
	}

	async close(): Promise<void> {
		await this.journal?.close();
	}

	#write(
		org: string,
		id: string,
		latest: StoredSession | LibraryRecord | undefined,
		line: string,
		apply: () => void
	): Promise<void> {
		if (!this.journal) {
			apply();
			return Promise.resolve();
		}
		const unsettled = this.#unsettled.get(id) ?? {
			org,
			latest,
			writes: 0,
			durable: Promise.resolve(),
		};
		unsettled.latest = latest;
		unsettled.writes++;
		this.#unsettled.set(id, unsettled);
		// A failed write fails every later one too (the journal stops), so the entry drains.
		const settle = (): void => {
			if (--unsettled.writes === 0) this.#unsettled.delete(id);
		};
		const durable = this.journal
			.appendLine(line, () => {
				apply();
				settle();
			})
			.catch((error: unknown) => {
				settle();
				throw error;
			});
		unsettled.durable = durable;
		return durable;
	}
}

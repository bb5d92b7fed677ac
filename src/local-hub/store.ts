/**
 * Sessions in memory (SessionIndex) backed by the journal. A mutation is applied to memory
 * first, synchronously, so concurrent requests always build on each other and none is lost;
 * the caller answers only after the journal has the change on disk.
 */
import { Journal } from './journal.js';
import { SessionIndex, type ListPage, type ListQuery } from './session-index.js';
import type { StoredSession } from './session-record.js';

export class SessionStore {
	private constructor(
		private readonly index: SessionIndex,
		private readonly journal: Journal | undefined
	) {}

	/** Opens the journal at `stateFile` (replaying it), or an in-memory store without one. */
	static async open(
		stateFile: string | undefined,
		warn: (message: string) => void
	): Promise<SessionStore> {
		const index = new SessionIndex();
		if (stateFile === undefined) return new SessionStore(index, undefined);
		const { journal, sessions } = await Journal.open(stateFile, warn);
		for (const session of sessions) index.put(session);
		journal.attach(index);
		return new SessionStore(index, journal);
	}

	get size(): number {
		return this.index.size;
	}

	get journalStats(): Record<string, number> {
		return this.journal ? { ...this.journal.stats } : {};
	}

	hasId(id: string): boolean {
		return this.index.hasId(id);
	}

	get(org: string, id: string): StoredSession | undefined {
		return this.index.get(org, id);
	}

	list(org: string, query: ListQuery): ListPage {
		return this.index.list(org, query);
	}

	/** Stores a new or changed session; resolves once it is durable. */
	put(session: StoredSession): Promise<void> {
		this.index.put(session);
		return this.journal ? this.journal.append({ op: 'put', session }) : Promise.resolve();
	}

	/** Removes a session; resolves once that is durable. */
	delete(org: string, id: string): Promise<void> {
		if (!this.index.delete(org, id)) return Promise.resolve();
		return this.journal ? this.journal.append({ op: 'delete', org, id }) : Promise.resolve();
	}

	async close(): Promise<void> {
		await this.journal?.close();
	}
}

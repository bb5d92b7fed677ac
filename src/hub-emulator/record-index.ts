/** In-memory index of library records: by kind, org and id; listed by createdAt, then id. */
import type { LibraryKind, LibraryRecord, RecordOf } from './library-record.js';

const keyOf = (kind: LibraryKind, id: string): string => `${kind}:${id}`;

export class RecordIndex {
	readonly #records = new Map<string, LibraryRecord>();

	get size(): number {
		return this.#records.size;
	}

	/** Ids are unique per kind across orgs. */
	hasId(kind: LibraryKind, id: string): boolean {
		return this.#records.has(keyOf(kind, id));
	}

	get<K extends LibraryKind>(kind: K, org: string, id: string): RecordOf<K> | undefined {
		const record = this.#records.get(keyOf(kind, id));
		return record && record.org === org ? (record as RecordOf<K>) : undefined;
	}

	put(record: LibraryRecord): void {
		this.#records.set(keyOf(record.kind, record.id), record);
	}

	delete(kind: LibraryKind, id: string): void {
		this.#records.delete(keyOf(kind, id));
	}

	list<K extends LibraryKind>(kind: K, org: string): RecordOf<K>[] {
		const found: RecordOf<K>[] = [];
		for (const record of this.#records.values()) {
			if (record.kind === kind && record.org === org) found.push(record as RecordOf<K>);
		}
		return found.sort((a, b) =>
			a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? -1 : 1) : a.id < b.id ? -1 : 1
		);
	}

	values(): IterableIterator<LibraryRecord> {
		return this.#records.values();
	}
}

export { keyOf as recordKey };

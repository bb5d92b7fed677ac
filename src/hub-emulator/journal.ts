/**
 * Append-only journal with group commit: writes that arrive while a flush is in progress are
 * batched into the next single write + fdatasync, so concurrent requests share one disk sync.
 * On open the file is replayed; it is compacted (rewritten as one put per live session, via a
 * temp file and rename) when it holds redundant entries or had a torn tail.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { LocalHubStateError } from './errors.js';
import { makeStateDirectory, PRIVATE_FILE_MODE, tightenFile } from './file-modes.js';
import { writeSnapshot } from './snapshot-file.js';
import { lockStateFile, type ReleaseLock } from './state-lock.js';
import { stateFileTarget } from './state-path.js';
import { operationLine, parseJournal, replay, type JournalOperation } from './journal-format.js';
import type { LibraryRecord } from './library-record.js';
import type { StoredSession } from './session-record.js';

interface PendingWrite {
	readonly text: string;
	/** Runs once the write is on disk, before anything else can be written or snapshotted. */
	readonly onDurable: (() => void) | undefined;
	readonly resolve: () => void;
	readonly reject: (error: Error) => void;
}

export interface JournalStats {
	appends: number;
	flushes: number;
	compactions: number;
}

/** What compaction snapshots: the live sessions (the SessionIndex fits), and library records. */
export interface SnapshotSource {
	readonly size: number;
	values(): Iterable<StoredSession>;
	records?(): Iterable<LibraryRecord>;
}

export interface OpenedJournal {
	readonly journal: Journal;
	readonly sessions: StoredSession[];
	readonly records: LibraryRecord[];
}

export class Journal {
	readonly stats: JournalStats = { appends: 0, flushes: 0, compactions: 0 };
	#handle: FileHandle;
	/** Bytes known to be on disk: a failed append is cut back to this. */
	#size: number;
	#pending: PendingWrite[] = [];
	#flushing: Promise<void> | undefined;
	#failure: Error | undefined;
	#linesInFile: number;
	#source: SnapshotSource | undefined;
	#closed = false;

	private constructor(
		readonly file: string,
		handle: FileHandle,
		size: number,
		linesInFile: number,
		private readonly warn: (message: string) => void,
		private readonly releaseLock: ReleaseLock
	) {
		this.#handle = handle;
		this.#size = size;
		this.#linesInFile = linesInFile;
	}

	/** Enables compaction while running, from the live sessions. */
	attach(source: SnapshotSource): void {
		this.#source = source;
	}

	/**
	 * Reads and replays the file (creating it if missing), then opens it for appending; a
	 * symlink is followed once, here, and the file it points at is the journal from then on.
	 * Throws LocalHubStateError when the file cannot be trusted.
	 */
	static async open(path: string, warn: (message: string) => void): Promise<OpenedJournal> {
		const file = await stateFileTarget(path);
		const releaseLock = await lockStateFile(file);
		try {
			return await Journal.#openLocked(file, warn, releaseLock);
		} catch (error) {
			await releaseLock();
			throw error;
		}
	}

	static async #openLocked(
		file: string,
		warn: (message: string) => void,
		releaseLock: ReleaseLock
	): Promise<OpenedJournal> {
		const text = await readJournalText(file);
		const parsed = text.length === 0 ? { operations: [] } : parseJournal(file, text);
		const state = replay(parsed.operations);
		const sessions = [...state.sessions.values()];
		const records = [...state.records.values()];
		const live = sessions.length + records.length;
		if ('droppedTail' in parsed && parsed.droppedTail) {
			const { line, bytes } = parsed.droppedTail;
			warn(
				`local Hub: dropped an unfinished last entry (${file}:${line}, ${bytes} bytes), as after a crash mid-write`
			);
		}
		const needsRewrite =
			text.length === 0 || parsed.operations.length > live || 'droppedTail' in parsed;
		try {
			if (needsRewrite) await writeSnapshot(file, sessions, records);
			const { handle, size } = await openForAppend(file);
			return {
				journal: new Journal(file, handle, size, live + 1, warn, releaseLock),
				sessions,
				records,
			};
		} catch (error) {
			throw new LocalHubStateError(
				file,
				undefined,
				`cannot be written (${(error as Error).message})`
			);
		}
	}

	/** Resolves once the operation is on disk. */
	append(operation: JournalOperation): Promise<void> {
		return this.appendLine(operationLine(operation));
	}

	/**
	 * Resolves once `line` (one encoded operation) is on disk. `onDurable` runs at that moment,
	 * in write order, so what it applies is never missed by a compaction that follows.
	 */
	appendLine(line: string, onDurable?: () => void): Promise<void> {
		if (this.#failure) return Promise.reject(this.#failure);
		this.stats.appends++;
		return new Promise((resolve, reject) => {
			this.#pending.push({ text: `${line}\n`, onDurable, resolve, reject });
			this.#flushing ??= this.#drain();
		});
	}

	/** Waits for pending writes, then closes the file. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await this.#flushing;
		this.#failure ??= new Error(`local Hub journal ${this.file} is closed`);
		await this.#handle.close().catch(() => {});
		await this.releaseLock();
	}

	async #drain(): Promise<void> {
		try {
			while (this.#pending.length > 0 && !this.#failure) {
				const batch = this.#pending;
				this.#pending = [];
				const text = batch.map((write) => write.text).join('');
				try {
					await this.#handle.write(text);
					await this.#handle.datasync();
					this.#size += Buffer.byteLength(text);
					this.stats.flushes++;
					this.#linesInFile += batch.length;
					for (const write of batch) {
						write.onDurable?.();
						write.resolve();
					}
				} catch (error) {
					this.#failure = new Error(
						`local Hub journal ${this.file} write failed: ${(error as Error).message}`
					);
					// Callers hear of a failure, so none of the batch may come back on the next start.
					await this.#handle.truncate(this.#size).catch(() => {});
					for (const write of [...batch, ...this.#pending]) write.reject(this.#failure);
					this.#pending = [];
					return;
				}
				if (this.#pending.length === 0 && this.#worthCompacting()) await this.#compact();
			}
			if (this.#failure) {
				for (const write of this.#pending) write.reject(this.#failure);
				this.#pending = [];
			}
		} finally {
			this.#flushing = undefined;
		}
	}

	#worthCompacting(): boolean {
		return (
			this.#source !== undefined && this.#linesInFile > Math.max(10_000, 4 * this.#source.size)
		);
	}

	/** Only called between flushes with nothing pending, so the snapshot is exactly what is on disk. */
	async #compact(): Promise<void> {
		const sessions = [...(this.#source?.values() ?? [])];
		const records = [...(this.#source?.records?.() ?? [])];
		try {
			await writeSnapshot(this.file, sessions, records);
		} catch (error) {
			// The old journal is intact; keep appending to it.
			this.warn(`local Hub: journal compaction failed, continuing (${(error as Error).message})`);
			this.#linesInFile = 0;
			return;
		}
		try {
			await this.#handle.close();
			({ handle: this.#handle, size: this.#size } = await openForAppend(this.file));
		} catch (error) {
			this.#failure = new Error(
				`local Hub journal ${this.file} reopen failed: ${(error as Error).message}`
			);
			return;
		}
		this.#linesInFile = sessions.length + records.length + 1;
		this.stats.compactions++;
	}
}

/** Opens the journal for appending, owner-only (narrowing a file left wider by earlier versions). */
async function openForAppend(file: string): Promise<{ handle: FileHandle; size: number }> {
	const handle = await open(file, 'a', PRIVATE_FILE_MODE);
	try {
		await tightenFile(handle);
		return { handle, size: (await handle.stat()).size };
	} catch (error) {
		await handle.close().catch(() => {});
		throw error;
	}
}

/** The file's text; '' when it does not exist yet (its directory is created, owner-only). */
async function readJournalText(file: string): Promise<string> {
	await makeStateDirectory(file);
	const cannotRead = (why: string) =>
		new LocalHubStateError(file, undefined, `cannot be read (${why})`);
	let handle: FileHandle;
	try {
		// Non-blocking, so a FIFO opens at once and is refused before a read would wait on it.
		handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
		throw cannotRead((error as Error).message);
	}
	try {
		const info = await handle.stat();
		if (info.isDirectory()) throw cannotRead('it is a directory');
		if (!info.isFile()) throw cannotRead('not a regular file');
		return await handle.readFile('utf8');
	} catch (error) {
		if (error instanceof LocalHubStateError) throw error;
		throw cannotRead((error as Error).message);
	} finally {
		await handle.close();
	}
}

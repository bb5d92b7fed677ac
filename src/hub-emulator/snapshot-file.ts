import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_FILE_MODE } from './file-modes.js';
import { headerLine, operationLine } from './journal-format.js';
import type { LibraryRecord } from './library-record.js';
import type { StoredSession } from './session-record.js';

/**
 * Atomically replaces `file` with a journal holding just these sessions and library records:
 * header + one put each, written to an owner-only temp file, synced, then renamed over it.
 * The temp file is new (created exclusively, under a name nobody can guess): in a folder others
 * can write to, a symlink planted at its name is never written through.
 */
export async function writeSnapshot(
	file: string,
	sessions: readonly StoredSession[],
	records: readonly LibraryRecord[] = []
): Promise<void> {
	const temp = `${file}.${randomBytes(8).toString('hex')}.tmp`;
	const lines = [
		headerLine(),
		...records.map((record) => operationLine({ op: 'putRecord', record })),
		...sessions.map((session) => operationLine({ op: 'put', session })),
	];
	const handle = await open(temp, 'wx', PRIVATE_FILE_MODE);
	try {
		try {
			await handle.writeFile(`${lines.join('\n')}\n`);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(temp, file);
	} catch (error) {
		await unlink(temp).catch(() => {});
		throw error;
	}
	await syncDirectory(dirname(file));
}

/** Makes a rename durable; not every platform can open a directory, which is fine. */
async function syncDirectory(directory: string): Promise<void> {
	try {
		const handle = await open(directory, 'r');
		try {
			await handle.sync();
		} finally {
			await handle.close();
		}
	} catch {
		// best effort
	}
}

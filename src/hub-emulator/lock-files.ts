/** The lock's file operations: whole-or-nothing creation, atomic replacement, reads. */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { PRIVATE_FILE_MODE } from './file-modes.js';

/** Creates `path` holding `text`, or returns false if it exists. Never visible half-written. */
export async function createExclusive(path: string, text: string): Promise<boolean> {
	const temp = await writeTemp(path, text);
	try {
		await link(temp, path);
		return true;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') return false;
		if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP')
			throw error;
		// A file system without hard links: an exclusive create, written straight after.
		return createWithoutLink(path, text);
	} finally {
		await unlink(temp).catch(() => {});
	}
}

async function createWithoutLink(path: string, text: string): Promise<boolean> {
	let handle;
	try {
		handle = await open(path, 'wx', PRIVATE_FILE_MODE);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
	try {
		await handle.writeFile(text);
	} finally {
		await handle.close();
	}
	return true;
}

/** Atomically replaces `path` with `text`. */
export async function replace(path: string, text: string): Promise<void> {
	const temp = await writeTemp(path, text);
	try {
		await rename(temp, path);
	} catch (error) {
		await unlink(temp).catch(() => {});
		throw error;
	}
}

async function writeTemp(path: string, text: string): Promise<string> {
	const temp = `${path}.${randomBytes(8).toString('hex')}.new`;
	const handle = await open(temp, 'wx', PRIVATE_FILE_MODE);
	try {
		await handle.writeFile(text);
	} finally {
		await handle.close();
	}
	return temp;
}

export async function readLock(
	path: string
): Promise<{ readonly text: string; readonly writtenAtMs: number } | undefined> {
	try {
		const handle = await open(path, 'r');
		try {
			const [text, stats] = await Promise.all([handle.readFile('utf8'), handle.stat()]);
			return { text, writtenAtMs: stats.mtimeMs };
		} finally {
			await handle.close();
		}
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
}

export async function readText(path: string): Promise<string | undefined> {
	try {
		return await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
}

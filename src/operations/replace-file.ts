/**
 * Files replaced whole: a temp file created exclusively beside the target, written, synced, then
 * renamed over it. A reader (or a later run) sees the old file or the whole new one, never a
 * file cut short by a full disk or a kill mid-write.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, open, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Writes `text` as a new file of `mode` (without one: 0666 less the umask) renamed over `path`:
 * whatever was at `path` (a file of another mode, a symlink) is replaced, and what a symlink
 * pointed at is left untouched.
 */
export async function replaceFile(path: string, text: string, mode?: number): Promise<void> {
	// Not named after the file: a name the file system takes could be too long with more added.
	const temp = join(dirname(path), `.coder-sessions-${randomBytes(6).toString('hex')}.tmp`);
	const handle = await open(temp, 'wx', mode ?? 0o666);
	try {
		try {
			// The mode given to open is narrowed by the umask; the file keeps the one asked for.
			if (mode !== undefined) await handle.chmod(mode);
			await handle.writeFile(text);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await rename(temp, path);
	} catch (error) {
		await rm(temp, { force: true });
		throw error;
	}
}

/**
 * Rewrites a spec file the user named: through a symlink to the file it points at (the link
 * stays), keeping the file's mode; a file not there yet is created as writeFile would. A file
 * its owner made read-only stays refused (EACCES), as a write in place would be.
 */
export async function replaceSpecFile(path: string, text: string): Promise<void> {
	const existing = await realpath(path).then(
		async (target) => {
			const info = await stat(target);
			return { target, mode: info.mode & 0o7777, owner: info.uid };
		},
		(error: NodeJS.ErrnoException) => {
			if (error.code === 'ENOENT') return undefined;
			throw error;
		}
	);
	if (!existing) return replaceFile(path, text);
	await access(existing.target, constants.W_OK);
	// Written in place, as before, where a new file cannot stand in for it: another user's file
	// (shared through its group) would change owner, and a folder closed to the user takes none.
	const othersFile = process.getuid !== undefined && existing.owner !== process.getuid();
	if (othersFile || !(await canWrite(dirname(existing.target)))) {
		return writeFile(existing.target, text);
	}
	return replaceFile(existing.target, text, existing.mode);
}

async function canWrite(path: string): Promise<boolean> {
	return access(path, constants.W_OK).then(
		() => true,
		() => false
	);
}

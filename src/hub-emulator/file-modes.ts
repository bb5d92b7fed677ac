/**
 * The state file holds every session's task and metadata, so it and everything beside it that
 * the Hub writes (journal, temp and lock files) is for the owner only, whatever the umask.
 */
import { chmod, mkdir, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LocalHubStateError } from './errors.js';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIRECTORY_MODE = 0o700;

/**
 * Creates `directory` and its missing parents, owner-only. Directories that exist are left
 * alone, unless `tightenExisting` says this one is ours (then a wider mode is narrowed).
 */
export async function makePrivateDirectory(
	directory: string,
	options: { readonly tightenExisting?: boolean } = {}
): Promise<void> {
	await mkdir(directory, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
	if (!options.tightenExisting || process.platform === 'win32') return;
	const stats = await stat(directory);
	if ((stats.mode & 0o077) === 0) return;
	if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) return;
	await chmod(directory, PRIVATE_DIRECTORY_MODE);
}

/** The directory of a state file, created owner-only; a failure names the state file. */
export async function makeStateDirectory(file: string): Promise<void> {
	try {
		await makePrivateDirectory(dirname(file));
	} catch (error) {
		throw new LocalHubStateError(
			file,
			undefined,
			`cannot be created (${(error as Error).message})`
		);
	}
}

/** Narrows an open file of ours to owner-only when it is wider (as earlier versions left it). */
export async function tightenFile(handle: FileHandle): Promise<void> {
	if (process.platform === 'win32') return;
	const stats = await handle.stat();
	if ((stats.mode & 0o077) === 0) return;
	if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) return;
	await handle.chmod(PRIVATE_FILE_MODE);
}

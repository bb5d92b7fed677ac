/**
 * The file a `--state` path names. A symlink is followed once, at start, and the Hub then reads,
 * appends to, compacts and locks the file it points at: a compaction renames a new file over its
 * path, which, done at the link, would replace the link with a regular file.
 */
import { readlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LocalHubStateError } from './errors.js';

/** As the kernel's limit on a chain of links (ELOOP). */
const MAX_LINKS = 40;

/**
 * The path with every symlink at its end followed, to the file (or the missing file, made on
 * start) at the end of the chain; a path that is no link is returned as it is.
 */
export async function stateFileTarget(file: string): Promise<string> {
	let path = resolve(file);
	for (let links = 0; links < MAX_LINKS; links++) {
		let target: string;
		try {
			target = await readlink(path);
		} catch {
			// Not a link (EINVAL), or not there yet (ENOENT): this is the file. Anything else is
			// reported by the open that follows, as for a plain path.
			return path;
		}
		path = resolve(dirname(path), target);
	}
	throw new LocalHubStateError(file, undefined, `is a chain of more than ${MAX_LINKS} symlinks`);
}

import { dirname } from 'node:path';

/** The spec file a command reads when -f names none. */
export const DEFAULT_SPEC_FILE = 'sessions.yaml';

/**
 * Why `file` (at `path`) cannot be found. For the default file, run from a folder without one (a
 * subdirectory of the repository, say), the message says where it looked and how to name a spec.
 */
export function fileNotFound(file: string, path: string): string {
	if (file !== DEFAULT_SPEC_FILE) return 'file not found';
	return `file not found in ${dirname(path)} (read when -f names no spec): run from the folder that holds it, or give the spec with -f FILE`;
}

/** The only part of src/spec that touches the disk. */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodeSpecBytes } from './decode.js';
import { sortSpecErrors, type SpecError } from './errors.js';
import { parseSpec, type SpecResult, type SpecSource } from './merge.js';

/** Refused before parsing: no team's sessions need more, and yaml would take long on it. */
export const MAX_SPEC_BYTES = 5 * 1024 * 1024;
export const DEFAULT_SPEC_FILE = 'sessions.yaml';

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function readSpecFile(file: string, cwd: string): Promise<SpecSource | SpecError> {
	const fail = (message: string): SpecError => ({ file, path: [], message });
	try {
		const path = resolve(cwd, file);
		const info = await stat(path);
		if (info.isDirectory()) return fail('is a directory, not a spec file');
		if (info.size > MAX_SPEC_BYTES) {
			return fail(
				`file is too large (${mib(info.size)}; a spec may be at most ${MAX_SPEC_BYTES / 1024 / 1024} MiB)`
			);
		}
		const decoded = decodeSpecBytes(await readFile(path));
		if (!decoded.ok) return { file, at: decoded.at, path: [], message: decoded.message };
		return { file, text: decoded.text };
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return fail('file not found');
		if (code === 'EACCES' || code === 'EPERM') return fail('cannot read file (permission denied)');
		return fail(`cannot read file (${code ?? (error as Error).message})`);
	}
}

export interface LoadSpecOptions {
	/** Relative file names are read from here (default: the process's working directory). */
	readonly cwd?: string;
}

/** Reads, parses, validates and merges the spec files: `-f a.yaml -f b.yaml`. */
export async function loadSpec(
	files: readonly string[] = [DEFAULT_SPEC_FILE],
	options: LoadSpecOptions = {}
): Promise<SpecResult> {
	const cwd = options.cwd ?? process.cwd();
	const names = files.length > 0 ? files : [DEFAULT_SPEC_FILE];
	const seen = new Set<string>();
	const errors: SpecError[] = [];
	const sources: SpecSource[] = [];
	for (const read of await Promise.all(names.map((file) => readSpecFile(file, cwd)))) {
		if (!('text' in read)) {
			errors.push(read);
			continue;
		}
		const path = resolve(cwd, read.file);
		if (seen.has(path)) {
			errors.push({ file: read.file, path: [], message: 'file given more than once' });
			continue;
		}
		seen.add(path);
		sources.push(read);
	}
	if (errors.length === 0) return parseSpec(sources);
	// Still parse the files that could be read, so one run reports everything.
	const result = sources.length > 0 ? parseSpec(sources) : undefined;
	const all = result && !result.ok ? [...errors, ...result.errors] : errors;
	return { ok: false, errors: sortSpecErrors(all, names) };
}

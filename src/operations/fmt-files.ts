/** Reading spec files for `fmt` and formatting each: every file's outcome, nothing written yet. */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodeSpecBytes } from '../spec/decode.js';
import type { SpecError } from '../spec/errors.js';
import { formatSpecText } from '../spec/format.js';
import { fileNotFound } from '../spec/default-file.js';
import { FILE_NOT_FOUND, readSpecBytes, SPEC_FILE_IN_PLACE } from '../spec/load.js';
import type { SpecFileData } from '../spec/schema.js';
import { hasLiteralText } from '../kinds/session/env-template.js';

export interface FormattedFile {
	readonly file: string;
	readonly path: string;
	/** The file as it is on disk (a byte-order mark included). */
	readonly before: string;
	readonly after: string;
	readonly data: SpecFileData;
}

export type FormatFilesResult =
	| { readonly ok: true; readonly files: readonly FormattedFile[] }
	| { readonly ok: false; readonly errors: readonly SpecError[] };

export async function formatFiles(
	files: readonly string[],
	cwd: string
): Promise<FormatFilesResult> {
	const errors: SpecError[] = [];
	const formatted: FormattedFile[] = [];
	const seen = new Set<string>();
	for (const file of files) {
		const path = resolve(cwd, file);
		if (seen.has(path)) continue;
		seen.add(path);
		const read = await readSpec(file, path);
		if ('message' in read) {
			errors.push(read);
			continue;
		}
		const decoded = decodeSpecBytes(read.bytes);
		if (!decoded.ok) {
			errors.push({ file, at: decoded.at, path: [], message: decoded.message });
			continue;
		}
		const result = formatSpecText(decoded.text, file);
		if (!result.ok) errors.push(...result.errors);
		else {
			const before = Buffer.from(read.bytes).toString('utf8');
			formatted.push({ file, path, before, after: result.text, data: result.data });
		}
	}
	return errors.length > 0 ? { ok: false, errors } : { ok: true, files: formatted };
}

async function readSpec(file: string, path: string): Promise<{ bytes: Uint8Array } | SpecError> {
	const fail = (message: string): SpecError => ({ file, path: [], message });
	const info = await stat(path).catch(() => undefined);
	if (info?.isDirectory()) return fail('is a directory, not a spec file');
	const read = await readSpecBytes(path, SPEC_FILE_IN_PLACE);
	if (!('problem' in read)) return read;
	return fail(read.problem === FILE_NOT_FOUND ? fileNotFound(file, path) : read.problem);
}

/** Env values written with literal text: a diff must not show them. */
export function literalEnvValues(data: SpecFileData): string[] {
	const envs = [data.defaults?.env, ...Object.values(data.sessions).map((entry) => entry.env)];
	return envs.flatMap((env) => Object.values(env ?? {}).filter(hasLiteralText));
}

/** The only part of src/spec that touches the disk. */
import { constants, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeSpecBytes } from './decode.js';
import { editDistance } from './did-you-mean.js';
import { DEFAULT_SPEC_FILE, fileNotFound } from './default-file.js';
import { sortSpecErrors, type SpecError } from './errors.js';
import {
	mergeSpecFiles,
	parseSpec,
	parseSpecFiles,
	type SpecResult,
	type SpecSource,
} from './merge.js';
import type { ParsedSpecFile } from './parse.js';
import type { Spec } from '../kinds/session/desired.js';
import { firstNonPrintable, unicodeName } from './printable.js';
import { parseVarFile } from './templates/var-file.js';
import { parseAssignment, type SpecVarInputs, type VarOverride } from './templates/vars.js';
import type { KindTable } from '../kinds/kind.js';

/** Refused before parsing: no team's sessions need more, and yaml would take long on it. */
export const MAX_SPEC_BYTES = 5 * 1024 * 1024;
export { DEFAULT_SPEC_FILE };
/** `-f -`: the spec is read from standard input, and messages name it so. */
export const STDIN_FILE = '-';
export const STDIN_NAME = '<stdin>';
const SPEC_FILE_PATTERN = /\.ya?ml$/;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function readSpecFile(file: string, cwd: string): Promise<SpecSource | SpecError> {
	const path = resolve(cwd, file);
	const read = await readSpecBytes(path);
	if ('problem' in read) {
		const message = read.problem === FILE_NOT_FOUND ? fileNotFound(file, path) : read.problem;
		return { file, path: [], message };
	}
	return decodeSource(file, read.bytes);
}

/** What a FIFO, device or socket is called in a message. */
function kindOf(info: Stats): string {
	if (info.isFIFO()) return 'a FIFO';
	if (info.isCharacterDevice()) return 'a character device';
	if (info.isBlockDevice()) return 'a block device';
	if (info.isSocket()) return 'a socket';
	return info.isDirectory() ? 'a directory' : 'not a file';
}

/** What is read: a spec file (which `-f -` may give on standard input) or a var file. */
export interface ReadAs {
	/** How the size limit names it. */
	readonly name: string;
	readonly stdin: boolean;
}

const SPEC_FILE: ReadAs = { name: 'a spec', stdin: true };
/** A spec file a command rewrites in place (`fmt`): standard input is no such file. */
export const SPEC_FILE_IN_PLACE: ReadAs = { name: 'a spec', stdin: false };
const VAR_FILE: ReadAs = { name: 'a var file', stdin: false };

export const FILE_NOT_FOUND = 'file not found';

/**
 * A spec file's bytes, or why it cannot be read. Regular files only: a FIFO would block for ever
 * (nothing writes to it) and a device might never end, so they are refused, without reading:
 * the file is opened non-blocking (a FIFO opens at once then) and checked through its handle, so
 * what is read is what was checked. At most MAX_SPEC_BYTES.
 */
export async function readSpecBytes(
	path: string,
	as: ReadAs = SPEC_FILE
): Promise<{ readonly bytes: Uint8Array } | { readonly problem: string }> {
	const tooLarge = (size: number) => ({
		problem: `file is too large (${mib(size)}; ${as.name} may be at most ${MAX_SPEC_BYTES / 1024 / 1024} MiB)`,
	});
	const notRegular = as.stdin ? 'give a file, or - to read standard input' : 'give a file';
	let handle;
	try {
		handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
		const info = await handle.stat();
		if (!info.isFile()) return { problem: `not a regular file (${kindOf(info)}); ${notRegular}` };
		if (info.size > MAX_SPEC_BYTES) return tooLarge(info.size);
		const bytes = await handle.readFile();
		// The file may have grown since its size was read.
		return bytes.byteLength > MAX_SPEC_BYTES ? tooLarge(bytes.byteLength) : { bytes };
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') return { problem: FILE_NOT_FOUND };
		if (code === 'EACCES' || code === 'EPERM')
			return { problem: 'cannot read file (permission denied)' };
		if (code === 'EISDIR') return { problem: `not a regular file (a directory); ${notRegular}` };
		// A socket cannot be opened as a file at all.
		if (code === 'ENXIO') return { problem: `not a regular file (a socket); ${notRegular}` };
		return { problem: `cannot read file (${code ?? (error as Error).message})` };
	} finally {
		await handle?.close();
	}
}

function decodeSource(file: string, bytes: Uint8Array): SpecSource | SpecError {
	const decoded = decodeSpecBytes(bytes);
	if (!decoded.ok) return { file, at: decoded.at, path: [], message: decoded.message };
	return { file, text: decoded.text };
}

async function readStdinSource(
	read: LoadSpecOptions['readStdin']
): Promise<SpecSource | SpecError> {
	const fail = (message: string): SpecError => ({ file: STDIN_NAME, path: [], message });
	if (!read) return fail('standard input cannot be read here');
	const bytes = await read();
	if (bytes.byteLength > MAX_SPEC_BYTES) {
		return fail(
			`input is too large (${mib(bytes.byteLength)}; a spec may be at most ${MAX_SPEC_BYTES / 1024 / 1024} MiB)`
		);
	}
	return decodeSource(STDIN_NAME, bytes);
}

/**
 * The files `-f` names stand for, as kubectl reads them: a directory is every `*.yaml` and
 * `*.yml` directly inside it, sorted by name; anything else is itself.
 */
async function expandInputs(
	names: readonly string[],
	cwd: string
): Promise<{ files: string[]; errors: SpecError[] }> {
	const files: string[] = [];
	const errors: SpecError[] = [];
	for (const name of names) {
		const info =
			name === STDIN_FILE ? undefined : await stat(resolve(cwd, name)).catch(() => undefined);
		if (!info?.isDirectory()) {
			files.push(name);
			continue;
		}
		const inside = (await readdir(resolve(cwd, name), { withFileTypes: true }))
			.filter((entry) => entry.isFile() && SPEC_FILE_PATTERN.test(entry.name))
			.map((entry) => entry.name)
			.sort();
		if (inside.length === 0) {
			errors.push({ file: name, path: [], message: 'directory has no *.yaml or *.yml file' });
		}
		files.push(...inside.map((file) => join(name, file)));
	}
	return { files, errors };
}

export interface LoadSpecOptions {
	/** Relative file names are read from here (default: the process's working directory). */
	readonly cwd?: string;
	/** Reads standard input whole, for `-` among the files (without it, `-` is an error). */
	readonly readStdin?: () => Promise<Uint8Array>;
	/** The kinds the spec may declare (default: the built-in table). */
	readonly table?: KindTable;
	/** `--var` and `--var-file`: values over the spec's `vars:`. */
	readonly vars?: SpecVarInputs;
	/**
	 * Called once each file is read as YAML: the syntax tree of that read, as large as the
	 * document, is garbage then, and the caller may collect it before the file is checked.
	 */
	readonly afterYaml?: () => void;
}

/** A YAML file beside a missing one whose name is a plausible typo of it (`prdo.yaml`: prod.yaml). */
async function nearFile(file: string, cwd: string): Promise<string | undefined> {
	const folder = dirname(file);
	const names = await readdir(resolve(cwd, folder)).catch(() => [] as string[]);
	const stem = (name: string) => name.replace(/\.ya?ml$/, '');
	// Names compared without the extension, which would make any two names look alike; a
	// swap of two letters (prdo) is two edits, so a short name may be two edits off.
	const limit = Math.max(2, Math.floor(stem(basename(file)).length / 3));
	let best: { name: string; distance: number } | undefined;
	for (const name of names.filter((each) => /\.ya?ml$/.test(each))) {
		const distance = editDistance(stem(basename(file)), stem(name));
		if (distance <= limit && (!best || distance < best.distance)) best = { name, distance };
	}
	return best === undefined ? undefined : folder === '.' ? best.name : join(folder, best.name);
}

/**
 * The overrides the command line gives, var files first (in order) then `--var`s, so that a later
 * one wins; or the values a saved plan was made with, as they were.
 */
export async function readVarOverrides(
	inputs: SpecVarInputs = {},
	cwd: string
): Promise<{ overrides: VarOverride[]; errors: SpecError[] }> {
	const overrides: VarOverride[] = [];
	const errors: SpecError[] = [];
	if (inputs.values) {
		for (const [name, value] of Object.entries(inputs.values)) {
			overrides.push({ name, value, origin: 'var', given: `the saved plan's var ${name}` });
		}
	}
	for (const file of inputs.files ?? []) {
		const read = await readSpecBytes(resolve(cwd, file), VAR_FILE);
		if ('problem' in read) {
			const near = read.problem === FILE_NOT_FOUND ? await nearFile(file, cwd) : undefined;
			const hint = near ? ` (did you mean ${near}?)` : '';
			errors.push({ file, path: [], message: `--var-file: ${read.problem}${hint}` });
			continue;
		}
		const decoded = decodeSpecBytes(read.bytes);
		if (!decoded.ok) {
			errors.push({ file, at: decoded.at, path: [], message: decoded.message });
			continue;
		}
		const parsed = parseVarFile(decoded.text, file);
		if (parsed.ok) overrides.push(...parsed.overrides);
		else errors.push(...parsed.errors);
	}
	for (const assignment of inputs.assignments ?? []) {
		const parsed = parseAssignment(assignment);
		const given = `--var ${assignment}`;
		const hidden = parsed.ok ? firstNonPrintable(parsed.value, true) : undefined;
		if (!parsed.ok) errors.push({ file: given, path: [], message: parsed.message });
		else if (hidden !== undefined) {
			// As a string in a spec file may hold none.
			const message = `the value contains ${unicodeName(hidden)}; only printable text, tabs and line breaks are allowed`;
			errors.push({ file: given, path: [], message });
		} else overrides.push({ name: parsed.name, value: parsed.value, origin: 'var', given });
	}
	return { overrides, errors };
}

/**
 * Reads, parses, validates and merges the spec files: `-f a.yaml -f b.yaml`, `-f specs/` (its
 * YAML files), `-f -` (standard input, at most once).
 */
export async function loadSpec(
	files: readonly string[] = [DEFAULT_SPEC_FILE],
	options: LoadSpecOptions = {}
): Promise<SpecResult> {
	const read = await readSpecSources(files, options);
	const { sources, errors, order, overrides } = read;
	const parse = () => parseSpec(sources, options.table, overrides, options.afterYaml);
	if (errors.length === 0) return parse();
	// Still parse the files that could be read, so one run reports everything.
	const result = sources.length > 0 ? parse() : undefined;
	const all = result && !result.ok ? [...errors, ...result.errors] : errors;
	return { ok: false, errors: sortSpecErrors(all, order) };
}

/** Every file's expanded data, as `render` prints it, or every error found. */
export async function loadExpandedFiles(
	files: readonly string[] = [DEFAULT_SPEC_FILE],
	options: LoadSpecOptions = {}
): Promise<
	| { readonly ok: true; readonly files: readonly ParsedSpecFile[]; readonly spec: Spec }
	| { readonly ok: false; readonly errors: readonly SpecError[] }
> {
	const { sources, errors, order, overrides } = await readSpecSources(files, options);
	if (errors.length > 0) return { ok: false, errors: sortSpecErrors(errors, order) };
	const parsed = parseSpecFiles(sources, options.table, overrides, options.afterYaml);
	const merged = parsed.ok ? mergeSpecFiles(parsed.files, options.table) : parsed;
	if (!parsed.ok || !merged.ok) {
		return { ok: false, errors: sortSpecErrors(merged.ok ? [] : merged.errors, order) };
	}
	return { ok: true, files: parsed.files, spec: merged.spec };
}

async function readSpecSources(
	files: readonly string[],
	options: LoadSpecOptions
): Promise<{
	sources: SpecSource[];
	errors: SpecError[];
	order: string[];
	overrides: VarOverride[];
}> {
	const cwd = options.cwd ?? process.cwd();
	const given = files.length > 0 ? files : [DEFAULT_SPEC_FILE];
	const { files: names, errors } = await expandInputs(given, cwd);
	const vars = await readVarOverrides(options.vars, cwd);
	errors.push(...vars.errors);
	if (names.filter((name) => name === STDIN_FILE).length > 1) {
		errors.push({
			file: STDIN_NAME,
			path: [],
			message: '-f - (standard input) given more than once',
		});
	}
	const seen = new Set<string>();
	const sources: SpecSource[] = [];
	const reads = names
		.filter((name, index) => name !== STDIN_FILE || names.indexOf(STDIN_FILE) === index)
		.map((file) =>
			file === STDIN_FILE ? readStdinSource(options.readStdin) : readSpecFile(file, cwd)
		);
	for (const read of await Promise.all(reads)) {
		if (!('text' in read)) {
			errors.push(read);
			continue;
		}
		const path = read.file === STDIN_NAME ? STDIN_NAME : resolve(cwd, read.file);
		if (seen.has(path)) {
			errors.push({ file: read.file, path: [], message: 'file given more than once' });
			continue;
		}
		seen.add(path);
		sources.push(read);
	}
	const order = names.map((name) => (name === STDIN_FILE ? STDIN_NAME : name));
	return { sources, errors, order, overrides: vars.overrides };
}

/** `import --write` and `export --write`: entries added to a spec file on disk, comments kept. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../core/errors.js';
import { appendEntries } from '../spec/append-entries.js';
import { STDIN_NAME } from '../spec/load.js';
import { replaceSpecFile } from './replace-file.js';

/**
 * The file `--write` names, or the spec's one file when it names none (several need a name).
 * `true` is the flag given without a value.
 */
export function writeTarget(write: string | true, files: readonly string[]): string {
	if (files.includes(STDIN_NAME)) {
		throw new UserError('--write reads the spec again after writing: it cannot with -f -');
	}
	if (typeof write === 'string') return write;
	if (files.length === 1) return files[0]!;
	throw new UserError(
		'--write: the spec has several files; name the one to write to, --write FILE'
	);
}

/** Entries to add under one section of a spec file (YAML two spaces in). */
export interface SectionEntries {
	readonly section: string;
	readonly entries: string;
}

/**
 * Adds the entries (YAML under `section`, default `sessions:`, two spaces in) at the end of that
 * section of the file; a file that does not exist yet is created as a spec of `stack`.
 */
export async function writeEntries(
	file: string,
	cwd: string,
	block: string,
	stack: string,
	section = 'sessions'
): Promise<void> {
	await writeSections(file, cwd, [{ section, entries: block }], stack);
}

/**
 * writeEntries for several sections, written at once: a key the file declares in any section
 * refuses them all, and the file is left as it was.
 */
export async function writeSections(
	file: string,
	cwd: string,
	sections: readonly SectionEntries[],
	stack: string
): Promise<void> {
	const path = resolve(cwd, file);
	const existing = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
		// A spec declares `sessions:`, if only empty, beside the other kinds' sections.
		if (error.code === 'ENOENT')
			return `version: 1\nstack: ${stack}\n${sections.some((each) => each.section === 'sessions') ? '' : 'sessions: {}\n'}`;
		throw new UserError(`cannot read ${file} (${error.code ?? error.message})`);
	});
	const declared = parseDocument(existing).get('stack');
	if (typeof declared === 'string' && declared !== stack) {
		throw new UserError(
			`${file} is a spec of stack ${declared}, not ${stack}: nothing was written`
		);
	}
	let text = existing;
	for (const { section, entries } of sections) {
		const result = appendEntries(text, entries, file, section);
		if (!result.ok) throw new UserError(`${result.message}: nothing was written`);
		text = result.text;
	}
	await writeSpecText(path, file, text);
}

/** Writes a whole spec file (replacing it at once), or says it cannot. */
export async function writeSpecText(path: string, file: string, text: string): Promise<void> {
	await replaceSpecFile(path, text).catch((error: NodeJS.ErrnoException) => {
		throw new UserError(`cannot write ${file} (${error.code ?? error.message})`);
	});
}

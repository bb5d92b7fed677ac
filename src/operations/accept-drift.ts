/**
 * `drift --write`: the spec edits that take the Hub's values, approved, written to the spec
 * files, then recorded on the sessions as the applied values (record-accepted.ts). Who approves
 * and who is told comes as parameters; the CLI shows the diff and asks.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import type { HubWriter } from '../hub/types.js';
import type { Spec } from '../kinds/session/desired.js';
import { acceptOutsideChanges } from '../plan/accept-drift.js';
import { STDIN_NAME } from '../spec/load.js';
import { setEntryFields } from '../spec/set-fields.js';
import type { Environment } from './environment.js';
import { loadSpecOrFail } from './planning.js';
import { replaceSpecFile } from './replace-file.js';
import { recordAccepted, type Recorded } from './record-accepted.js';
import type { DriftRead } from './status.js';

/** One spec file as it is and as it would be with the Hub's values. */
export interface SpecFileEdit {
	readonly file: string;
	readonly before: string;
	readonly after: string;
}

export interface AcceptDriftWorld {
	/** Given the edits (and what cannot be taken), true to write them. */
	readonly approve: (
		edits: readonly SpecFileEdit[],
		skipped: readonly string[]
	) => Promise<boolean>;
	/** The files are written; the sessions are recorded next. */
	readonly onWritten?: (written: Written) => void;
}

export interface Written {
	/** Values taken into the spec. */
	readonly values: number;
	/** The files rewritten (none when the spec's defaults already hold the values). */
	readonly files: readonly string[];
}

export type AcceptDriftOutcome =
	/** No change made outside can be taken into the spec; `skipped` says why for each. */
	| { readonly status: 'nothing'; readonly skipped: readonly string[] }
	| { readonly status: 'declined' }
	| { readonly status: 'written'; readonly written: Written; readonly recorded: Recorded };

export async function acceptDrift(
	spec: Spec,
	read: DriftRead,
	hub: HubWriter,
	environment: Environment,
	world: AcceptDriftWorld
): Promise<AcceptDriftOutcome> {
	const accepted = acceptOutsideChanges(spec, read.plan, read.live);
	const files = [...new Set(accepted.edits.map((edit) => edit.file))];
	if (files.includes(STDIN_NAME)) {
		throw new UserError('--write cannot write to standard input: give the spec files with -f');
	}
	const changed = await Promise.all(
		files.map(async (file) => {
			const path = resolve(environment.cwd, file);
			const before = await readFile(path, 'utf8');
			const set = setEntryFields(
				before,
				accepted.edits.filter((edit) => edit.file === file)
			);
			const written = set.written.map((value) => ({ ...value, file }));
			return { file, path, before, after: set.text, written, skipped: set.skipped };
		})
	);
	const skipped = [...accepted.skipped, ...changed.flatMap((file) => file.skipped)];
	const edits = changed.flatMap((file) => file.written);
	if (edits.length === 0) return { status: 'nothing', skipped };
	const rewritten = changed.filter((file) => file.after !== file.before);
	if (!(await world.approve(rewritten, skipped))) return { status: 'declined' };
	await writeSpecFiles(rewritten);
	const written = { values: edits.length, files: rewritten.map((file) => file.file) };
	world.onWritten?.(written);
	const keys = new Set(edits.map((edit) => edit.key));
	const reloaded = await loadSpecOrFail(spec.files, environment);
	const recorded = await recordAccepted(reloaded, read, keys, hub);
	return { status: 'written', written, recorded };
}

/** Each file replaced whole; a failure says which files were written before it. */
async function writeSpecFiles(
	files: readonly { readonly file: string; readonly path: string; readonly after: string }[]
): Promise<void> {
	const written: string[] = [];
	for (const { file, path, after } of files) {
		try {
			await replaceSpecFile(path, after);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
			const before =
				written.length > 0 ? `${written.join(', ')} written already` : 'nothing was written';
			throw new UserError(`cannot write ${file} (${code}); ${before}, nothing recorded on the Hub`);
		}
		written.push(file);
	}
}

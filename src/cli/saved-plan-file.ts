import { access, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { needsLiterals, restoreLiterals } from '../env/restore-literals.js';
import { UserError } from '../errors.js';
import type { HubFlags } from '../hub-client/connection.js';
import { parseSavedPlan, type SavedPlan } from '../plan/saved.js';
import { envKeyOf, ENV_KEY_VARIABLE } from '../secrets/env-key.js';
import { ExitCode } from '../exit-code.js';
import type { Io } from './io.js';
import { loadSpecOrFail } from './planning.js';

/** A saved plan as stored: env templates without their literal text. */
export async function readSavedPlan(planfile: string, io: Io): Promise<SavedPlan> {
	let text: string;
	try {
		text = await readFile(resolve(io.cwd, planfile), 'utf8');
	} catch {
		throw new UserError(`${planfile}: cannot read the saved plan (file not found?)`);
	}
	return parseSavedPlan(text, planfile);
}

/**
 * A saved plan ready to apply: literal env text read back from the spec files it was made from
 * (or `files`, from -f), and checked to be what was planned.
 */
export async function readSavedPlanToApply(
	planfile: string,
	files: readonly string[],
	io: Io
): Promise<SavedPlan> {
	const saved = await readSavedPlan(planfile, io);
	if (!needsLiterals(saved)) return saved;
	const sources = files.length > 0 ? files : saved.specFiles;
	for (const file of sources) {
		try {
			await access(resolve(io.cwd, file));
		} catch {
			throw new UserError(
				`${planfile}: the plan's env has literal text, which a saved plan never holds; it is read from the spec file ${file}, which cannot be read (give the spec files with -f)`
			);
		}
	}
	const restored = restoreLiterals(saved, await loadSpecOrFail(sources, io), envKeyOf(io.env));
	if (!restored.ok) {
		throw new UserError(
			`${planfile}: the spec (${sources.join(', ')}) no longer matches the plan: ${restored.problems.join('; ')}; run plan again`,
			ExitCode.Stale
		);
	}
	if (restored.unchecked.length > 0) {
		io.err(
			`note: literal env text of ${restored.unchecked.join(', ')} read from ${sources.join(', ')} without checking it is what was planned (plan and apply with the same ${ENV_KEY_VARIABLE} to check it)`
		);
	}
	return restored.saved;
}

/** A saved plan goes back to the Hub it was made against, unless the flags name another. */
export function savedPlanHubFlags<T extends HubFlags>(flags: T, saved: SavedPlan): T {
	if (flags.local || flags.url || flags.region) return flags;
	return {
		...flags,
		local: saved.target.local,
		url: saved.target.url,
		org: flags.org ?? saved.target.org,
	};
}

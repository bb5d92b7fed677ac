import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { HubFlags } from '../hub/connection.js';
import { parseSavedPlan, type SavedPlan } from '../plan/saved.js';
import type { Io } from './io.js';

export async function readSavedPlan(planfile: string, io: Io): Promise<SavedPlan> {
	let text: string;
	try {
		text = await readFile(resolve(io.cwd, planfile), 'utf8');
	} catch {
		throw new UserError(`${planfile}: cannot read the saved plan (file not found?)`);
	}
	return parseSavedPlan(text, planfile);
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

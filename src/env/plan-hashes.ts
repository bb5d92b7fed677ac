/** The env part of a saved plan: salted hashes of the values creates will send, never the values. */
import { newSalt, envValueHash } from '../plan/stamp.js';
import type { Plan } from '../plan/types.js';
import { resolveTemplate } from '../spec/env-template.js';
import type { SavedPlan } from '../plan/saved.js';
import type { Environment } from './resolve.js';

export async function envPlanHashes(
	plan: Plan,
	env: Environment,
	salt: string = newSalt()
): Promise<SavedPlan['env']> {
	const hashes: Record<string, Record<string, string | null>> = {};
	for (const action of plan.actions) {
		if (action.kind !== 'create' && action.kind !== 'replace') continue;
		const entry: Record<string, string | null> = {};
		for (const [envKey, template] of Object.entries(action.desired.env)) {
			const resolved = resolveTemplate(template, env);
			entry[envKey] = 'value' in resolved ? await envValueHash(salt, envKey, resolved.value) : null;
		}
		if (Object.keys(entry).length > 0) hashes[action.key] = entry;
	}
	return { salt, hashes };
}

/** Env keys whose value now differs from the one the saved plan saw. */
export async function changedSincePlan(
	saved: SavedPlan['env'],
	key: string,
	values: Readonly<Record<string, string>>
) {
	const changed: string[] = [];
	for (const [envKey, hash] of Object.entries(saved.hashes[key] ?? {})) {
		const value = values[envKey];
		if (hash === null || value === undefined) continue;
		if ((await envValueHash(saved.salt, envKey, value)) !== hash) changed.push(envKey);
	}
	return changed;
}

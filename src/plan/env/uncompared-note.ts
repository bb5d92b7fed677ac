/**
 * The one note a plan prints when some env values could not be compared with what the Hub holds:
 * keys and templates still are, values need the key (or the variables) of the plan's run.
 */
import { sameValue } from '../compare.js';
import { MARKER } from '../../ownership/markers.js';
import { parseEnvStamp } from '../../ownership/stamp.js';
import { ENV_KEY_VARIABLE, envKeyOf } from '../../core/secrets/env-key.js';
import type { Spec } from '../../kinds/session/desired.js';
import { entryEnvDigests, resolveEntryEnv, type Environment } from './resolve.js';
import { fewNamed } from './missing.js';
import type { LiveSession } from '../../kinds/session/live.js';

export function uncomparedEnvNote(
	spec: Spec,
	live: readonly LiveSession[],
	env: Environment
): string | undefined {
	const entries = new Map(spec.sessions.map((entry) => [entry.key, entry]));
	const key = envKeyOf(env);
	const unset = new Set<string>();
	let otherStamp = false;
	let uncompared = false;
	for (const session of live) {
		if (session.archived || session.metadata[MARKER.stack] !== spec.stack) continue;
		const entry = entries.get(session.metadata[MARKER.key] ?? '');
		if (!entry) continue;
		const stamp = parseEnvStamp(session.metadata[MARKER.appliedEnv]);
		const now = entryEnvDigests(entry, env);
		const missing = resolveEntryEnv(entry, env).missing;
		for (const envKey of Object.keys(entry.env)) {
			if (!session.envKeys.includes(envKey) && !stamp?.k[envKey]) continue;
			if (sameValue(envKey, session, stamp, now) !== undefined) continue;
			uncompared = true;
			const variables = missing.find((m) => m.envKey === envKey)?.variables ?? [];
			variables.forEach((name) => unset.add(name));
			if (key && variables.length === 0 && stamp && (stamp.v !== 2 || stamp.i !== key.id))
				otherStamp = true;
		}
	}
	if (!uncompared) return undefined;
	const reasons: string[] = [];
	if (!key)
		reasons.push(
			`${ENV_KEY_VARIABLE} is not set (set it to the secret the sessions were applied with to compare values)`
		);
	if (unset.size > 0) {
		const names = [...unset].sort();
		reasons.push(`${fewNamed(names)} ${names.length === 1 ? 'is' : 'are'} not set here`);
	}
	if (otherStamp)
		reasons.push(
			`some sessions were applied with another ${ENV_KEY_VARIABLE} or by an older version`
		);
	if (reasons.length === 0) return undefined;
	return `note: env values not compared, as ${reasons.join('; ')}; env keys and templates still are`;
}

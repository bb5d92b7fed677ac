/**
 * Env values come from the process environment and go only to the Hub's create call. Here they
 * are resolved, and hashed with a salt (scrypt) where a value must be compared later.
 */
import type { LiveSession } from '../hub/types.js';
import { MARKER } from '../plan/markers.js';
import { envValueHash, parseEnvStamp } from '../plan/stamp.js';
import type { DesiredSession, Spec } from '../spec/types.js';
import { resolveTemplate } from '../spec/env-template.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface MissingEnv {
	readonly key: string;
	readonly envKey: string;
	readonly variables: readonly string[];
}

/** The resolved env of one entry, and what could not be resolved. */
export function resolveEntryEnv(desired: DesiredSession, env: Environment) {
	const values: Record<string, string> = {};
	const missing: MissingEnv[] = [];
	for (const [envKey, template] of Object.entries(desired.env)) {
		const resolved = resolveTemplate(template, env);
		if ('value' in resolved) values[envKey] = resolved.value;
		else missing.push({ key: desired.key, envKey, variables: resolved.missing });
	}
	return { values, missing };
}

export function describeMissing(missing: readonly MissingEnv[]): string {
	const variables = [...new Set(missing.flatMap((entry) => entry.variables))].sort();
	const where = missing.map((entry) => `${entry.key}.env.${entry.envKey}`).join(', ');
	return `environment variable${variables.length === 1 ? '' : 's'} ${variables.join(', ')} not set (needed by ${where})`;
}

/**
 * Per entry key, the hashes of the env values as resolved now, salted with the live session's
 * env stamp, so plan can tell `(sensitive, changed)` without ever holding a value in a plan.
 */
export async function envValueHashesFor(
	spec: Spec,
	live: readonly LiveSession[],
	env: Environment
): Promise<Record<string, Record<string, string | undefined>>> {
	const salts = new Map<string, string>();
	for (const session of live) {
		if (session.metadata[MARKER.stack] !== spec.stack || session.archived) continue;
		const salt = parseEnvStamp(session.metadata[MARKER.appliedEnv])?.s;
		const key = session.metadata[MARKER.key];
		if (salt && key) salts.set(key, salt);
	}
	const result: Record<string, Record<string, string | undefined>> = {};
	await Promise.all(
		spec.sessions.map(async (desired) => {
			const salt = salts.get(desired.key);
			if (!salt) return;
			const { values } = resolveEntryEnv(desired, env);
			const hashes: Record<string, string | undefined> = {};
			for (const [envKey, value] of Object.entries(values)) hashes[envKey] = await envValueHash(salt, envKey, value);
			result[desired.key] = hashes;
		})
	);
	return result;
}

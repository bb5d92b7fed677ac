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
 * Per live session id, the hashes of the env values as resolved now, salted with that session's
 * env stamp, so plan can tell `(sensitive, changed)` without ever holding a value in a plan.
 * Per session, not per key: duplicates of one key each have their own salt.
 */
export async function envValueHashesFor(
	spec: Spec,
	live: readonly LiveSession[],
	env: Environment
): Promise<Record<string, Record<string, string | undefined>>> {
	const entries = new Map(spec.sessions.map((desired) => [desired.key, desired]));
	// Sessions created by one request (an SDK re-POST) share a salt: hash once per entry and salt.
	const bySalt = new Map<string, Promise<Record<string, string | undefined>>>();
	const hashesWith = (desired: DesiredSession, salt: string) => {
		const id = `${desired.key}\u0000${salt}`;
		let hashes = bySalt.get(id);
		if (!hashes) {
			hashes = (async () => {
				const { values } = resolveEntryEnv(desired, env);
				const out: Record<string, string | undefined> = {};
				for (const [envKey, value] of Object.entries(values)) {
					out[envKey] = await envValueHash(salt, envKey, value);
				}
				return out;
			})();
			bySalt.set(id, hashes);
		}
		return hashes;
	};
	// A session an entry adopts (taken over from another stack, say) is compared like its own.
	const adopting = new Map(
		spec.sessions.flatMap((desired) => (desired.adopt ? [[desired.adopt, desired] as const] : []))
	);
	const result: Record<string, Record<string, string | undefined>> = {};
	await Promise.all(
		live.map(async (session) => {
			if (session.archived) return;
			const desired =
				adopting.get(session.id) ??
				(session.metadata[MARKER.stack] === spec.stack
					? entries.get(session.metadata[MARKER.key] ?? '')
					: undefined);
			const salt = parseEnvStamp(session.metadata[MARKER.appliedEnv])?.s;
			if (desired && salt) result[session.id] = await hashesWith(desired, salt);
		})
	);
	return result;
}

/**
 * Env values come from the process environment and go only to the Hub's create call. Here they
 * are resolved (and registered with the redactor at once), and digested where a value must be
 * compared later: keyed with CODER_SESSIONS_ENV_KEY, never in clear.
 */
import type { EnvValueHashes } from '../compare.js';
import { MARKER } from '../../ownership/markers.js';
import { echoDigest, envKeyOf } from '../../core/secrets/env-key.js';
import { registerSecrets } from '../../core/secrets/redact.js';
import { envValueKeyed } from '../../ownership/stamp.js';
import type { DesiredSession, Spec } from '../../kinds/session/desired.js';
import { isStructureOnly, resolveTemplate } from '../../kinds/session/env-template.js';
import type { LiveSession } from '../../kinds/session/live.js';

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
		// Read back from a saved plan without its literal text: its value is not known here.
		if (isStructureOnly(template)) continue;
		const resolved = resolveTemplate(template, env);
		if ('value' in resolved) values[envKey] = resolved.value;
		else missing.push({ key: desired.key, envKey, variables: resolved.missing });
	}
	registerSecrets(Object.values(values));
	return { values, missing };
}

export function describeMissing(missing: readonly MissingEnv[]): string {
	const variables = [...new Set(missing.flatMap((entry) => entry.variables))].sort();
	const where = missing.map((entry) => `${entry.key}.env.${entry.envKey}`).join(', ');
	return `environment variable${variables.length === 1 ? '' : 's'} ${variables.join(', ')} not set (needed by ${where})`;
}

/** Digests of one entry's env values as resolved now: keyed (when the key is set) and for the Hub's echo. */
export function entryEnvDigests(desired: DesiredSession, env: Environment): EnvValueHashes {
	const { values } = resolveEntryEnv(desired, env);
	const key = envKeyOf(env);
	const keyed: Record<string, string> = {};
	const echo: Record<string, string> = {};
	for (const [envKey, value] of Object.entries(values)) {
		if (key) keyed[envKey] = envValueKeyed(key, envKey, value);
		echo[envKey] = echoDigest(envKey, value);
	}
	return key ? { keyed: { key, values: keyed }, echo } : { echo };
}

/**
 * Per live session id, the digests of the env values its entry resolves to now, so plan can tell
 * `(sensitive, changed)` without ever holding a value in a plan.
 */
export function envValueHashesFor(
	spec: Spec,
	live: readonly LiveSession[],
	env: Environment
): Record<string, EnvValueHashes> {
	const entries = new Map(spec.sessions.map((desired) => [desired.key, desired]));
	const byEntry = new Map<string, EnvValueHashes>();
	const digestsOf = (desired: DesiredSession) => {
		let digests = byEntry.get(desired.key);
		if (!digests) byEntry.set(desired.key, (digests = entryEnvDigests(desired, env)));
		return digests;
	};
	// A session an entry adopts (taken over from another stack, say) is compared like its own.
	const adopting = new Map(
		spec.sessions.flatMap((desired) => (desired.adopt ? [[desired.adopt, desired] as const] : []))
	);
	const result: Record<string, EnvValueHashes> = {};
	for (const session of live) {
		if (session.archived) continue;
		const desired =
			adopting.get(session.id) ??
			(session.metadata[MARKER.stack] === spec.stack
				? entries.get(session.metadata[MARKER.key] ?? '')
				: undefined);
		if (desired && Object.keys(desired.env).length > 0) result[session.id] = digestsOf(desired);
	}
	return result;
}

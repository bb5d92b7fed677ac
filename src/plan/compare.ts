/** Field-by-field comparison of one spec entry with its live session. Pure. */
import type { DesiredSession } from '../kinds/session/desired.js';
import { canonicalJson, shortDigest } from '../ownership/digest.js';
import { comparableEcho, echoLacks, rawEcho } from '../ownership/echo.js';
import {
	STAMPED_FIELDS,
	desiredFieldValue,
	fieldRow,
	type StampedField,
} from '../kinds/session/fields/index.js';
import { MARKER, isProtected } from '../ownership/markers.js';
import type { EnvKey } from '../core/secrets/env-key.js';
import {
	parseEnvStamp,
	parseStamp,
	stampedTemplateMatches,
	type AppliedEnvStamp,
	type LegacyEnvStamp,
} from '../ownership/stamp.js';
import type { EnvKeyChange, FieldChange, Json } from './types.js';
import type { LiveSession } from '../kinds/session/live.js';

/**
 * What is known now of one entry's env values, as digests only (never a value). Per env key,
 * absent when the value could not be resolved here.
 */
export interface EnvValueHashes {
	/** The CODER_SESSIONS_ENV_KEY, and the keyed digests of the values resolved now. */
	readonly keyed?: { readonly key: EnvKey; readonly values: Readonly<Record<string, string>> };
	/** Digests with this process's key, to compare with the values the Hub echoes (LiveSession.envEcho). */
	readonly echo?: Readonly<Record<string, string>>;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

export function compareSession(
	desired: DesiredSession,
	live: LiveSession,
	envValueHashes: EnvValueHashes = {}
): FieldChange[] {
	const stamp = parseStamp(live.metadata[MARKER.applied]);
	const ignored = new Set<string>(desired.ignoreChanges);
	const changes: FieldChange[] = [];

	for (const field of STAMPED_FIELDS) {
		if (ignored.has(field)) continue;
		const row = fieldRow(field);
		if (row.compare === 'keys') {
			const change = compareKeys(field, desired, live);
			if (change) changes.push(change);
			continue;
		}
		const want = desiredFieldValue(desired, field);
		if (want === undefined && row.optional) continue;
		const have = comparableEcho(field, live, desired);
		if (have !== undefined) {
			if (!same(want, have))
				changes.push({ field, before: have as Json, after: (want ?? null) as Json });
			continue;
		}
		const applied = stamp?.h[field];
		if (applied !== undefined && applied !== shortDigest(want)) {
			changes.push({ field, after: (want ?? null) as Json, viaDigest: true });
		} else if (echoLacks(field, live, want)) {
			// The Hub adds to this echo, so only what the entry declares must be there.
			changes.push({ field, before: rawEcho(field, live) as Json, after: want as Json });
		}
	}

	if (isProtected(live) !== desired.protect) {
		changes.push({ field: 'protect', before: isProtected(live), after: desired.protect });
	}
	if (!ignored.has('env')) {
		const env = compareEnv(
			desired,
			live,
			parseEnvStamp(live.metadata[MARKER.appliedEnv]),
			envValueHashes
		);
		if (env) changes.push(env);
	}
	return changes;
}

/** Only the keys the spec manages are compared; other keys on the session are left alone. */
function compareKeys(
	field: StampedField,
	desired: DesiredSession,
	live: LiveSession
): FieldChange | undefined {
	const want = (desiredFieldValue(desired, field) ?? {}) as Record<string, string>;
	const have = (fieldRow(field).echo?.(live) ?? {}) as Record<string, string>;
	const before: Record<string, string> = {};
	const after: Record<string, string> = {};
	for (const [key, value] of Object.entries(want)) {
		if (have[key] === value) continue;
		if (have[key] !== undefined) before[key] = have[key];
		after[key] = value;
	}
	if (Object.keys(after).length === 0) return undefined;
	return { field, before, after };
}

function compareEnv(
	desired: DesiredSession,
	live: LiveSession,
	stamp: AppliedEnvStamp | LegacyEnvStamp | undefined,
	now: EnvValueHashes
): FieldChange | undefined {
	const stamped = stamp?.k;
	const liveKeys = new Set(stamped ? Object.keys(stamped) : live.envKeys);
	const wanted = new Set(Object.keys(desired.env));
	const envKeys: EnvKeyChange[] = [...new Set([...wanted, ...liveKeys])].sort().map((key) => {
		if (!wanted.has(key)) return { key, change: 'removed' };
		if (!liveKeys.has(key)) return { key, change: 'added' };
		// The value decides when it is known: a new template for the same value changes nothing.
		const same =
			sameValue(key, live, stamp, now) ??
			(stamp ? stampedTemplateMatches(stamp, key, desired.env[key] ?? '', now.keyed?.key) : true);
		return { key, change: same === false ? 'changed' : 'unchanged' };
	});
	if (envKeys.every((entry) => entry.change === 'unchanged')) return undefined;
	return { field: 'env', envKeys };
}

/**
 * Whether the session holds the value resolved now: by the Hub's echo, else by the stamp's keyed
 * digest made with the same key. Undefined when neither can tell (no key, another key, a v1
 * stamp, or the value not resolvable here).
 */
export function sameValue(
	envKey: string,
	live: LiveSession,
	stamp: AppliedEnvStamp | LegacyEnvStamp | undefined,
	now: EnvValueHashes
): boolean | undefined {
	const echoed = live.envEcho?.[envKey];
	const resolved = now.echo?.[envKey];
	if (echoed !== undefined && resolved !== undefined) return echoed === resolved;
	if (stamp?.v !== 2 || !now.keyed || stamp.i !== now.keyed.key.id) return undefined;
	const applied = stamp.k[envKey]?.v;
	const keyed = now.keyed.values[envKey];
	return applied !== undefined && keyed !== undefined ? applied === keyed : undefined;
}

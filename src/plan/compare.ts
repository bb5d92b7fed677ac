/** Field-by-field comparison of one spec entry with its live session. Pure. */
import type { LiveSession } from '../hub/types.js';
import type { DesiredSession } from '../spec/types.js';
import { canonicalJson, shortDigest } from './canonical.js';
import { FIELDS, isProtected } from './fields.js';
import { MARKER } from './markers.js';
import {
	STAMPED_FIELDS,
	desiredFieldValue,
	envTemplateDigest,
	parseEnvStamp,
	parseStamp,
	type AppliedEnvStamp,
} from './stamp.js';
import type { EnvKeyChange, FieldChange, Json } from './types.js';

/** Hashes of the env values as resolved now, computed with the live stamp's salt (absent when unknown). */
export type EnvValueHashes = Readonly<Record<string, string | undefined>>;

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
		if (field === 'metadata') {
			const change = compareMetadata(desired, live);
			if (change) changes.push(change);
			continue;
		}
		const rule = FIELDS[field];
		const want = desiredFieldValue(desired, field);
		if (want === undefined && rule.optional) continue;
		const have = rule.live?.(live);
		if (have !== undefined) {
			if (!same(want, have))
				changes.push({ field, before: have as Json, after: (want ?? null) as Json });
			continue;
		}
		const applied = stamp?.h[field];
		if (applied !== undefined && applied !== shortDigest(want)) {
			changes.push({ field, after: (want ?? null) as Json, viaDigest: true });
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
function compareMetadata(desired: DesiredSession, live: LiveSession): FieldChange | undefined {
	const before: Record<string, string> = {};
	const after: Record<string, string> = {};
	for (const [key, value] of Object.entries(desired.metadata)) {
		if (live.metadata[key] === value) continue;
		if (live.metadata[key] !== undefined) before[key] = live.metadata[key];
		after[key] = value;
	}
	if (Object.keys(after).length === 0) return undefined;
	return { field: 'metadata', before, after };
}

function compareEnv(
	desired: DesiredSession,
	live: LiveSession,
	stamp: AppliedEnvStamp | undefined,
	valueHashes: EnvValueHashes
): FieldChange | undefined {
	const stamped = stamp?.k;
	const liveKeys = new Set(stamped ? Object.keys(stamped) : live.envKeys);
	const wanted = new Set(Object.keys(desired.env));
	const envKeys: EnvKeyChange[] = [...new Set([...wanted, ...liveKeys])].sort().map((key) => {
		if (!wanted.has(key)) return { key, change: 'removed' };
		if (!liveKeys.has(key)) return { key, change: 'added' };
		const entry = stamped?.[key];
		if (!entry) return { key, change: 'unchanged' };
		const template = desired.env[key] ?? '';
		const valueHash = valueHashes[key];
		const changed =
			entry.t !== envTemplateDigest(stamp!.s, key, template) ||
			(entry.v !== undefined && valueHash !== undefined && entry.v !== valueHash);
		return { key, change: changed ? 'changed' : 'unchanged' };
	});
	if (envKeys.every((entry) => entry.change === 'unchanged')) return undefined;
	return { field: 'env', envKeys };
}

/** Field-by-field comparison of one live session with its spec entry and its applied stamp. Pure. */
import type { DesiredSession } from '../kinds/session/desired.js';
import { Canonical } from '../ownership/digest.js';
import { comparableRowEcho, echoLacks, rawEcho } from '../ownership/echo.js';
import {
	STAMPED_FIELDS,
	desiredFieldValue,
	desiredRowValue,
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
import {
	knownApplied,
	metadataOutside,
	pendingEnv,
	pendingValue,
	valueOutside,
} from './stamp-compare.js';
import type {
	EnvKeyChange,
	FieldChange,
	Json,
	OutsideChange,
	PendingChange,
	StampState,
} from './types.js';
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

/**
 * One session read three ways in one walk of the field table: against the spec (what apply
 * changes), and, through its applied stamp, for changes made outside coder-sessions and for spec
 * changes not yet applied.
 */
export interface SessionComparison {
	/** The spec against the live session: a plan's changes (none without a spec entry). */
	readonly changes: readonly FieldChange[];
	readonly stamp: StampState;
	/** The live session against its stamp. An unreadable stamp is itself an outside change. */
	readonly outside: readonly OutsideChange[];
	/** The spec against the stamp (none without a spec entry or a stamp). */
	readonly pending: readonly PendingChange[];
}

/** The changes apply would make to `live` for `desired`. */
export function compareSession(
	desired: DesiredSession,
	live: LiveSession,
	envValueHashes: EnvValueHashes = {}
): FieldChange[] {
	return [...compareWithStamp(live, desired, envValueHashes).changes];
}

/**
 * The table's stamped rows, with what the loop asks of each worked out once: the loop runs for
 * every field of every session a plan reads.
 */
const STAMPED_ROWS = STAMPED_FIELDS.map((field) => {
	const row = fieldRow(field);
	return {
		field,
		row,
		byKeys: row.compare === 'keys',
		// Left out of the entry and not applied: nothing to compare (see the loop).
		skipsLeftOut: row.optional && row.compare === 'value',
	};
});

/** Most fields of most entries are left out: one Canonical serves them all. */
const LEFT_OUT = new Canonical(undefined);
const LEFT_OUT_DIGEST = LEFT_OUT.digest;
const canonicalOf = (value: unknown) => (value === undefined ? LEFT_OUT : new Canonical(value));

/** `desired` is absent for a session whose key left the spec: only its outside changes are known. */
export function compareWithStamp(
	live: LiveSession,
	desired: DesiredSession | undefined,
	envValueHashes: EnvValueHashes = {}
): SessionComparison {
	const stampText = live.metadata[MARKER.applied];
	const stamp = parseStamp(stampText);
	const ignored = desired?.ignoreChanges.length
		? new Set<string>(desired.ignoreChanges)
		: undefined;
	const changes: FieldChange[] = [];
	const outside: OutsideChange[] = [];
	const pending: PendingChange[] = [];

	for (const { field, row, byKeys, skipsLeftOut } of STAMPED_ROWS) {
		if (ignored?.has(field)) continue;
		const applied = stamp?.h[field];
		const want = desired && canonicalOf(desiredRowValue(desired, row));
		// Left out of the entry, and nothing applied for it: apply leaves the field alone, so the
		// Hub's value is neither a change nor drift, and no echo needs reading.
		if (want === LEFT_OUT && skipsLeftOut) {
			if (applied === undefined || applied === LEFT_OUT_DIGEST) continue;
		}
		const echo = byKeys ? undefined : comparableRowEcho(row, live, desired, stamp);
		// The same text as the entry's (most fields of most sessions): the entry's Canonical serves.
		const have =
			echo === undefined
				? undefined
				: typeof echo === 'string' && echo === want?.value
					? want
					: new Canonical(echo, want);
		if (desired) {
			const change = byKeys
				? compareKeys(field, desired, live)
				: compareValue(field, live, want!, have, applied);
			if (change) changes.push(change);
		}
		if (applied === undefined) continue;
		const appliedValue = want && knownApplied(want, applied);
		const moved = byKeys
			? metadataOutside(live, applied, appliedValue as Record<string, string> | undefined)
			: valueOutside(field, live, have, applied, appliedValue);
		if (moved) outside.push(moved);
		if (want) {
			const edited = pendingValue(field, want, applied);
			if (edited) pending.push(edited);
		}
	}

	if (desired && isProtected(live) !== desired.protect) {
		changes.push({ field: 'protect', before: isProtected(live), after: desired.protect });
		if (stamp) pending.push({ field: 'protect', spec: desired.protect, replace: false });
	}
	if (desired && !ignored?.has('env')) {
		const envStamp = parseEnvStamp(live.metadata[MARKER.appliedEnv]);
		const env = compareEnv(desired, live, envStamp, envValueHashes);
		if (env) changes.push(env);
		const envEdits = stamp ? pendingEnv(desired, envStamp) : undefined;
		if (envEdits) pending.push(envEdits);
	}
	if (!stamp && stampText !== undefined) {
		// A stamp that is there but unreadable was overwritten: a change made outside the tool.
		return { changes, stamp: 'unreadable', outside: [{ field: 'stamp' }], pending: [] };
	}
	return { changes, stamp: stamp ? 'applied' : 'none', outside, pending };
}

/** A value field: the echo decides when the Hub gives one, else the applied digest. */
function compareValue(
	field: StampedField,
	live: LiveSession,
	want: Canonical,
	have: Canonical | undefined,
	applied: string | undefined
): FieldChange | undefined {
	if (want.value === undefined && fieldRow(field).optional) return undefined;
	if (have !== undefined) {
		return want.text === have.text
			? undefined
			: { field, before: have.value as Json, after: (want.value ?? null) as Json };
	}
	if (applied !== undefined && applied !== want.digest)
		return { field, after: (want.value ?? null) as Json, viaDigest: true };
	// The Hub adds to this echo, so only what the entry declares must be there.
	if (echoLacks(field, live, want.value))
		return { field, before: rawEcho(field, live) as Json, after: want.value as Json };
	return undefined;
}

/** Only the keys the spec manages are compared; other keys on the session are left alone. */
function compareKeys(
	field: StampedField,
	desired: DesiredSession,
	live: LiveSession
): FieldChange | undefined {
	const want = (desiredFieldValue(desired, field) ?? {}) as Record<string, string>;
	const wanted = Object.entries(want);
	if (wanted.length === 0) return undefined;
	const have = (fieldRow(field).echo?.(live) ?? {}) as Record<string, string>;
	const before: Record<string, string> = {};
	const after: Record<string, string> = {};
	for (const [key, value] of wanted) {
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
	const liveList = stamped ? Object.keys(stamped) : live.envKeys;
	const wantedList = Object.keys(desired.env);
	// Most sessions have no env: nothing to compare.
	if (liveList.length === 0 && wantedList.length === 0) return undefined;
	const liveKeys = new Set(liveList);
	const wanted = new Set(wantedList);
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

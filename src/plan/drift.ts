/**
 * Drift of one managed session, read against its `coder-sessions/applied` stamp (the digests of
 * what apply last wrote). Two questions, kept apart:
 * - outside: does the live session still hold what was applied? (changes made by hand on the Hub)
 * - pending: does the spec still say what was applied? (spec edits not yet applied)
 * Pure. Env values are never looked at: env is compared by key and template digest only.
 */
import { shortDigest } from '../ownership/digest.js';
import { comparableEcho, echoLacks, rawEcho } from '../ownership/echo.js';
import {
	REPLACE_FIELDS,
	type StampedField,
	STAMPED_FIELDS,
	desiredFieldValue,
	fieldRow,
	type FieldName,
} from '../kinds/session/fields/index.js';
import { MARKER, MARKER_PREFIX, isProtected } from '../ownership/markers.js';
import { parseEnvStamp, stampedTemplateMatches, type AppliedStamp } from '../ownership/stamp.js';
import type { EnvKeyChange, Json } from './types.js';
import type { DesiredSession } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';

export interface OutsideChange {
	/** `stamp`: the applied stamp itself was overwritten with something unreadable. */
	readonly field: FieldName | 'stamp';
	readonly live?: Json;
	/** What was applied, when known: the spec still holds the applied value. */
	readonly applied?: Json;
	/** For metadata: the spec's keys whose live value differs from the applied one. */
	readonly keys?: readonly string[];
}

export interface PendingChange {
	readonly field: FieldName;
	/** The spec's value (absent for env: keys only). */
	readonly spec?: Json;
	readonly envKeys?: readonly EnvKeyChange[];
	/** Applying this change replaces the session. */
	readonly replace: boolean;
}

/** Digest of a field the spec left out: apply leaves such a field alone, so the Hub's value is nobody's drift. */
const UNSET = shortDigest(undefined);

/** `desired` is absent for a session whose key left the spec: its applied values are then unknown. */
export function outsideChanges(
	live: LiveSession,
	stamp: AppliedStamp,
	desired: DesiredSession | undefined
): OutsideChange[] {
	const ignored = new Set<string>(desired?.ignoreChanges ?? []);
	const changes: OutsideChange[] = [];
	for (const field of STAMPED_FIELDS) {
		const applied = stamp.h[field];
		if (applied === undefined || ignored.has(field)) continue;
		const appliedValue = desired && knownApplied(desired, field, applied);
		const row = fieldRow(field);
		if (row.compare === 'keys') {
			const change = metadataChange(
				live,
				applied,
				appliedValue as Record<string, string> | undefined
			);
			if (change) changes.push(change);
			continue;
		}
		const liveValue = comparableEcho(field, live, desired);
		if (
			liveValue === undefined &&
			appliedValue !== undefined &&
			echoLacks(field, live, appliedValue)
		) {
			// An echo the Hub adds to (skills) that lost an item applied: changed by hand.
			changes.push({ field, live: rawEcho(field, live) as Json, applied: appliedValue as Json });
			continue;
		}
		// Fields the Hub does not echo cannot drift visibly (and most are fixed at creation).
		if (liveValue === undefined || (row.optional && applied === UNSET)) continue;
		if (shortDigest(liveValue) === applied) continue;
		changes.push({
			field,
			live: liveValue as Json,
			...(appliedValue === undefined ? {} : { applied: appliedValue as Json }),
		});
	}
	return changes;
}

function knownApplied(desired: DesiredSession, field: StampedField, applied: string): unknown {
	const value = desiredFieldValue(desired, field);
	return shortDigest(value) === applied ? (value ?? null) : undefined;
}

/**
 * The Hub merges metadata and other apps may add keys, so the applied map is looked for among
 * the live keys: the spec's keys, or every key the tool does not own. When neither matches and
 * the spec's metadata also moved since, which side changed cannot be told: the pending change
 * reports it, and the next apply writes the spec's values either way.
 */
function metadataChange(
	live: LiveSession,
	applied: string,
	appliedValue: Record<string, string> | undefined
): OutsideChange | undefined {
	const own = Object.entries(live.metadata).filter(([key]) => !key.startsWith(MARKER_PREFIX));
	const candidates = [Object.fromEntries(own)];
	if (appliedValue) candidates.push(pick(live.metadata, Object.keys(appliedValue)));
	if (candidates.some((candidate) => shortDigest(candidate) === applied)) return undefined;
	if (!appliedValue) return undefined;
	const keys = Object.keys(appliedValue).filter((key) => live.metadata[key] !== appliedValue[key]);
	return {
		field: 'metadata',
		keys,
		live: pick(live.metadata, keys),
		applied: pick(appliedValue, keys),
	};
}

/** Fields where the spec moved away from the stamp; the fields `ignoreChanges` names are left out. */
export function pendingChanges(
	live: LiveSession,
	stamp: AppliedStamp,
	desired: DesiredSession
): PendingChange[] {
	const ignored = new Set<string>(desired.ignoreChanges);
	const changes: PendingChange[] = [];
	for (const field of STAMPED_FIELDS) {
		const applied = stamp.h[field];
		if (applied === undefined || ignored.has(field)) continue;
		const want = desiredFieldValue(desired, field);
		// An optional field left out of the spec is "don't care": apply would not touch it.
		if (want === undefined && fieldRow(field).optional) continue;
		if (shortDigest(want) === applied) continue;
		changes.push({ field, spec: (want ?? null) as Json, replace: REPLACE_FIELDS.has(field) });
	}
	if (isProtected(live) !== desired.protect) {
		changes.push({ field: 'protect', spec: desired.protect, replace: false });
	}
	const env = ignored.has('env') ? undefined : pendingEnv(live, desired);
	if (env) changes.push(env);
	return changes;
}

/** Env as the spec declares it against the env stamp of the last create: keys and template digests. */
function pendingEnv(live: LiveSession, desired: DesiredSession): PendingChange | undefined {
	const stamp = parseEnvStamp(live.metadata[MARKER.appliedEnv]);
	const stamped = stamp?.k ?? {};
	const keys = [...new Set([...Object.keys(desired.env), ...Object.keys(stamped)])].sort();
	const envKeys: EnvKeyChange[] = [];
	for (const key of keys) {
		const template = desired.env[key];
		const entry = stamped[key];
		if (template === undefined) envKeys.push({ key, change: 'removed' });
		else if (!entry) envKeys.push({ key, change: 'added' });
		else if (stampedTemplateMatches(stamp!, key, template, undefined) === false)
			envKeys.push({ key, change: 'changed' });
	}
	return envKeys.length > 0 ? { field: 'env', envKeys, replace: true } : undefined;
}

function pick(
	record: Readonly<Record<string, string>>,
	keys: readonly string[]
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const key of keys) if (record[key] !== undefined) out[key] = record[key];
	return out;
}

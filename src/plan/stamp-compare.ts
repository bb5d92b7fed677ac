/**
 * One field read against the `coder-sessions/applied` stamp (the digests of what apply last
 * wrote), for compareWithStamp's walk of the field table. Two questions, kept apart:
 * - outside: does the live session still hold what was applied? (changes made by hand on the Hub)
 * - pending: does the spec still say what was applied? (spec edits not yet applied)
 * Pure. Env values are never looked at: env is compared by key and template digest only.
 */
import { shortDigest, type Canonical } from '../ownership/digest.js';
import { echoLacks, rawEcho } from '../ownership/echo.js';
import { REPLACE_FIELDS, fieldRow, type StampedField } from '../kinds/session/fields/index.js';
import { MARKER_PREFIX } from '../ownership/markers.js';
import {
	stampedTemplateMatches,
	type AppliedEnvStamp,
	type LegacyEnvStamp,
} from '../ownership/stamp.js';
import type { DesiredSession } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { EnvKeyChange, Json, OutsideChange, PendingChange } from './types.js';

/** Digest of a field the spec left out: apply leaves such a field alone, so the Hub's value is nobody's drift. */
const UNSET = shortDigest(undefined);

/** The spec's value when it is the one applied (the spec still holds it), else undefined. */
export function knownApplied(want: Canonical, applied: string): unknown {
	return want.digest === applied ? (want.value ?? null) : undefined;
}

/** A value field: `have` is the echo compared (see comparableEcho), undefined when there is none. */
export function valueOutside(
	field: StampedField,
	live: LiveSession,
	have: Canonical | undefined,
	applied: string,
	appliedValue: unknown
): OutsideChange | undefined {
	if (have === undefined && appliedValue !== undefined && echoLacks(field, live, appliedValue)) {
		// An echo the Hub adds to (skills) that lost an item applied: changed by hand.
		return { field, live: rawEcho(field, live) as Json, applied: appliedValue as Json };
	}
	// Fields the Hub does not echo cannot drift visibly (and most are fixed at creation).
	if (have === undefined || (fieldRow(field).optional && applied === UNSET)) return undefined;
	if (have.digest === applied) return undefined;
	return {
		field,
		live: have.value as Json,
		...(appliedValue === undefined ? {} : { applied: appliedValue as Json }),
	};
}

/**
 * The Hub merges metadata and other apps may add keys, so the applied map is looked for among
 * the live keys: the spec's keys, or every key the tool does not own. When neither matches and
 * the spec's metadata also moved since, which side changed cannot be told: the pending change
 * reports it, and the next apply writes the spec's values either way.
 */
export function metadataOutside(
	live: LiveSession,
	applied: string,
	appliedValue: Record<string, string> | undefined
): OutsideChange | undefined {
	if (ownMetadataDigest(live.metadata) === applied) return undefined;
	if (!appliedValue) return undefined;
	if (shortDigest(pick(live.metadata, Object.keys(appliedValue))) === applied) return undefined;
	const keys = Object.keys(appliedValue).filter((key) => live.metadata[key] !== appliedValue[key]);
	return {
		field: 'metadata',
		keys,
		live: pick(live.metadata, keys),
		applied: pick(appliedValue, keys),
	};
}

const NO_METADATA = shortDigest({});

/** The digest of the keys the tool does not own; most sessions have none but its markers. */
function ownMetadataDigest(metadata: Readonly<Record<string, string>>): string {
	const keys = Object.keys(metadata);
	if (keys.every((key) => key.startsWith(MARKER_PREFIX))) return NO_METADATA;
	return shortDigest(
		Object.fromEntries(Object.entries(metadata).filter(([key]) => !key.startsWith(MARKER_PREFIX)))
	);
}

/** The spec moved away from the stamp; an optional field left out of the spec is "don't care". */
export function pendingValue(
	field: StampedField,
	want: Canonical,
	applied: string
): PendingChange | undefined {
	if (want.value === undefined && fieldRow(field).optional) return undefined;
	if (want.digest === applied) return undefined;
	return { field, spec: (want.value ?? null) as Json, replace: REPLACE_FIELDS.has(field) };
}

/** Env as the spec declares it against the env stamp of the last create: keys and template digests. */
export function pendingEnv(
	desired: DesiredSession,
	stamp: AppliedEnvStamp | LegacyEnvStamp | undefined
): PendingChange | undefined {
	const stamped = stamp?.k ?? {};
	const declared = Object.keys(desired.env);
	const applied = Object.keys(stamped);
	if (declared.length === 0 && applied.length === 0) return undefined;
	const keys = [...new Set([...declared, ...applied])].sort();
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

/**
 * The live value a field is compared with: the Hub's echo (see the field table), unless the Hub
 * adds to that echo from other fields the entry or the session names (saved skills and buckets
 * expand into `skills`). Then the echo is not compared whole: the applied stamp tells a change of
 * the spec, and the echo only has to hold every item the entry declares (`missingFromEcho`), so
 * the skills the Hub added are neither a change to undo nor drift, whether or not a Hub expands
 * them, while a declared skill removed by hand still shows.
 */
import type { DesiredSession } from '../kinds/session/desired.js';
import {
	comparedRowEcho,
	desiredFieldValue,
	fieldRow,
	type AnyRow,
	type IgnorableField,
} from '../kinds/session/fields/index.js';
import type { LiveSession } from '../kinds/session/live.js';
import { canonicalJson, shortDigest } from './digest.js';
import type { AppliedStamp } from './stamp.js';

const UNSET = shortDigest(undefined);
const EMPTY_LIST = shortDigest([]);

/** `applied`: the session's applied stamp as parsed (parseStamp), undefined when it has none. */
export function comparableEcho(
	field: IgnorableField,
	live: LiveSession,
	desired: DesiredSession | undefined,
	applied: AppliedStamp | undefined
): unknown {
	return comparableRowEcho(fieldRow(field), live, desired, applied);
}

/** comparableEcho for a caller that holds the field's row. */
export function comparableRowEcho(
	row: AnyRow,
	live: LiveSession,
	desired: DesiredSession | undefined,
	applied: AppliedStamp | undefined
): unknown {
	const addedBy = row.echoAddedBy as readonly IgnorableField[] | undefined;
	if (addedBy && addedBy.some((other) => names(other, desired, applied))) return undefined;
	return comparedRowEcho(row, live);
}

/** Whether the entry, or the stamp of what was applied to the session, names a value of `field`. */
function names(
	field: IgnorableField,
	desired: DesiredSession | undefined,
	stamp: AppliedStamp | undefined
): boolean {
	if (desired !== undefined && isSet(desiredFieldValue(desired, field))) return true;
	const applied = stamp?.h[field];
	return applied !== undefined && applied !== UNSET && applied !== EMPTY_LIST;
}

function isSet(value: unknown): boolean {
	return value !== undefined && !(Array.isArray(value) && value.length === 0);
}

/**
 * For a field compared through the stamp because the Hub adds to its echo: whether the echo lacks
 * an item of `declared` (the entry's value, or the applied one). False when the echo is compared
 * whole (comparableEcho gives it), when the Hub echoes nothing, or when nothing is declared.
 */
export function echoLacks(field: IgnorableField, live: LiveSession, declared: unknown): boolean {
	if (!Array.isArray(declared)) return false;
	const echo = fieldRow(field).echo?.(live);
	if (!Array.isArray(echo)) return false;
	const held = new Set(echo.map((item) => canonicalJson(item)));
	return declared.some((item) => !held.has(canonicalJson(item)));
}

/** The echo as it is, for showing what the session holds beside what it lacks. */
export function rawEcho(field: IgnorableField, live: LiveSession): unknown {
	return fieldRow(field).echo?.(live);
}

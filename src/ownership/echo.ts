/**
 * The live value a field is compared with: the Hub's echo (see the field table), unless the Hub
 * adds to that echo from other fields the entry or the session names (saved skills and buckets
 * expand into `skills`). Then the applied stamp decides, so the skills the Hub added are neither a
 * change to undo nor drift, whether or not a Hub expands them.
 */
import type { DesiredSession } from '../session/desired.js';
import {
	comparedEcho,
	desiredFieldValue,
	fieldRow,
	type IgnorableField,
} from '../session/fields/index.js';
import type { LiveSession } from '../session/live.js';
import { shortDigest } from './digest.js';
import { MARKER } from './markers.js';
import { parseStamp } from './stamp.js';

const UNSET = shortDigest(undefined);

export function comparableEcho(
	field: IgnorableField,
	live: LiveSession,
	desired?: DesiredSession
): unknown {
	const addedBy = fieldRow(field).echoAddedBy as readonly IgnorableField[] | undefined;
	if (addedBy && addedBy.some((other) => names(other, live, desired))) return undefined;
	return comparedEcho(field, live);
}

/** Whether the entry, or the stamp of what was applied to the session, names a value of `field`. */
function names(field: IgnorableField, live: LiveSession, desired?: DesiredSession): boolean {
	if (desired !== undefined && isSet(desiredFieldValue(desired, field))) return true;
	const applied = parseStamp(live.metadata[MARKER.applied])?.h[field];
	return applied !== undefined && applied !== UNSET && applied !== shortDigest([]);
}

function isSet(value: unknown): boolean {
	return value !== undefined && !(Array.isArray(value) && value.length === 0);
}

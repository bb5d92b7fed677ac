/**
 * The applied stamp an update (or adopt) writes. A field's digest may only claim what the session
 * is known to hold: a field sent in this update, or one whose live value the Hub echoes and
 * compares equal. Any other field keeps the digest it had (ignored under `ignoreChanges`, not
 * declared, or never seen), so a difference hidden today still shows once it is looked at again.
 */
import type { DesiredSession } from '../kinds/session/desired.js';
import { shortDigest } from './digest.js';
import {
	STAMPED_FIELDS,
	desiredFieldValue,
	fieldRow,
	type FieldName,
} from '../kinds/session/fields/index.js';
import { comparableEcho } from './echo.js';
import { MARKER } from './markers.js';
import { formatStamp, parseStamp } from './stamp.js';
import type { LiveSession } from '../kinds/session/live.js';

export function stampAfterUpdate(
	desired: DesiredSession,
	live: LiveSession,
	sentFields: Iterable<FieldName>
): string {
	const stamp = parseStamp(live.metadata[MARKER.applied]);
	const previous = stamp?.h ?? {};
	const sent = new Set<FieldName>(sentFields);
	const ignored = new Set<string>(desired.ignoreChanges);
	const h: Partial<Record<FieldName, string>> = {};
	for (const field of STAMPED_FIELDS) {
		const want = desiredFieldValue(desired, field);
		const row = fieldRow(field);
		const declared = !(want === undefined && row.optional);
		// Metadata's echo is the session's metadata, always there: its keys are always known.
		const echoed = comparableEcho(field, live, desired, stamp) !== undefined;
		// A field neither sent nor seen keeps its digest: were it the spec's, keeping it is the same.
		const known = !ignored.has(field) && declared && (sent.has(field) || echoed);
		const digest = known ? shortDigest(want) : previous[field];
		if (digest !== undefined) h[field] = digest;
	}
	return formatStamp({ v: 1, h });
}

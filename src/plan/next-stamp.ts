/**
 * The applied stamp an update (or adopt) writes. A field's digest may only claim what the session
 * is known to hold: a field sent in this update, or one whose live value the Hub echoes and
 * compares equal. Any other field keeps the digest it had (ignored under `ignoreChanges`, not
 * declared, or never seen), so a difference hidden today still shows once it is looked at again.
 */
import type { LiveSession } from '../hub/types.js';
import type { DesiredSession } from '../spec/types.js';
import { shortDigest } from './canonical.js';
import { FIELDS } from './fields.js';
import { MARKER } from './markers.js';
import { STAMPED_FIELDS, desiredFieldValue, formatStamp, parseStamp } from './stamp.js';
import type { FieldChange, FieldName } from './types.js';

export function stampAfterUpdate(
	desired: DesiredSession,
	live: LiveSession,
	changes: readonly FieldChange[]
): string {
	const previous = parseStamp(live.metadata[MARKER.applied])?.h ?? {};
	const sent = new Set<FieldName>(changes.map((change) => change.field));
	const ignored = new Set<string>(desired.ignoreChanges);
	const h: Partial<Record<FieldName, string>> = {};
	for (const field of STAMPED_FIELDS) {
		const want = desiredFieldValue(desired, field);
		const rule = FIELDS[field];
		const declared = !(want === undefined && rule.optional);
		// Metadata is compared with the live session key by key, so it is always known.
		const echoed = field === 'metadata' || rule.live?.(live) !== undefined;
		const known =
			!ignored.has(field) &&
			declared &&
			(sent.has(field) || echoed || previous[field] === shortDigest(want));
		const digest = known ? shortDigest(want) : previous[field];
		if (digest !== undefined) h[field] = digest;
	}
	return formatStamp({ v: 1, h });
}

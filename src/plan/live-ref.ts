import { shortDigest } from '../ownership/digest.js';
import type { LiveRef } from './types.js';
import { isProtected } from '../ownership/markers.js';
import type { LiveSession } from '../kinds/session/live.js';
import { FIELD_TABLE } from '../kinds/session/fields/index.js';

/**
 * The precondition of an action: a digest of everything plan read from the session (each echoed
 * field of the field table), except status and timestamps, which move on their own as a session
 * comes up.
 */
export function preconditionOf(live: LiveSession): string {
	const read: Record<string, unknown> = { id: live.id, archived: live.archived };
	for (const row of FIELD_TABLE) if (row.echo) read[row.name] = row.echo(live);
	return shortDigest(read);
}

export function liveRef(live: LiveSession): LiveRef {
	let precondition: string | undefined;
	return {
		id: live.id,
		label: live.label,
		status: live.status,
		createdAt: live.createdAt,
		protect: isProtected(live),
		// Worked out when first read (the same digest, as live sessions are never changed): of a
		// plan's many noops, only a saved plan and the JSON view read it.
		get precondition() {
			return (precondition ??= preconditionOf(live));
		},
	};
}

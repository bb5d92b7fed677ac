/** What a plan of this spec (and of its base, with `plan --base`) needs beside the stack's active sessions. Pure. */
import { MARKER } from '../../ownership/markers.js';
import type { Spec } from '../../kinds/session/desired.js';
import type { LiveSession } from '../../kinds/session/live.js';
import type { DiscoveryRequest } from './types.js';

/**
 * The `adopt:` targets, read by id; and whether archived history matters: for an entry with
 * `state: archived`, for one with `state: unmanaged` (its forget covers archived sessions too), for a declared key with no active session (to say whether it was archived),
 * for `prune: delete` unless `--only` names declared keys alone (it deletes the archived
 * sessions of removed keys too), and for an `--only` key the spec does not declare and no
 * active session has.
 */
export function planNeeds(
	spec: Spec,
	only: readonly string[],
	base?: Spec
): Pick<DiscoveryRequest, 'byId' | 'needsArchived'> {
	if (base) {
		const [ours, theirs] = [planNeeds(spec, only), planNeeds(base, only)];
		return {
			byId: [...new Set([...(ours.byId ?? []), ...(theirs.byId ?? [])])],
			needsArchived: (active) => ours.needsArchived(active) || theirs.needsArchived(active),
		};
	}
	const inScope = (key: string) => only.length === 0 || only.includes(key);
	const entries = spec.sessions.filter((entry) => inScope(entry.key));
	const byId = entries.flatMap((entry) => (entry.adopt !== undefined ? [entry.adopt] : []));
	const declared = new Set(spec.sessions.map((entry) => entry.key));
	return {
		byId,
		needsArchived: (active: readonly LiveSession[]) => {
			if (entries.some((entry) => entry.state === 'archived' || entry.state === 'unmanaged'))
				return true;
			// prune: delete deletes every session of a removed key, archived ones too, and a key
			// whose sessions are all archived shows in no active session: only history names it.
			if (spec.prune === 'delete' && (only.length === 0 || only.some((key) => !declared.has(key))))
				return true;
			const activeKeys = new Set(
				active
					.filter((session) => session.metadata[MARKER.stack] === spec.stack)
					.map((session) => session.metadata[MARKER.key])
			);
			if (entries.some((entry) => !activeKeys.has(entry.key))) return true;
			return only.some((key) => !declared.has(key) && !activeKeys.has(key));
		},
	};
}

/**
 * `state: unmanaged`: the stack stops managing the entry's sessions without archiving them.
 * Each session (archived ones too, which `prune: delete` would otherwise delete) has its
 * markers emptied; once applied, the entry can be deleted from the spec. Pure.
 */
import { clearedMarkers } from '../ownership/forget.js';
import type { KeyGroup } from '../ownership/key-groups.js';
import { liveRef } from './live-ref.js';
import type { Action } from './types.js';

export const FORGET_REASON = 'state: unmanaged; the session is left as it is';

export function planForget(key: string, group: KeyGroup | undefined): Action[] {
	if (!group) {
		return [
			{ kind: 'noop', key, reason: 'state: unmanaged; no session of the stack carries this key' },
		];
	}
	return group.all.map((session): Action => ({
		kind: 'forget',
		key,
		live: liveRef(session),
		markers: Object.keys(clearedMarkers(session)).sort(),
		reason: FORGET_REASON,
	}));
}

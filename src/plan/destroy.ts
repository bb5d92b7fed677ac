/**
 * `--destroy`: every active session of the stack is archived, whatever the spec declares.
 * Archiving is this tool's removal (history stays on the Hub); nothing is deleted, even under
 * `prune: delete`, and archived sessions are left as they are. Pure.
 */
import type { KeyGroup } from '../ownership/key-groups.js';
import { liveRef } from './live-ref.js';
import type { Action } from './types.js';

export const DESTROY_REASON = 'destroy (--destroy)';

export function planDestroy(
	groups: ReadonlyMap<string, KeyGroup>,
	inScope: (key: string) => boolean
): Action[] {
	const actions: Action[] = [];
	for (const [key, group] of groups) {
		if (!inScope(key)) continue;
		if (group.active.length === 0) {
			actions.push({ kind: 'noop', key, live: liveRef(group.latest), reason: 'archived' });
			continue;
		}
		for (const session of group.active) {
			actions.push({ kind: 'archive', key, live: liveRef(session), reason: DESTROY_REASON });
		}
	}
	return actions;
}

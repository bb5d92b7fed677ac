/** What becomes of a managed session whose key left the spec: the `prune` policy. Pure. */
import type { Spec } from '../kinds/session/desired.js';
import { liveRef } from './live-ref.js';
import type { KeyGroup } from '../ownership/key-groups.js';
import type { Action } from './types.js';

export function planRemoved(key: string, group: KeyGroup, prune: Spec['prune']): Action[] {
	const shown = group.active[0] ?? group.latest;
	if (prune === 'keep') {
		return [
			{ kind: 'noop', key, live: liveRef(shown), reason: 'not in the spec; prune: keep leaves it' },
		];
	}
	if (prune === 'delete') {
		return group.all.map((session): Action => ({
			kind: 'delete',
			key,
			live: liveRef(session),
			reason: 'not in the spec (prune: delete)',
		}));
	}
	if (group.active.length === 0)
		return [{ kind: 'noop', key, live: liveRef(shown), reason: 'archived' }];
	return group.active.map((session): Action => ({
		kind: 'archive',
		key,
		live: liveRef(session),
		reason: 'not in the spec (prune: archive)',
	}));
}

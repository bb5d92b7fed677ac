/**
 * `state: unmanaged`: the stack stops managing the entry's sessions without archiving them.
 * Each live session has its markers emptied; once applied, the entry can be deleted from the
 * spec. An archived (or otherwise history-only) session is history: there is nothing to forget,
 * and the Hub takes no writes to it, so it is left as it is, still the stack's history. Pure.
 */
import { markerKeys } from '../ownership/forget.js';
import type { KeyGroup } from '../ownership/key-groups.js';
import { liveRef } from './live-ref.js';
import type { Action } from './types.js';

export const FORGET_REASON = 'state: unmanaged; the session is left as it is';

/** The reason of the no-op planned for an archived session of an unmanaged key. */
export const FORGET_HISTORY_REASON =
	'state: unmanaged; archived, so history: nothing to forget (the Hub takes no writes to an archived session)';

export function planForget(key: string, group: KeyGroup | undefined): Action[] {
	if (!group) {
		return [
			{ kind: 'noop', key, reason: 'state: unmanaged; no session of the stack carries this key' },
		];
	}
	return group.all.map((session): Action =>
		session.archived
			? { kind: 'noop', key, live: liveRef(session), reason: FORGET_HISTORY_REASON }
			: {
					kind: 'forget',
					key,
					live: liveRef(session),
					markers: markerKeys(session),
					reason: FORGET_REASON,
				}
	);
}

/**
 * One note per unmanaged key whose archived sessions were left alone: what plan prints beside
 * the plan, since a no-op shows in no action list.
 */
export function forgetHistoryNotes(actions: readonly Action[], prune: string): string[] {
	const byKey = new Map<string, number>();
	for (const action of actions) {
		if (action.kind === 'noop' && action.reason === FORGET_HISTORY_REASON)
			byKey.set(action.key, (byKey.get(action.key) ?? 0) + 1);
	}
	return [...byKey].map(([key, count]) => forgetHistoryNote(key, count, prune));
}

export function forgetHistoryNote(key: string, archived: number, prune: string): string {
	const them = archived === 1 ? 'it' : 'them';
	const sessions = archived === 1 ? '1 archived session' : `${archived} archived sessions`;
	const later =
		prune === 'delete'
			? `; under prune: delete, removing the entry later deletes ${them}, so keep the entry (state: unmanaged) to keep ${them}`
			: '';
	return `note: ${key}: ${sessions} left as ${archived === 1 ? 'it is' : 'they are'}: history, nothing to forget (the Hub takes no writes to archived sessions)${later}`;
}

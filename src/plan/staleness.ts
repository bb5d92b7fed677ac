/** Compares a saved plan with the same spec planned again now: what moved, in words. Pure. */
import type { Action, Plan } from './types.js';

const describe = (action: Action) =>
	`${action.kind} ${action.key}${'live' in action && action.live ? ` (${action.live.id})` : ''}`;
const identity = (action: Action) =>
	`${action.key}\u0000${'live' in action && action.live ? action.live.id : ''}`;

/** Empty when the saved plan still holds; otherwise one line per difference. */
export function staleReasons(saved: Plan, fresh: Plan): string[] {
	const reasons: string[] = [];
	const freshByIdentity = new Map(fresh.actions.map((action) => [identity(action), action]));
	const savedIdentities = new Set(saved.actions.map(identity));

	for (const action of saved.actions) {
		const now = freshByIdentity.get(identity(action));
		if (action.kind === 'noop') {
			if (now && now.kind !== 'noop')
				reasons.push(`${action.key}: was unchanged, now planned as ${now.kind}`);
			continue;
		}
		if (!now && action.kind === 'create') {
			const existing = fresh.actions.find(
				(other) => other.key === action.key && 'live' in other && other.live
			);
			const id = existing && 'live' in existing ? ` (${existing.live?.id})` : '';
			reasons.push(`${describe(action)}: a session for this key is on the Hub now${id}`);
		} else if (!now && action.kind === 'adopt') {
			const other = fresh.actions.find(
				(o) => o.key === action.key && 'live' in o && o.live && o.live.id !== action.live.id
			);
			const id = other && 'live' in other ? other.live?.id : undefined;
			reasons.push(
				`${describe(action)}: ${id ? `session ${id} carries this key now` : 'the session is no longer planned for adoption'}`
			);
		} else if (!now) {
			reasons.push(`${describe(action)}: the session is gone from the Hub or no longer planned`);
		} else if (now.kind !== action.kind) {
			reasons.push(`${describe(action)}: now planned as ${now.kind}`);
		} else if (
			'live' in action &&
			action.live &&
			'live' in now &&
			now.live &&
			action.live.precondition !== now.live.precondition
		) {
			reasons.push(`${describe(action)}: the session changed on the Hub since the plan was made`);
		}
	}
	const savedCreates = new Set(saved.actions.filter((a) => a.kind === 'create').map((a) => a.key));
	for (const action of fresh.actions) {
		if (action.kind === 'noop' && savedCreates.has(action.key)) continue;
		if (action.kind !== 'noop' && !savedIdentities.has(identity(action))) {
			reasons.push(`${describe(action)}: new since the plan was made`);
		}
	}
	if (reasons.length === 0 && saved.fingerprint !== fresh.fingerprint) {
		reasons.push('the planned changes differ from the saved plan (fingerprint mismatch)');
	}
	return reasons;
}

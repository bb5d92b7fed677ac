/**
 * The prior state a plan keeps: each managed session in scope as read against its spec entry
 * and its applied stamp. Each session is compared once (compareWithStamp), and that comparison
 * gives both the plan's changes and what drift reports. Pure.
 */
import { compareWithStamp, type EnvValueHashes, type SessionComparison } from './compare.js';
import { compareText, type KeyGroup } from '../ownership/key-groups.js';
import type { DesiredSession, Spec } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { PriorSession } from './types.js';

/** Compares a session with its entry (the same entry object each time), once per session. */
export type CompareSession = (
	session: LiveSession,
	desired: DesiredSession | undefined
) => SessionComparison;

export function sessionComparer(
	hashesFor: (session: LiveSession) => EnvValueHashes | undefined
): CompareSession {
	const compared = new Map<string, SessionComparison>();
	return (session, desired) => {
		let comparison = compared.get(session.id);
		if (!comparison) {
			comparison = compareWithStamp(session, desired, hashesFor(session));
			compared.set(session.id, comparison);
		}
		return comparison;
	};
}

/** Every managed session of the keys in scope, by key then id. */
export function priorState(
	spec: Spec,
	groups: ReadonlyMap<string, KeyGroup>,
	inScope: (key: string) => boolean,
	compare: CompareSession
): PriorSession[] {
	const entries = new Map(spec.sessions.map((entry) => [entry.key, entry]));
	const prior: PriorSession[] = [];
	for (const [key, group] of groups) {
		if (!inScope(key)) continue;
		for (const session of group.all) {
			const { id, label } = session;
			if (session.archived) {
				prior.push({ key, id, label, archived: true });
				continue;
			}
			const { stamp, outside, pending } = compare(session, entries.get(key));
			prior.push({ key, id, label, archived: false, stamp, outside, pending });
		}
	}
	return prior.sort((a, b) => compareText(a.key, b.key) || compareText(a.id, b.id));
}

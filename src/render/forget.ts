/** What `forget` is about to do, as it asks: the sessions it stops managing, and the history it leaves. */
import type { LiveSession } from '../kinds/session/live.js';
import { forgetHistoryNote } from '../plan/forget.js';
import { printable, quote } from './format.js';

/** A session of a key being forgotten. */
export interface ForgetTarget {
	readonly key: string;
	readonly session: LiveSession;
}

/** The sessions of the keys, active ones first, then the archived ones left as history. */
export function describeForgetTargets(
	stack: string,
	targets: readonly ForgetTarget[],
	history: readonly ForgetTarget[],
	prune: string
): string {
	const line = ({ key, session }: ForgetTarget, state: string) =>
		`  ${printable(key)}  ${printable(session.id)} ${quote(session.label)} (${printable(state)})`;
	const lines =
		targets.length > 0
			? [
					`Stack ${printable(stack)} stops managing these sessions; they are left as they are (not archived):`,
					...targets.map((target) => line(target, target.session.status)),
				]
			: [
					`Nothing to forget: every session of ${history.length === 1 ? 'this key' : 'these keys'} is archived.`,
				];
	if (history.length > 0) {
		const counts = new Map<string, number>();
		for (const { key } of history) counts.set(key, (counts.get(key) ?? 0) + 1);
		lines.push(
			'Archived, so history: left as they are (the Hub takes no writes to archived sessions):',
			...history.map((target) => line(target, target.session.status)),
			...[...counts].map(([key, count]) => `  ${printable(forgetHistoryNote(key, count, prune))}`)
		);
	}
	return lines.join('\n');
}

/**
 * Actions whose details do not fit the comment, still each named: one line per action, or, when
 * even that is too long, one line per kind listing the keys.
 */
import type { ChangeKind } from '../plan/types.js';
import { plural } from './format.js';
import { codeText, fenced } from '../core/untrusted/markdown.js';
import type { Change } from './markdown-action.js';
import { SYMBOL } from './messages.js';

/** `+ create  worker-01`, `~ update  api  ses_123`. */
export function compactListing(actions: readonly Change[]): string {
	const width = Math.max(...actions.map((a) => `${SYMBOL[a.kind]} ${a.kind}`.length));
	const lines = actions.map((action) => {
		const head = `${SYMBOL[action.kind]} ${action.kind}`.padEnd(width);
		const id = action.kind === 'create' ? '' : `  ${codeText(action.live.id)}`;
		return `${head}  ${codeText(action.key)}${id}`;
	});
	return fenced(lines, 'text');
}

/**
 * `create (300): a, b, c` per kind, in the order given. Stops naming keys once `room`
 * characters are used, and says how many it left out; undefined `room` names all.
 */
export function groupedListing(actions: readonly Change[], room = Infinity): string {
	const byKind = new Map<ChangeKind, string[]>();
	for (const action of actions) {
		byKind.set(action.kind, [...(byKind.get(action.kind) ?? []), codeText(action.key)]);
	}
	const lines: string[] = [];
	let used = 16;
	let unnamed = 0;
	for (const [kind, keys] of byKind) {
		const head = `${SYMBOL[kind]} ${kind} (${keys.length}):`;
		let line = head;
		used += head.length + 1;
		for (const key of keys) {
			if (used + key.length + 2 > room - 40) {
				unnamed += 1;
				continue;
			}
			line += `${line === head ? ' ' : ', '}${key}`;
			used += key.length + 2;
		}
		lines.push(line);
	}
	if (unnamed > 0) lines.push(`… ${plural(unnamed, 'more key')} not named here`);
	return fenced(lines, 'text');
}

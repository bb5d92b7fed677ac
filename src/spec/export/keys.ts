import type { LiveSession } from '../../kinds/session/live.js';
import { byCreation } from '../../ownership/creation-order.js';
/**
 * Entry keys for sessions that have none yet, derived from their labels. Pure and stable: the
 * same sessions always get the same keys, whatever order the Hub lists them in.
 */

const MAX_KEY = 63;

/** Lowercase ASCII letters and digits, with `.`, `_` and `-` between them: the key pattern. */
export function slugify(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9._]+/g, '-')
		.replace(/[-._]*-[-._]*/g, '-')
		.slice(0, MAX_KEY)
		.replace(/^[-._]+|[-._]+$/g, '');
}

/** The key's base: the label's slug, else the session id's (a label can slugify to nothing). */
export function baseKey(session: Pick<LiveSession, 'id' | 'label'>): string {
	return slugify(session.label) || slugify(session.id) || 'session';
}

function withSuffix(base: string, n: number): string {
	const suffix = `-${n}`;
	return `${base.slice(0, MAX_KEY - suffix.length).replace(/[-._]+$/, '')}${suffix}`;
}

/**
 * A unique key per session: oldest first (createdAt, then id), the first to want a base gets it,
 * later ones `-2`, `-3`, ... Keys in `reserved` are never given out.
 */
export function deriveKeys(
	sessions: readonly Pick<LiveSession, 'id' | 'label' | 'createdAt'>[],
	reserved: Iterable<string> = []
): Map<string, string> {
	const taken = new Set(reserved);
	const keys = new Map<string, string>();
	const ordered = [...sessions].sort(byCreation);
	for (const session of ordered) {
		const base = baseKey(session);
		let key = base;
		for (let n = 2; taken.has(key); n += 1) key = withSuffix(base, n);
		taken.add(key);
		keys.set(session.id, key);
	}
	return keys;
}

import { createHash } from 'node:crypto';

/** JSON with object keys sorted and undefined dropped: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value !== null && typeof value === 'object') {
		const sorted: Record<string, unknown> = {};
		for (const key of Object.keys(value).sort()) {
			const child = (value as Record<string, unknown>)[key];
			if (child !== undefined) sorted[key] = sortKeys(child);
		}
		return sorted;
	}
	return value;
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** A short digest of a value, for stamps and preconditions (collisions are not a security boundary here). */
export function shortDigest(value: unknown): string {
	return sha256Hex(canonicalJson(value ?? null)).slice(0, 16);
}

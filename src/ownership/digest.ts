import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted and undefined dropped (JSON.stringify drops an undefined member):
 * the same value always gives the same text.
 */
export function canonicalJson(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(sortKeys);
	if (value !== null && typeof value === 'object') {
		const sorted: Record<string, unknown> = {};
		for (const key of Object.keys(value).sort())
			sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
		return sorted;
	}
	return value;
}

export function sha256Hex(text: string): string {
	// The one-shot hash: several times cheaper than createHash for the short texts hashed here.
	return hash('sha256', text, 'hex');
}

/**
 * Digests of short texts, which recur across sessions (the same tags, `{}`, `[]`, a visibility):
 * each is hashed once. Bounded: emptied when full, so unique short values cannot make it grow.
 */
const SHORT_TEXT = 64;
const MEMO_ENTRIES = 1024;
const memo = new Map<string, string>();

/** shortDigest from the value's canonical text (canonicalJson, undefined as null). */
export function digestOfCanonical(text: string): string {
	if (text.length > SHORT_TEXT) return sha256Hex(text).slice(0, 16);
	let digest = memo.get(text);
	if (digest === undefined) {
		if (memo.size >= MEMO_ENTRIES) memo.clear();
		digest = sha256Hex(text).slice(0, 16);
		memo.set(text, digest);
	}
	return digest;
}

/** A short digest of a value, for stamps and preconditions (collisions are not a security boundary here). */
export function shortDigest(value: unknown): string {
	return digestOfCanonical(canonicalJson(value ?? null));
}

/**
 * A value with its canonical text and short digest, each worked out once and only when asked:
 * a comparison asks for them several times per field. `twin` is another value often equal to
 * this one (the spec's beside the live echo): when their texts are equal, its digest is reused.
 */
export class Canonical {
	#text: string | undefined;
	#digest: string | undefined;

	constructor(
		readonly value: unknown,
		private readonly twin?: Canonical
	) {}

	/** canonicalJson of the value, undefined as null. */
	get text(): string {
		// Most fields of most entries are left out: no need to serialise them.
		return (this.#text ??= canonicalJson(this.value ?? null));
	}

	/** shortDigest of the value. */
	get digest(): string {
		if (this.#digest === undefined) {
			const twin = this.twin;
			this.#digest =
				twin !== undefined && twin.text === this.text ? twin.digest : digestOfCanonical(this.text);
		}
		return this.#digest;
	}
}

import { randomBytes } from 'node:crypto';

/** Session ids look like the Hub's: `codesess_` + 12 hex characters, unique across orgs. */
export function sessionIdGenerator(
	random: (() => number) | undefined,
	taken: (id: string) => boolean
): () => string {
	return prefixedIdGenerator('codesess_', random, taken);
}

/** `prefix` + 12 hex characters, never one `taken` says is in use. */
export function prefixedIdGenerator(
	prefix: string,
	random: (() => number) | undefined,
	taken: (id: string) => boolean
): () => string {
	const hex = (): string =>
		random
			? Array.from({ length: 12 }, () => Math.min(15, Math.floor(random() * 16)).toString(16)).join(
					''
				)
			: randomBytes(6).toString('hex');
	return () => {
		for (let attempt = 0; attempt < 100; attempt++) {
			const id = `${prefix}${hex()}`;
			if (!taken(id)) return id;
		}
		// A degenerate seeded random keeps colliding; fall back to the system's.
		let id: string;
		do id = `${prefix}${randomBytes(6).toString('hex')}`;
		while (taken(id));
		return id;
	};
}

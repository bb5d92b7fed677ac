/**
 * A session field may name an entry of another kind by its key (`workspace: docs`,
 * `skillBuckets: [docs-kit]`). Until the plan knows the record's id the value is this token; the
 * plan puts the id in its place, and one still there is a record the run creates first, whose id
 * is known after apply.
 */
const TOKEN = /^\(known after apply: ([A-Za-z][A-Za-z0-9]*)\.(.+)\)$/;

export function entryToken(section: string, key: string): string {
	return `(known after apply: ${section}.${key})`;
}

/** The section and key a token names, or undefined for any other value (an id). */
export function readEntryToken(
	value: unknown
): { readonly section: string; readonly key: string; readonly qualified: string } | undefined {
	if (typeof value !== 'string') return undefined;
	const match = TOKEN.exec(value);
	return match
		? { section: match[1]!, key: match[2]!, qualified: `${match[1]}.${match[2]}` }
		: undefined;
}

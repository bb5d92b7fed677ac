/**
 * The order of sessions by creation, as every rule that picks one of a key's sessions reads it.
 * The Hub's `createdAt` is compared as the instant it names, not as text: `+02:00` and `Z` forms,
 * or fractional seconds of different lengths, sort as text in an order that is not the order of
 * time. Pure.
 */

/** RFC 3339 with a zone: a time without one would be read in the local zone of each machine. */
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?([Zz]|[+-]\d{2}:\d{2})$/;

/** The instant as [milliseconds, the digits below a millisecond], or undefined when unreadable. */
function instantOf(text: string): readonly [number, number] | undefined {
	const match = RFC3339.exec(text);
	if (!match) return undefined;
	const [, date, time, fraction = '', zone] = match;
	const ms = Date.parse(
		`${date}T${time}.${fraction.slice(0, 3).padEnd(3, '0')}${zone!.toUpperCase()}`
	);
	if (!Number.isFinite(ms)) return undefined;
	return [ms, Number(fraction.slice(3, 9).padEnd(6, '0'))];
}

/**
 * Older first by the instant each names; a time that cannot be read (missing, garbage, without
 * a zone) sorts before every readable one, by its text. Equal instants compare 0.
 */
export function compareCreatedAt(a: string, b: string): number {
	const first = instantOf(a);
	const second = instantOf(b);
	if (!first || !second) {
		if (first) return 1;
		if (second) return -1;
		return compareText(a, b);
	}
	return first[0] - second[0] || first[1] - second[1];
}

/** Oldest first: by creation time, then by id, so every run and every planner agrees. */
export function byCreation(
	a: { readonly createdAt: string; readonly id: string },
	b: { readonly createdAt: string; readonly id: string }
): number {
	return compareCreatedAt(a.createdAt, b.createdAt) || compareText(a.id, b.id);
}

export function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

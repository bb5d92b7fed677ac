/**
 * Every env value resolved in this process, and the one redactor every printed or saved line
 * passes through. A value of 4 characters or more is replaced wherever it occurs (as is, and in
 * its JSON-escaped form); a shorter one only where it is a whole JSON string or a whole quoted
 * token (`"ab"`, `'ab'`), so that ordinary words and numbers in messages are left alone.
 */
const MASK = '[redacted]';
const SHORT_VALUE = 4;

const values = new Set<string>();
let patterns: readonly (readonly [string, string])[] = [];

/** Registers resolved env values: from now on no output of this process shows them. */
export function registerSecrets(secrets: Iterable<string>): void {
	let added = false;
	for (const secret of secrets) {
		if (secret === '' || values.has(secret)) continue;
		values.add(secret);
		added = true;
	}
	if (added) patterns = buildPatterns();
}

export function redact(text: string): string {
	if (patterns.length === 0) return text;
	let out = text;
	for (const [find, replacement] of patterns) {
		if (out.includes(find)) out = out.split(find).join(replacement);
	}
	return out;
}

/** Longest first, so a value that contains another is replaced whole. */
function buildPatterns(): (readonly [string, string])[] {
	const found = new Map<string, string>();
	for (const value of values) {
		const escaped = jsonEscaped(value);
		if (value.length >= SHORT_VALUE) {
			// As is, inside a JSON string, and inside JSON that was itself put in a JSON string.
			for (const form of [value, escaped, jsonEscaped(escaped)]) found.set(form, MASK);
		} else {
			for (const form of new Set([escaped, value]))
				found.set(`"${form}"`, `"${MASK}"`).set(`'${form}'`, `'${MASK}'`);
		}
	}
	return [...found].sort((a, b) => b[0].length - a[0].length);
}

function jsonEscaped(text: string): string {
	return JSON.stringify(text).slice(1, -1);
}

/** Forgets every registered value (for tests). */
export function clearSecrets(): void {
	values.clear();
	patterns = [];
}

/**
 * YAML allows only printable characters (its c-printable set) in a file; escapes such as "\0"
 * or "\e" can still put control characters into a string, and a NUL or an escape sequence has
 * no place in a task, a label, a key or an environment variable.
 */

/** c-printable: tab, line breaks and printable text; no other C0 or C1 control, no lone surrogate. */
const NON_PRINTABLE = /[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

const NON_PRINTABLE_OR_BREAK = /[^\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** The first character of `text` that is not printable (tabs and line breaks allowed or not). */
export function firstNonPrintable(text: string, allowBreaks: boolean): string | undefined {
	const match = (allowBreaks ? NON_PRINTABLE : NON_PRINTABLE_OR_BREAK).exec(text);
	return match?.[0];
}

/** Where the first character YAML does not allow is, in a whole file's text. */
export function firstNonPrintableIndex(text: string): number {
	return text.search(NON_PRINTABLE);
}

/** `the control character U+001B`: how messages name a character that cannot be shown. */
export function unicodeName(char: string): string {
	const code = char.codePointAt(0) ?? 0;
	const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
	if (code >= 0xd800 && code <= 0xdfff) return `the unpaired surrogate ${name}`;
	if (code === 0xfffe || code === 0xffff) return `the noncharacter ${name}`;
	return `the control character ${name}`;
}

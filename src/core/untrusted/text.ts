/**
 * Text the tool did not write itself (anything read from the Hub, a spec, a proxy's error body)
 * is untrusted: on a terminal an escape sequence can clear the screen or set the window title;
 * in a GitHub Actions log a line that begins with `::error::` (after any white space) or holds
 * `##[error]` anywhere is run as a workflow command. This is the one place such text becomes
 * what a text output may hold.
 *
 * The form, the same everywhere (and the same as JSON's): a line feed shows as `\n`, a carriage
 * return as `\r`, a tab as `\t` (kept as a tab in the lines of a multi-line value), and any other
 * hidden character as `\u` and four lowercase hex digits (`\u001b`, `\u009b`, `\u202e`). Hidden
 * means a control character (C0, DEL, C1), a bidirectional formatting character (U+061C, U+200E,
 * U+200F, U+202A-U+202E, U+2066-U+2069), a line or paragraph separator (U+2028, U+2029) or an
 * unpaired surrogate. A value that begins with `::` (after white space) shows its first colon as
 * `\u003a`, and `##[` shows as `##\u005b`, so no value can be read as a workflow command.
 * Backslashes are left as they are: a label that holds the six characters `\u001b` reads the same
 * as one holding an escape character (the JSON output tells them apart).
 */
import { redact } from '../secrets/redact.js';

const HIDDEN_CLASS =
	'\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
const LONE_SURROGATE =
	'[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';

const HIDDEN = new RegExp(`[${HIDDEN_CLASS}]|${LONE_SURROGATE}`, 'g');
/** The same, but a tab stays: the lines of a task keep their indentation. */
const HIDDEN_BUT_TAB = new RegExp(
	`[${HIDDEN_CLASS.replace('\\u0000-\\u001f', '\\u0000-\\u0008\\u000a-\\u001f')}]|${LONE_SURROGATE}`,
	'g'
);

const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\n`, `\r`, `\t`, else `\u` and four hex digits of the UTF-16 unit. */
export function escapeChar(char: string): string {
	return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * The white space .NET's `TrimStart` removes before the Actions runner looks for `::` (JS `\s`
 * plus NEL and U+180E), and the information separators other runtimes count as white space.
 */
const LEAD = '[\\s\\u0085\\u180e\\u001c-\\u001f]*';
const LINE_COMMAND = new RegExp(`^(${LEAD}):(?=:)`, 'u');
const LEGACY_COMMAND = /##\[/g;

/** `::` at the start (after white space) and `##[` anywhere, in a form no runner obeys. */
function noWorkflowCommand(text: string): string {
	return text.replace(LEGACY_COMMAND, '##\\u005b').replace(LINE_COMMAND, '$1\\u003a');
}

/** True when GitHub Actions would read this one line as a workflow command. */
export function isWorkflowCommand(line: string): boolean {
	return LINE_COMMAND.test(line) || line.includes('##[');
}

/** Every hidden character, line feeds included, escaped; nothing else changed. */
export function escapeHidden(value: string): string {
	return value.replace(HIDDEN, escapeChar);
}

/**
 * A value shown within one line of text: every hidden character, line feeds included, escaped.
 * Redacted first, so that a renderer cutting it to a column cannot leave part of a secret.
 */
export function inlineText(value: string): string {
	return noWorkflowCommand(escapeHidden(redact(value)));
}

/**
 * A multi-line value (a task) as lines of text, each safe to print on a line of its own: split
 * at line feeds (CR LF counts as one), tabs kept, everything else hidden escaped.
 */
export function textLines(value: string): string[] {
	return redact(value)
		.split(/\r?\n/)
		.map((line) => noWorkflowCommand(line.replace(HIDDEN_BUT_TAB, escapeChar)));
}

/**
 * A message that may quote untrusted text (an error, a warning): its own line breaks kept, each
 * line made safe as by `textLines`.
 */
export function messageText(text: string): string {
	return textLines(text).join('\n');
}

/**
 * The last check on output already rendered (which may hold the tool's own colour codes): each
 * line, CR counting as a line break the way the Actions runner counts it, is kept from being a
 * workflow command. The renderers escape untrusted values before this; it catches what one
 * missed, and leaves every other character as it is.
 */
export function guardLines(text: string): string {
	if (!text.includes('::') && !text.includes('##[')) return text;
	return text
		.split(/(\r\n|\r|\n)/)
		.map((part, index) => (index % 2 === 0 ? noWorkflowCommand(part) : part))
		.join('');
}

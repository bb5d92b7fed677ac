/**
 * Untrusted text in markdown (a pull-request comment, a step summary, an issue): it stays the
 * text it is, inside the paragraph, table cell or fenced block the renderer put it in.
 */
import { redact } from '../secrets/redact.js';
import { escapeHidden, inlineText } from './text.js';

const MARKUP = /[&<>"'|`*_[\]\\~#@]/g;

/**
 * Inline markdown: line breaks become spaces, hidden characters are escaped as in text, and every
 * character that could end a tag, start markup, split a table cell or mention someone (`@here`)
 * becomes an HTML entity, so `</details>` or a link renders as the characters it is. A leading
 * `::` shows its first colon as an entity: the markdown is printed to the Actions log too.
 */
export function markdownText(value: string): string {
	// Redacted first: a secret echoed by the Hub, once its `_` or `-` is an entity, is in no form
	// the redactor of the printed output looks for.
	// `#` and `[` become entities, so `##[` is no workflow command either.
	return escapeHidden(redact(value).replace(/\r\n|\r|\n/g, ' '))
		.replace(MARKUP, (char) => `&#${char.charCodeAt(0)};`)
		.replace(/^(\s*):(?=:)/u, '$1&#58;');
}

/** One line inside a fenced block: shown as text shows it (a fence renders no markup). */
export function codeText(value: string): string {
	return inlineText(value);
}

/**
 * A fenced block longer than any backtick run inside it, so no line of it can close the fence.
 * Its lines must already be safe (`codeText`, `textLines`): a fence renders no HTML, mention or
 * markup, but the Actions log still reads its lines.
 */
export function fenced(lines: readonly string[], info: string): string {
	const longest = Math.max(
		2,
		...lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length)))
	);
	const fence = '`'.repeat(longest + 1);
	return [`${fence}${info}`, ...lines, fence].join('\n');
}

import { printable } from './format.js';

/**
 * Entities for everything that could end a tag, start markdown, break a table or mention
 * someone, so a label or key from the Hub renders as the text it is.
 */
export function escapeMarkdown(text: string): string {
	return printable(text)
		.replace(/\r?\n/g, ' ')
		.replace(/[&<>"'|`*_[\]\\~#@]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** For text inside a fenced block: one line, no control characters. */
export function codeLine(text: string): string {
	return printable(text).replace(/[\r\n]+/g, ' ');
}

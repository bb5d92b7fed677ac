import { markdownText } from '../core/untrusted/markdown.js';

/**
 * Entities for everything that could end a tag, start markdown, break a table or mention
 * someone, so a label or key from the Hub renders as the text it is.
 */
export const escapeMarkdown = markdownText;

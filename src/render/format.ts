/** Value formatting shared by the text and markdown renderers. */
import type { Json } from '../plan/types.js';
import { inlineText } from '../core/untrusted/text.js';

const MAX_VALUE = 200;

/**
 * Text from the spec or the Hub on one line: hidden characters and line breaks escaped, never a
 * workflow command (see src/untrusted).
 */
export const printable = inlineText;

/** Quoted as JSON quotes it; inlineText catches what JSON leaves raw (DEL, C1, bidi, `##[`). */
export function quote(text: string): string {
	return inlineText(JSON.stringify(text));
}

export function truncate(text: string, max = MAX_VALUE): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isRepo(
	value: Json | undefined
): value is { readonly owner: string; readonly name: string } {
	return (
		typeof value === 'object' &&
		value !== null &&
		!Array.isArray(value) &&
		typeof (value as Record<string, Json>).owner === 'string' &&
		typeof (value as Record<string, Json>).name === 'string'
	);
}

/** `owner/name#branch`, the way the spec writes it; other pins (commit, path) follow in braces. */
export function repoText(repo: object): string {
	const { owner, name, branch, ...rest } = repo as Record<string, Json | undefined>;
	const pin = typeof branch === 'string' ? `#${inlineText(branch)}` : '';
	const head = `${inlineText(String(owner))}/${inlineText(String(name))}${pin}`;
	const extra = Object.entries(rest).filter(([, v]) => v !== undefined);
	return extra.length === 0 ? head : `${head} ${compact(Object.fromEntries(extra) as Json)}`;
}

/** One-line rendering of any JSON value: strings quoted, repos as owner/name#branch. */
export function compact(value: Json | undefined): string {
	if (value === undefined || value === null) return '(none)';
	if (typeof value === 'string') return quote(value);
	if (typeof value !== 'object') return String(value);
	if (isRepo(value)) return repoText(value);
	if (Array.isArray(value)) return `[${value.map(compact).join(', ')}]`;
	const entries = Object.entries(value as Record<string, Json>);
	if (entries.length === 0) return '{}';
	return `{ ${entries.map(([k, v]) => `${inlineText(k)}: ${compact(v)}`).join(', ')} }`;
}

export function valueText(value: Json | undefined): string {
	return truncate(compact(value));
}

export function plural(count: number, one: string, many = `${one}s`): string {
	return `${count} ${count === 1 ? one : many}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `sha256:` and the first 12 hex characters: enough to compare by eye. */
export function shortFingerprint(fingerprint: string): string {
	const hex = fingerprint.replace(/^sha256:/, '');
	return `sha256:${hex.slice(0, 12)}${hex.length > 12 ? '…' : ''}`;
}

export function fullFingerprint(fingerprint: string): string {
	return fingerprint.startsWith('sha256:') ? fingerprint : `sha256:${fingerprint}`;
}

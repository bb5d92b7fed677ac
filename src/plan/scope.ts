/**
 * Which entry keys a command works on: `--only` names keys or globs of keys (`docs-*`), matched
 * against the spec's keys and the stack's live keys, sessions' bare and other kinds' qualified
 * (`notes.a`, `notes.*`); `--select` narrows to the session entries whose tags or metadata match
 * (every selector must hold). Given both, a key must pass both.
 */
import picomatch from 'picomatch';
import { qualifiedKey, resourceRows, type DesiredResource, type KindTable } from '../kinds/kind.js';
import type { DesiredSession } from '../kinds/session/desired.js';

export interface ScopeRequest {
	readonly stack: string;
	readonly only: readonly string[];
	readonly select: readonly string[];
	/** The qualified keys of the other kinds' entries and of the records the stack owns. */
	readonly otherKeys?: readonly string[];
}

export type ScopeResult =
	| { readonly ok: true; readonly keys: readonly string[] }
	| { readonly ok: false; readonly message: string };

type Selector = (entry: DesiredSession) => boolean;

const SELECTOR_HELP = 'use tag=NAME or metadata.KEY=VALUE';

/** The selector `--select` text stands for, or why it is not one. */
export function parseSelector(text: string): Selector | string {
	const at = text.indexOf('=');
	if (at <= 0) return `--select ${JSON.stringify(text)} is not a selector: ${SELECTOR_HELP}`;
	const name = text.slice(0, at).trim();
	const value = text.slice(at + 1).trim();
	if (name === 'tag') return (entry) => (entry.tags ?? []).includes(value);
	if (name.startsWith('metadata.') && name.length > 'metadata.'.length) {
		const key = name.slice('metadata.'.length);
		return (entry) => entry.metadata?.[key] === value;
	}
	return `--select ${JSON.stringify(text)} selects on ${JSON.stringify(name)}: ${SELECTOR_HELP}`;
}

/**
 * The keys in scope, sorted; empty when neither flag is given (everything is). An `--only`
 * pattern that matches no known key, or a selection that leaves no key, is an error: an empty
 * scope must never widen to the whole stack.
 */
export function resolveScope(
	entries: readonly DesiredSession[],
	liveKeys: readonly string[],
	request: ScopeRequest
): ScopeResult {
	if (request.only.length === 0 && request.select.length === 0) return { ok: true, keys: [] };
	const known = [
		...new Set([...entries.map((entry) => entry.key), ...liveKeys, ...(request.otherKeys ?? [])]),
	].sort();
	let keys = known;
	if (request.only.length > 0) {
		const unmatched: string[] = [];
		const matched = new Set<string>();
		for (const pattern of request.only) {
			const isMatch = picomatch(pattern, { dot: true });
			const hits = known.filter((key) => isMatch(key));
			if (hits.length === 0) unmatched.push(pattern);
			hits.forEach((key) => matched.add(key));
		}
		if (unmatched.length > 0) {
			const qualified = [
				...new Set(unmatched.flatMap((pattern) => otherKindMatches(pattern, request))),
			];
			const hint =
				qualified.length > 0
					? ` (an entry of another kind is named SECTION.KEY: did you mean ${qualified.join(', ')}?)`
					: '';
			const message = `--only names no entry of the spec nor session of stack ${request.stack}: ${unmatched.join(', ')}${hint}`;
			return { ok: false, message };
		}
		keys = keys.filter((key) => matched.has(key));
	}
	if (request.select.length > 0) {
		const selectors: Selector[] = [];
		for (const text of request.select) {
			const selector = parseSelector(text);
			if (typeof selector === 'string') return { ok: false, message: selector };
			selectors.push(selector);
		}
		const selected = new Set(
			entries.filter((entry) => selectors.every((s) => s(entry))).map((entry) => entry.key)
		);
		keys = keys.filter((key) => selected.has(key));
		if (keys.length === 0) {
			const given = request.select.map((text) => `--select ${text}`).join(' ');
			const narrowed = request.only.length > 0 ? ' among the keys --only names' : '';
			return { ok: false, message: `${given} matches no entry of the spec${narrowed}` };
		}
	}
	return { ok: true, keys };
}

/** The qualified keys of other kinds whose key, without its section, the pattern matches. */
function otherKindMatches(pattern: string, request: ScopeRequest): string[] {
	const isMatch = picomatch(pattern, { dot: true });
	return (request.otherKeys ?? []).filter((qualified) => {
		const dot = qualified.indexOf('.');
		return dot > 0 && isMatch(qualified.slice(dot + 1));
	});
}

/**
 * The qualified keys `--only` may name among the other kinds: their declared entries, and the
 * records of `stack` among `live` (by the row's name), which a plan may delete.
 */
export function otherKindKeys(
	table: KindTable,
	stack: string,
	entries: readonly DesiredResource[],
	live: ReadonlyMap<string, readonly unknown[]>
): string[] {
	return resourceRows(table).flatMap((row) => {
		const declared = entries.filter((entry) => entry.kind === row.name).map((entry) => entry.key);
		const owned = (live.get(row.name) ?? []).flatMap((record) => {
			const owner = row.ownerOf(record);
			return owner?.stack === stack ? [owner.key] : [];
		});
		return [...declared, ...owned].map((key) => qualifiedKey(row, key));
	});
}

/** Whether a key names an entry of another kind (`notes.a`) rather than a session. */
export function isOtherKindKey(table: KindTable, key: string): boolean {
	return resourceRows(table).some(
		(row) => row.qualify === 'section' && key.startsWith(`${row.section}.`)
	);
}

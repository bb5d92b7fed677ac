/** From a path in the parsed data back to a line and column in the YAML source. */
import {
	isAlias,
	isMap,
	isScalar,
	isSeq,
	visit,
	type Document,
	type LineCounter,
	type Node,
	type Pair,
	type YAMLMap,
	type Alias,
} from 'yaml';
import type { PathSegment, SourcePos } from './errors.js';

/** Point at a field's value (bad type, bad enum) or at its key (unknown or reserved key). */
export type LocateTarget = 'value' | 'key';

export type Locate = (path: readonly PathSegment[], target?: LocateTarget) => SourcePos;

function keyText(key: unknown): string | undefined {
	return isScalar(key) ? String(key.value) : undefined;
}

function startOf(node: unknown): number | undefined {
	if (!node || typeof node !== 'object' || !('range' in node)) return undefined;
	const range = (node as Node).range;
	return range ? range[0] : undefined;
}

/** An empty value (`label:` with nothing after it) has no width; its key is the better spot. */
function isEmptyValue(node: unknown): boolean {
	const range = (node as Node | null)?.range;
	return !range || (isScalar(node) && range[0] === range[1]);
}

/**
 * A locator for one document. It walks the document along a path: a missing key points at the
 * key of the mapping that lacks it (the session's key for a missing task); anything reached
 * through an alias points at the alias, since the anchored text elsewhere would mislead.
 * Mappings are indexed on first use, so locating every entry of a large file stays linear.
 */
export function createLocator(doc: Document, lines: LineCounter): Locate {
	const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
	const resolved = new WeakMap<Alias, unknown>();
	const pairOf = (map: YAMLMap, key: string): Pair | undefined => {
		let index = indexes.get(map);
		if (!index) {
			index = new Map();
			for (const pair of map.items as Pair[]) {
				const text = keyText(pair.key);
				if (text !== undefined && !index.has(text)) index.set(text, pair);
			}
			indexes.set(map, index);
		}
		return index.get(key);
	};
	const resolve = (alias: Alias): unknown => {
		if (!resolved.has(alias)) resolved.set(alias, alias.resolve(doc));
		return resolved.get(alias);
	};

	return (path, target = 'value') => {
		let node: unknown = doc.contents;
		let keyNode: unknown;
		let alias: Alias | undefined;
		const at = (offset: number | undefined): SourcePos => {
			const { line, col } = lines.linePos(startOf(alias) ?? offset ?? 0);
			return { line, column: col };
		};
		for (const segment of path) {
			if (isAlias(node)) {
				alias ??= node;
				node = resolve(node);
			}
			let next: { key: unknown; value: unknown } | undefined;
			if (isMap(node)) {
				const pair = pairOf(node, String(segment));
				if (pair) next = { key: pair.key, value: pair.value };
			} else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
				next = { key: node.items[segment], value: node.items[segment] };
			}
			if (!next) return at(startOf(keyNode) ?? startOf(node));
			keyNode = next.key;
			node = next.value;
		}
		if (target === 'key' || isEmptyValue(node)) return at(startOf(keyNode) ?? startOf(node));
		return at(startOf(node));
	};
}

export interface DuplicateKey {
	readonly path: readonly PathSegment[];
	readonly key: string;
	readonly firstOffset: number;
}

/** Every repeated key, by the offset of its key node (where yaml reports DUPLICATE_KEY). */
export function findDuplicateKeys(doc: Document): Map<number, DuplicateKey> {
	const duplicates = new Map<number, DuplicateKey>();
	const search = (node: unknown, path: PathSegment[]): void => {
		if (isMap(node)) {
			const firstOffsets = new Map<string, number>();
			for (const pair of node.items) {
				const key = keyText(pair.key);
				if (key === undefined) continue;
				const offset = startOf(pair.key) ?? 0;
				const firstOffset = firstOffsets.get(key);
				if (firstOffset === undefined) firstOffsets.set(key, offset);
				else duplicates.set(offset, { path: [...path, key], key, firstOffset });
				search(pair.value, [...path, key]);
			}
		} else if (isSeq(node)) {
			node.items.forEach((item, index) => search(item, [...path, index]));
		}
	};
	search(doc.contents, []);
	return duplicates;
}

/** Where the first alias is: an alias bomb is reported there. */
export function firstAliasOffset(doc: Document): number | undefined {
	let offset: number | undefined;
	visit(doc, {
		Alias(_key, node) {
			offset = startOf(node);
			return visit.BREAK;
		},
	});
	return offset;
}

/** An alias whose anchor is not defined before it (yaml only fails on it when converting). */
export function firstUnresolvedAlias(doc: Document): { name: string; offset: number } | undefined {
	// One pass in document order: linear, even for a document made of aliases.
	const anchors = new Set<string>();
	let found: { name: string; offset: number } | undefined;
	visit(doc, (_key, node) => {
		if (isAlias(node)) {
			if (anchors.has(node.source)) return undefined;
			found = { name: node.source, offset: startOf(node) ?? 0 };
			return visit.BREAK;
		}
		const anchor = (node as { anchor?: string } | null)?.anchor;
		if (anchor) anchors.add(anchor);
		return undefined;
	});
	return found;
}

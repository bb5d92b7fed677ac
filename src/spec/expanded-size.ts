/**
 * How large a spec file becomes once its aliases are expanded, measured on the YAML document
 * before any of it is expanded. yaml's own `maxAliasCount` bounds how many aliases are expanded,
 * not how large each one is: 99 aliases of a 4.6 MB task are within it, and expand to 460 MB.
 * Pure; linear in the size of the document (each anchored value is measured once).
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { PathSegment } from './errors.js';

const MIB = 1024 * 1024;

/** What one alias may stand for, expanded (in characters of text). */
export const MAX_ALIAS_EXPANSION = 1 * MIB;
/** What a whole spec file may expand to through its aliases (in characters of text). */
export const MAX_EXPANDED_FILE = 16 * MIB;

export interface ExpansionProblem {
	/** The alias where the limit is crossed. */
	readonly offset: number;
	/** Where that alias stands in the data. */
	readonly path: readonly PathSegment[];
	readonly message: string;
}

class Exceeded {
	constructor(readonly problem: ExpansionProblem) {}
}

const mib = (size: number) => `${(size / MIB).toFixed(1)} MiB`;

/**
 * The first alias, in document order, that stands for more than MAX_ALIAS_EXPANSION or makes the
 * file expand to more than MAX_EXPANDED_FILE; undefined when the file stays within both. Every
 * scalar counts its text plus one, every collection one.
 */
export function expansionProblem(doc: Document): ExpansionProblem | undefined {
	// Anchors as defined so far, in document order: an alias names the latest one of its name.
	const anchors = new Map<string, unknown>();
	const sizes = new WeakMap<object, number>();
	let total = 0;

	const measure = (node: unknown, path: readonly PathSegment[]): number => {
		if (isAlias(node)) {
			const target = anchors.get(node.source);
			// An alias inside the value it names (not measured yet) refers back; it repeats nothing.
			const size = target && typeof target === 'object' ? (sizes.get(target) ?? 0) : 0;
			const offset = node.range?.[0] ?? 0;
			if (size > MAX_ALIAS_EXPANSION) {
				throw new Exceeded({
					offset,
					path,
					message: `the alias *${node.source} stands for ${mib(size)} of text once expanded; an alias may stand for at most ${mib(MAX_ALIAS_EXPANSION)}`,
				});
			}
			total += size;
			if (total > MAX_EXPANDED_FILE) {
				throw new Exceeded({
					offset,
					path,
					message: `the file expands to more than ${mib(MAX_EXPANDED_FILE)} of text through its aliases (this alias *${node.source} adds ${mib(size)}); a spec file may expand to at most ${mib(MAX_EXPANDED_FILE)}`,
				});
			}
			return size;
		}
		const anchor = (node as { anchor?: string } | null)?.anchor;
		if (anchor) anchors.set(anchor, node);
		let size = 1;
		total += 1;
		if (isScalar(node)) {
			const text = node.value === null || node.value === undefined ? '' : String(node.value);
			size += text.length;
			total += text.length;
		} else if (isMap(node)) {
			for (const pair of node.items) {
				size += measure(pair.key, path);
				const key = isScalar(pair.key) ? String(pair.key.value) : '?';
				size += measure(pair.value, [...path, key]);
			}
		} else if (isSeq(node)) {
			node.items.forEach((item, index) => {
				size += measure(item, [...path, index]);
			});
		}
		if (node && typeof node === 'object') sizes.set(node as Node, size);
		return size;
	};

	try {
		measure(doc.contents, []);
		return undefined;
	} catch (error) {
		if (error instanceof Exceeded) return error.problem;
		throw error;
	}
}

/**
 * Checks of how the YAML is written, which the data alone cannot show: keys that are not the
 * text written, tags, control characters in strings, a list item folded into the text above
 * it, nesting too deep to be a spec. Pure; linear in the size of the document.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Scalar, type YAMLError } from 'yaml';
import { showValue } from '../kinds/session/describe-value.js';
import type { PathSegment } from './errors.js';
import { checkKey } from './check-keys.js';
import { firstNonPrintable, unicodeName } from './printable.js';

/** Far deeper than any spec (its deepest field is five levels down). */
export const MAX_DEPTH = 64;

/** Tags that only say what the value already is, or make a scalar a string. */
const ALLOWED_TAGS = new Set([
	'!',
	...['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map(
		(name) => `tag:yaml.org,2002:${name}`
	),
]);
/** What may stand between a tag and its node: space, line breaks, an anchor. */
const TAG_GAP = /^(?:\s|&\S+)*$/;
const TAG_NAMES = '!!str, !!int, !!float, !!bool, !!null, !!map and !!seq';

export interface NodeProblem {
	readonly offset: number;
	readonly path: readonly PathSegment[];
	readonly message: string;
}

export interface NodeCheck {
	readonly problems: readonly NodeProblem[];
	/** Data paths whose schema errors would only repeat a problem found here. */
	readonly blocked: readonly (readonly PathSegment[])[];
	/** The text of a plain scalar YAML read as something else (`0x10` for 16), by data path. */
	readonly writtenAs: (path: readonly PathSegment[]) => string | undefined;
}

const unsupportedTag = (written: string) =>
	`unsupported tag ${written}: remove it (only ${TAG_NAMES} are understood)`;

interface TagToken {
	readonly start: number;
	readonly end: number;
	/** Whether the node it tags was found (else it is reported on its own). */
	matched: boolean;
}

const startOf = (node: { range?: readonly number[] | null } | null | undefined) =>
	node?.range?.[0] ?? 0;

export function checkNodes(doc: Document, text: string, warnings: readonly YAMLError[]): NodeCheck {
	const problems: NodeProblem[] = [];
	const written = new Map<string, string>();
	const blocked: PathSegment[][] = [];
	// yaml reports each tag it could not resolve at the tag itself; a node starts after its tag.
	const tags: TagToken[] = warnings
		.filter((warning) => warning.code === 'TAG_RESOLVE_FAILED')
		.map((warning) => ({ start: warning.pos[0], end: warning.pos[1], matched: false }))
		.sort((a, b) => a.start - b.start);
	// Nodes are visited in document order, so one forward pass over the tags finds each node's.
	let nextTag = 0;
	const unresolvedTagBefore = (offset: number): TagToken | undefined => {
		let token: TagToken | undefined;
		while (nextTag < tags.length && tags[nextTag]!.end <= offset) token = tags[nextTag++];
		if (!token || !TAG_GAP.test(text.slice(token.end, offset))) return undefined;
		token.matched = true;
		return token;
	};
	const problem = (
		offset: number,
		path: PathSegment[],
		dataPath: PathSegment[] | undefined,
		message: string
	) => {
		problems.push({ offset, path, message });
		if (dataPath) blocked.push(dataPath);
	};

	const checkTag = (
		node: { tag?: string; range?: readonly number[] | null },
		path: PathSegment[],
		dataPath: PathSegment[] | undefined
	) => {
		if (!node.tag) return;
		const failed = unresolvedTagBefore(startOf(node));
		const written = failed ? text.slice(failed.start, failed.end) : node.tag;
		const offset = failed?.start ?? startOf(node);
		if (!ALLOWED_TAGS.has(node.tag)) {
			problem(offset, path, dataPath, unsupportedTag(written));
		} else if (failed) {
			const value = isScalar(node) ? ` ${showValue((node as Scalar).value)}` : '';
			problem(offset, path, dataPath, `the value${value} does not match its tag ${written}`);
		}
	};

	const checkString = (node: Scalar, path: PathSegment[], dataPath: PathSegment[]) => {
		if (typeof node.value !== 'string') {
			if (node.source !== undefined) written.set(JSON.stringify(dataPath), node.source);
			return;
		}
		const control = firstNonPrintable(node.value, true);
		if (control !== undefined) {
			problem(
				startOf(node),
				path,
				dataPath,
				`contains ${unicodeName(control)}; only printable text, tabs and line breaks are allowed`
			);
		}
		if (node.type !== 'PLAIN' || !node.range) return;
		// A plain scalar folds its continuation lines into one line: "- b" there was meant as an item.
		const source = text.slice(node.range[0], node.range[1]);
		let lineStart = source.indexOf('\n') + 1;
		while (lineStart > 0) {
			const line = source.slice(lineStart).split('\n', 1)[0]!.replace(/\r$/, '');
			const indent = line.length - line.trimStart().length;
			const rest = line.slice(indent);
			if (rest === '-' || rest.startsWith('- ')) {
				problem(
					node.range[0] + lineStart + indent,
					path,
					dataPath,
					'this "- " line continues the text above instead of starting a list item: the list looks mis-indented (align each "-" with the one above); if the dash is text, quote the value or use a block scalar (|)'
				);
				return;
			}
			lineStart = source.indexOf('\n', lineStart) + 1;
		}
	};

	/** `path` names keys as written, for messages; `dataPath` as in the data, for blocking. */
	const walk = (
		node: unknown,
		path: PathSegment[],
		dataPath: PathSegment[],
		depth: number
	): void => {
		if (!node || isAlias(node)) return;
		if (depth > MAX_DEPTH) {
			problem(startOf(node as Scalar), path, dataPath, `nested more than ${MAX_DEPTH} levels deep`);
			return;
		}
		checkTag(node as Scalar, path, dataPath);
		if (isScalar(node)) return checkString(node, path, dataPath);
		if (isSeq(node)) {
			node.items.forEach((item, index) =>
				walk(item, [...path, index], [...dataPath, index], depth + 1)
			);
		} else if (isMap(node)) {
			for (const pair of node.items) {
				const verdict = checkKey(pair.key, doc);
				const keyPath =
					verdict.name === undefined ? path : [...path, verdict.shown ?? verdict.name];
				const keyDataPath = verdict.name === undefined ? dataPath : [...dataPath, verdict.name];
				if (verdict.problem) {
					const at = pair.key ? startOf(pair.key as Scalar) : startOf(pair.value as Scalar);
					problem(at, keyPath, keyDataPath, verdict.problem);
				}
				// A tag on a key leaves its value to be checked as usual.
				if (isScalar(pair.key)) checkTag(pair.key, keyPath, undefined);
				walk(pair.value, keyPath, keyDataPath, depth + 1);
			}
		}
	};
	walk(doc.contents, [], [], 0);
	for (const tag of tags) {
		if (!tag.matched) {
			problem(tag.start, [], undefined, unsupportedTag(text.slice(tag.start, tag.end)));
		}
	}
	return { problems, blocked, writtenAs: (path) => written.get(JSON.stringify(path)) };
}

/** Whether a schema error at a path lies under a path a problem was already reported for. */
export function blockedPaths(
	blocked: readonly (readonly PathSegment[])[]
): (path: readonly PathSegment[]) => boolean {
	const prefixes = new Set(blocked.map((path) => JSON.stringify(path)));
	return (path) => {
		for (let length = 0; length <= path.length; length += 1) {
			if (prefixes.has(JSON.stringify(path.slice(0, length)))) return true;
		}
		return false;
	};
}

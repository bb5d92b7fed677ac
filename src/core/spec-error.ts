/**
 * A problem at a place in the spec: the one shape every floor reports one in (the spec's parser,
 * the plan's checks, the operations), kept as a value until a view renders it.
 */
import { fewOf } from './few.js';
import { inlineText } from './untrusted/text.js';

export type PathSegment = string | number;

/** 1-based, as editors count. */
export interface SourcePos {
	readonly line: number;
	readonly column: number;
}

export interface SpecError {
	readonly file: string;
	/** Absent when the error is about the file as a whole (not found, too large). */
	readonly at?: SourcePos;
	/** Where in the document, e.g. ['sessions', 'api-review', 'tags', 1]; empty for the file itself. */
	readonly path: readonly PathSegment[];
	readonly message: string;
}

const PLAIN_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** `sessions.api-review.tags[1]`; a key that is not a plain word is quoted: `metadata["team/owner"]`. */
export function formatPath(path: readonly PathSegment[]): string {
	let text = '';
	for (const segment of path) {
		if (typeof segment === 'number') text += `[${segment}]`;
		else if (PLAIN_SEGMENT.test(segment)) text += text === '' ? segment : `.${segment}`;
		else text += `[${JSON.stringify(segment)}]`;
	}
	return text;
}

/** `FILE:LINE:COL: PATH: MESSAGE`; the position and path are left out when there is none. */
export function formatSpecError(error: SpecError): string {
	// A file is named as given on the command line (`--var` assignments too): shown inert.
	const file = inlineText(error.file);
	const where = error.at ? `${file}:${error.at.line}:${error.at.column}` : file;
	const path = formatPath(error.path);
	return path === '' ? `${where}: ${error.message}` : `${where}: ${path}: ${error.message}`;
}

/** Spec errors printed at most; the rest are counted (a compiler's "too many errors"). */
export const SPEC_ERRORS_SHOWN = 50;
/** The entries named on a line that stands for several (a template's items). */
const ENTRIES_NAMED = 3;

/** Errors at one place with one message: a template (or an alias) repeats one mistake. */
interface SpecErrorGroup {
	readonly first: SpecError;
	readonly paths: (readonly PathSegment[])[];
}

/** Groups the errors of one file, line, column and message, in the order they come. */
export function groupSpecErrors(errors: readonly SpecError[]): SpecErrorGroup[] {
	const groups = new Map<string, SpecErrorGroup>();
	for (const error of errors) {
		const at = error.at ? `${error.at.line}:${error.at.column}` : '';
		const key = JSON.stringify([error.file, at, error.message]);
		const group = groups.get(key);
		if (!group) groups.set(key, { first: error, paths: [error.path] });
		else if (!group.paths.some((path) => formatPath(path) === formatPath(error.path)))
			group.paths.push(error.path);
	}
	return [...groups.values()];
}

/**
 * One line for a group: its first error, and when it stands for several, the entries it came
 * from (`(the same for 12 entries: shard.a, shard.b, shard.c and 9 more)`).
 */
function formatGroup({ first, paths }: SpecErrorGroup): string {
	const line = formatSpecError(first);
	if (paths.length === 1) return line;
	const differing = onlyDifferingSegment(paths);
	const named = differing
		? { what: 'entries', names: paths.map((path) => inlineText(String(path[differing]))) }
		: { what: 'places', names: paths.map(formatPath) };
	return `${line} (the same for ${paths.length} ${named.what}: ${fewOf(named.names, ENTRIES_NAMED)})`;
}

/** The index of the one segment the paths differ in (a template item's key), if there is one. */
function onlyDifferingSegment(paths: readonly (readonly PathSegment[])[]): number | undefined {
	const [head, ...rest] = paths;
	if (!head || rest.some((path) => path.length !== head.length)) return undefined;
	const differ = head
		.map((_segment, index) => index)
		.filter((index) => rest.some((path) => path[index] !== head[index]));
	return differ.length === 1 ? differ[0] : undefined;
}

/**
 * The lines that print spec errors: one per distinct error (errors repeated by a template
 * grouped), the first `shown` of them, then how many more there are. The count is of the
 * distinct errors.
 */
export function specErrorLines(
	errors: readonly SpecError[],
	shown: number = SPEC_ERRORS_SHOWN
): { readonly lines: string[]; readonly count: number } {
	const groups = groupSpecErrors(errors);
	const lines = groups.slice(0, shown).map(formatGroup);
	const more = groups.length - shown;
	if (more > 0) {
		lines.push(
			`... and ${more} more ${more === 1 ? 'error' : 'errors'} not shown: fix the first ones and run again, as they often cause the rest (one mis-indented line can make thousands)`
		);
	}
	return { lines, count: groups.length };
}

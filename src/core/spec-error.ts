/**
 * A problem at a place in the spec: the one shape every floor reports one in (the spec's parser,
 * the plan's checks, the operations), kept as a value until a view renders it.
 */
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

/** Spec errors are values: collected, sorted and printed compiler style, never thrown. */

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

/** The shape of an error in `--format json` output. */
export interface SpecErrorJson {
	readonly file: string;
	readonly line: number | null;
	readonly column: number | null;
	readonly path: string;
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
	const where = error.at ? `${error.file}:${error.at.line}:${error.at.column}` : error.file;
	const path = formatPath(error.path);
	return path === '' ? `${where}: ${error.message}` : `${where}: ${path}: ${error.message}`;
}

export function specErrorToJson(error: SpecError): SpecErrorJson {
	return {
		file: error.file,
		line: error.at?.line ?? null,
		column: error.at?.column ?? null,
		path: formatPath(error.path),
		message: error.message,
	};
}

/** `2 errors in sessions.yaml` (files named in the order they were given). */
export function summarizeSpecErrors(errors: readonly SpecError[]): string {
	const files = [...new Set(errors.map((error) => error.file))];
	const noun = errors.length === 1 ? 'error' : 'errors';
	return `${errors.length} ${noun} in ${files.join(', ')}`;
}

/** Every error on its own line, then the count line: what a command prints to stderr. */
export function renderSpecErrors(errors: readonly SpecError[]): string {
	return [...errors.map(formatSpecError), summarizeSpecErrors(errors)].join('\n') + '\n';
}

/** Sorts by file (in the order given), then by position; file-level errors come first. */
export function sortSpecErrors(
	errors: readonly SpecError[],
	fileOrder: readonly string[]
): SpecError[] {
	const rank = (file: string) => {
		const index = fileOrder.indexOf(file);
		return index === -1 ? fileOrder.length : index;
	};
	return [...errors].sort(
		(a, b) =>
			rank(a.file) - rank(b.file) ||
			(a.at?.line ?? 0) - (b.at?.line ?? 0) ||
			(a.at?.column ?? 0) - (b.at?.column ?? 0)
	);
}

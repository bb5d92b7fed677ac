/**
 * Spec errors are values: collected, sorted and printed compiler style. An operation that stops
 * on them throws them whole (SpecInvalidError, src/core/errors.ts), for a view to print.
 */
import { formatPath, formatSpecError, type SpecError } from '../core/spec-error.js';
import { inlineText } from '../core/untrusted/text.js';

export {
	formatPath,
	formatSpecError,
	type PathSegment,
	type SourcePos,
	type SpecError,
} from '../core/spec-error.js';

/** The shape of an error in `--format json` output. */
export interface SpecErrorJson {
	readonly file: string;
	readonly line: number | null;
	readonly column: number | null;
	readonly path: string;
	readonly message: string;
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
	const files = [...new Set(errors.map((error) => inlineText(error.file)))];
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

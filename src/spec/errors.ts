/**
 * Spec errors are values: collected, sorted and printed compiler style. An operation that stops
 * on them throws them whole (SpecInvalidError, src/core/errors.ts), for a view to print.
 */
import { formatPath, groupSpecErrors, specErrorLines, type SpecError } from '../core/spec-error.js';
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

/**
 * `2 errors in sessions.yaml` (files named in the order they were given); an error a template
 * repeats in its entries counts once, as it prints once.
 */
export function summarizeSpecErrors(errors: readonly SpecError[]): string {
	const files = [...new Set(errors.map((error) => inlineText(error.file)))];
	const count = groupSpecErrors(errors).length;
	return `${count} ${count === 1 ? 'error' : 'errors'} in ${files.join(', ')}`;
}

/**
 * The errors compiler style, each distinct one once and the first ones only (specErrorLines),
 * then the count line: what a command prints to stderr.
 */
export function renderSpecErrors(errors: readonly SpecError[]): string {
	return [...specErrorLines(errors).lines, summarizeSpecErrors(errors)].join('\n') + '\n';
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

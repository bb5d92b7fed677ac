/**
 * A key indented one column off is one mistake, but yaml reports it as a run of errors on the
 * lines it then misreads ("nested mappings are not allowed in compact mappings", "implicit keys
 * need to be on a single line"), at column 1. This keeps the first error of such a run, at the
 * key, saying which two lines do not line up.
 */
import type { LineCounter, YAMLError } from 'yaml';

/** The errors yaml gives for keys of one mapping that do not start in one column. */
const INDENTATION_CODES: ReadonlySet<string> = new Set([
	'BAD_INDENT',
	'BLOCK_AS_IMPLICIT_KEY',
	'MULTILINE_IMPLICIT_KEY',
]);

const SAME_COLUMN = 'the keys of one mapping must start in the same column';

export interface IndentationError {
	readonly offset: number;
	readonly message: string;
}

/**
 * For each of yaml's errors in order: `undefined` to drop it (it follows from an indentation
 * error already kept), an IndentationError to report instead, or `null` to report it as it is.
 */
export function indentationErrors(
	errors: readonly YAMLError[],
	text: string,
	lines: LineCounter
): (IndentationError | null | undefined)[] {
	const lineOf = (offset: number) => lines.linePos(offset).line;
	let runLastLine: number | undefined;
	return errors.map((error) => {
		if (!INDENTATION_CODES.has(error.code)) {
			runLastLine = undefined;
			return null;
		}
		const line = lineOf(error.pos[0]);
		if (
			runLastLine !== undefined &&
			(line <= runLastLine || contentLineBefore(text, lines, line) === runLastLine)
		) {
			runLastLine = Math.max(runLastLine, lineOf(error.pos[1]));
			return undefined;
		}
		const explained = explain(error, text, lines, line);
		runLastLine = explained === null ? undefined : Math.max(line, lineOf(error.pos[1]));
		return explained;
	});
}

function explain(
	error: YAMLError,
	text: string,
	lines: LineCounter,
	errorLine: number
): IndentationError | null {
	// yaml may place the error on a comment or blank line before the key; an unclosed bracket
	// at the end of the file is a BAD_INDENT too, with no key after it.
	const line = isContent(text, lines, errorLine)
		? errorLine
		: contentLineAfter(text, lines, errorLine);
	if (line === undefined) return null;
	const here = keyColumn(text, lines, line);
	if (error.code === 'BAD_INDENT') {
		const above = contentLineBefore(text, lines, line);
		if (above === undefined) return null;
		const there = keyColumn(text, lines, above);
		if (there.column === here.column) return null;
		return {
			offset: here.offset,
			message: `invalid YAML: this key starts in column ${here.column} but the key on line ${above} above it in column ${there.column}; ${SAME_COLUMN}`,
		};
	}
	if (error.code === 'BLOCK_AS_IMPLICIT_KEY') {
		const below = contentLineAfter(text, lines, line);
		if (below === undefined) return null;
		const there = keyColumn(text, lines, below);
		if (there.column <= here.column) return null;
		return {
			offset: here.offset,
			message: `invalid YAML: this key starts in column ${here.column} but the key on line ${below} below it in column ${there.column}; ${SAME_COLUMN}, and a key with a value on its own line holds no keys under it`,
		};
	}
	return null;
}

function lineText(text: string, lines: LineCounter, line: number): string {
	const start = lines.lineStarts[line - 1] ?? text.length;
	const end = lines.lineStarts[line] ?? text.length;
	return text.slice(start, end).replace(/\r?\n$/, '');
}

/** Where a line's key starts: after its indentation and any `- ` of list items. */
function keyColumn(
	text: string,
	lines: LineCounter,
	line: number
): { column: number; offset: number } {
	const content = lineText(text, lines, line);
	const lead = /^(?:[ ]*-[ ]+)*[ ]*/.exec(content)?.[0].length ?? 0;
	return { column: lead + 1, offset: (lines.lineStarts[line - 1] ?? 0) + lead };
}

function isContent(text: string, lines: LineCounter, line: number): boolean {
	const content = lineText(text, lines, line).trim();
	return content !== '' && !content.startsWith('#');
}

function contentLineBefore(text: string, lines: LineCounter, line: number): number | undefined {
	for (let other = line - 1; other >= 1; other -= 1) {
		if (isContent(text, lines, other)) return other;
	}
	return undefined;
}

function contentLineAfter(text: string, lines: LineCounter, line: number): number | undefined {
	for (let other = line + 1; other <= lines.lineStarts.length; other += 1) {
		if (isContent(text, lines, other)) return other;
	}
	return undefined;
}

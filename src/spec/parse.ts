/** One spec file's text to validated data, or every error found in it. Pure. */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { showValue } from './describe-value.js';
import { sortSpecErrors, type PathSegment, type SpecError } from './errors.js';
import {
	createLocator,
	findDuplicateKeys,
	firstAliasOffset,
	firstUnresolvedAlias,
	type Locate,
} from './locate.js';
import { GENERIC_MESSAGE, specIssuesFromZod } from './messages.js';
import { SpecFileSchema, type SpecFileData } from './schema.js';

/** yaml's default: expanding more aliases than this is refused as a "billion laughs" document. */
const MAX_ALIAS_COUNT = 100;

export interface ParsedSpecFile {
	readonly file: string;
	readonly data: SpecFileData;
	/** Where a path of `data` is written in the file. */
	readonly locate: Locate;
}

export type ParseFileResult =
	| { readonly ok: true; readonly parsed: ParsedSpecFile }
	| { readonly ok: false; readonly errors: readonly SpecError[] };

const TOP_LEVEL_SHAPE = 'a mapping with version, stack and sessions';

export function parseSpecText(text: string, file: string): ParseFileResult {
	const lines = new LineCounter();
	const doc = parseDocument(text, {
		lineCounter: lines,
		prettyErrors: false,
		// yaml's own check is quadratic in the size of a mapping; findDuplicateKeys is linear.
		uniqueKeys: false,
		// Otherwise yaml prints warnings (e.g. about collection keys) to stderr itself.
		logLevel: 'error',
	});
	const locate = createLocator(doc, lines);
	const errorAt: ErrorAt = (offset, path, message) => {
		const { line, col } = lines.linePos(offset);
		return { file, at: { line, column: col }, path, message };
	};
	const fail = (errors: SpecError[]): ParseFileResult => ({
		ok: false,
		errors: sortSpecErrors(errors, [file]),
	});

	// An error at the very end (an unclosed bracket) points past the last line otherwise.
	const lastOffset = text.trimEnd().length;
	const clampedAt: ErrorAt = (offset, path, message) =>
		errorAt(Math.min(offset, lastOffset), path, message);
	const syntaxErrors = [...yamlErrors(doc, clampedAt), ...duplicateKeyErrors(doc, errorAt)];
	if (syntaxErrors.length > 0) return fail(syntaxErrors);
	const failAt = (offset: number, message: string) => fail([errorAt(offset, [], message)]);

	const contents = doc.contents;
	if (contents === null || (isScalar(contents) && contents.value === null)) {
		return failAt(0, `the file is empty; expected ${TOP_LEVEL_SHAPE}`);
	}
	if (!isMap(contents)) {
		const got = isSeq(contents)
			? 'a list'
			: isScalar(contents)
				? showValue(contents.value)
				: 'something else';
		return failAt(
			contents.range?.[0] ?? 0,
			`expected ${TOP_LEVEL_SHAPE} at the top level (got ${got})`
		);
	}
	const unresolved = firstUnresolvedAlias(doc);
	if (unresolved) {
		const { name, offset } = unresolved;
		return failAt(offset, `unknown alias "*${name}": no anchor "&${name}" is defined before it`);
	}

	let data: unknown;
	try {
		data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
	} catch (error) {
		if (!(error instanceof ReferenceError)) throw error;
		return failAt(
			firstAliasOffset(doc) ?? 0,
			`document expands too many aliases (a "billion laughs" document?); at most ${MAX_ALIAS_COUNT} alias expansions are allowed`
		);
	}

	const result = SpecFileSchema.safeParse(data, {
		error: () => GENERIC_MESSAGE,
		reportInput: true,
	});
	if (!result.success) {
		const issues = specIssuesFromZod(result.error.issues, SpecFileSchema);
		return fail(
			issues.map((issue) => ({
				file,
				at: locate(issue.path, issue.target),
				path: issue.path,
				message: issue.message,
			}))
		);
	}
	return { ok: true, parsed: { file, data: result.data, locate } };
}

type ErrorAt = (offset: number, path: readonly PathSegment[], message: string) => SpecError;

function duplicateKeyErrors(doc: Document, errorAt: ErrorAt): SpecError[] {
	return [...findDuplicateKeys(doc)].map(([offset, duplicate]) => {
		const first = errorAt(duplicate.firstOffset, [], '').at;
		return errorAt(
			offset,
			duplicate.path,
			`duplicate key ${JSON.stringify(duplicate.key)} (first declared at line ${first?.line}); keys must be unique`
		);
	});
}

function yamlErrors(doc: Document, errorAt: ErrorAt): SpecError[] {
	return doc.errors.map((error) => {
		const offset = error.pos[0];
		if (error.code === 'MULTIPLE_DOCS') {
			return errorAt(
				offset,
				[],
				'the file holds more than one YAML document (---); put everything in one'
			);
		}
		const message = error.message.split('\n')[0] ?? error.message;
		return errorAt(
			offset,
			[],
			`invalid YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`
		);
	});
}

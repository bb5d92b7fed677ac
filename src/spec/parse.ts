/** One spec file's text to validated data, or every error found in it. Pure. */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { showValue } from '../kinds/session/describe-value.js';
import { sortSpecErrors, type PathSegment, type SpecError } from './errors.js';
import {
	createLocator,
	findDuplicateKeys,
	type DuplicateKey,
	firstAliasOffset,
	firstUnresolvedAlias,
	type Locate,
} from './locate.js';
import { blockedPaths, checkNodes } from './check-nodes.js';
import { expansionProblem } from './expanded-size.js';
import { GENERIC_MESSAGE, specIssuesFromZod } from './messages.js';
import { firstNonPrintableIndex, unicodeName } from './printable.js';
import { indentationErrors } from './indentation.js';
import { issuesBehindInvalidKeys } from './record-values.js';
import { type SpecFileData } from './schema.js';
import { specFileSchemaFor } from './kind-sections.js';
import { BUILT_IN_KINDS } from '../kinds/table.js';
import { DEFAULT_KIND_KEY_PATTERN, resourceRows, type KindTable } from '../kinds/kind.js';
import { SESSION_KEY_PATTERN, SESSION_KEY_RULE } from './schema.js';
import { declaredVars } from './templates/declared.js';
import { expandTemplates, type EntrySection, type TemplateProblem } from './templates/expand.js';
import {
	resolveVars,
	undeclaredOverride,
	type ResolvedVar,
	type VarOverride,
} from './templates/vars.js';

/** yaml's default: expanding more aliases than this is refused as a "billion laughs" document. */
const MAX_ALIAS_COUNT = 100;

export interface ParsedSpecFile {
	readonly file: string;
	readonly data: SpecFileData;
	/** Where a path of `data` is written in the file (an expanded entry: its template). */
	readonly locate: Locate;
	/** Per section: each entry expanded from a template, and the template's key. */
	readonly templates: ReadonlyMap<string, ReadonlyMap<string, string>>;
	/** The file's data as written with its templates expanded, before any field is checked. */
	readonly expanded: unknown;
	/** The vars in effect, with where each value came from. */
	readonly vars: ReadonlyMap<string, ResolvedVar>;
}

export type ParseFileResult =
	| { readonly ok: true; readonly parsed: ParsedSpecFile }
	| { readonly ok: false; readonly errors: readonly SpecError[] };

const TOP_LEVEL_SHAPE = 'a mapping with version, stack and sessions';

/** Where an offset of `text` is, before yaml has counted its lines. */
function positionIn(text: string, offset: number): { line: number; column: number } {
	const before = text.slice(0, offset);
	const lineStart = before.lastIndexOf('\n') + 1;
	return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** A spec file read as YAML, its templates not yet expanded nor its fields checked. */
export interface SpecDocument {
	readonly file: string;
	/** The data as written: `vars:` and `forEach` still in it. */
	readonly data: unknown;
	readonly locate: Locate;
	readonly written: ReturnType<typeof checkNodes>;
	readonly duplicates: readonly (readonly [number, DuplicateKey])[];
	readonly errorAt: ErrorAt;
}

export type ReadDocumentResult =
	| { readonly ok: true; readonly document: SpecDocument }
	| { readonly ok: false; readonly errors: readonly SpecError[] };

/**
 * `table`: the kinds whose sections the file may hold (default: the built-in table);
 * `overrides`: `--var` and `--var-file` values over the file's own `vars:`.
 */
export function parseSpecText(
	text: string,
	file: string,
	table: KindTable = BUILT_IN_KINDS,
	overrides: readonly VarOverride[] = []
): ParseFileResult {
	const read = readSpecDocument(text, file);
	if (!read.ok) return read;
	const { declared, problems } = declaredVars(read.document.data);
	const { vars, undeclared } = resolveVars(declared, overrides);
	const errors = [
		...problems.map((problem) => templateError(read.document, problem)),
		...undeclared.map((override) => overrideError(override, [...declared.keys()])),
	];
	if (errors.length > 0) return { ok: false, errors: sortSpecErrors(errors, [file]) };
	return checkSpecDocument(read.document, table, vars);
}

/** A `--var` or `--var-file` value for a var no file declares. */
export function overrideError(override: VarOverride, declared: readonly string[]): SpecError {
	return {
		file: override.given,
		...(override.at ? { at: override.at } : {}),
		path: override.at ? [override.name] : [],
		message: undeclaredOverride(override.name, declared),
	};
}

/** A template problem at its place in the file as written. */
export function templateError(document: SpecDocument, problem: TemplateProblem): SpecError {
	return {
		file: document.file,
		at: document.locate(problem.path, problem.target),
		path: problem.path,
		message: problem.message,
	};
}

/** The file's YAML, read and checked as YAML (syntax, keys, aliases); its fields not yet. */
export function readSpecDocument(
	text: string,
	file: string,
	shape = TOP_LEVEL_SHAPE,
	afterYaml?: () => void
): ReadDocumentResult {
	const control = firstNonPrintableIndex(text);
	if (control !== -1) {
		const char = unicodeName(String.fromCodePoint(text.codePointAt(control) ?? 0));
		const message = `${char} is not allowed in a YAML file; only printable text, tabs and line breaks are`;
		return { ok: false, errors: [{ file, at: positionIn(text, control), path: [], message }] };
	}
	const lines = new LineCounter();
	const doc = parseDocument(text, {
		lineCounter: lines,
		prettyErrors: false,
		// Always YAML 1.2's core schema, even under a %YAML 1.1 directive: "yes" stays a string,
		// and << is a plain key (reported), not a merge that could hide a duplicate.
		schema: 'core',
		merge: false,
		// Tags such as !!binary, !!set or !!timestamp are reported rather than turned into objects.
		resolveKnownTags: false,
		// yaml's own check is quadratic in the size of a mapping; findDuplicateKeys is linear.
		uniqueKeys: false,
		// Otherwise yaml prints warnings (e.g. about collection keys) to stderr itself.
		logLevel: 'error',
	});
	// yaml's syntax tree of the whole file is garbage now, and as large as the document.
	afterYaml?.();
	const locate = createLocator(doc, lines);
	const errorAt: ErrorAt = (offset, path, message) => {
		const { line, col } = lines.linePos(offset);
		return { file, at: { line, column: col }, path, message };
	};
	const fail = (errors: SpecError[]) => ({
		ok: false as const,
		errors: sortSpecErrors(errors, [file]),
	});

	// An error at the very end (an unclosed bracket) points past the last line otherwise.
	const lastOffset = text.trimEnd().length;
	const clampedAt: ErrorAt = (offset, path, message) =>
		errorAt(Math.min(offset, lastOffset), path, message);
	const syntaxErrors = yamlErrors(doc, text, lines, clampedAt);
	const duplicates = [...findDuplicateKeys(doc)];
	const duplicateErrors = duplicateKeyErrors(duplicates, errorAt);
	if (syntaxErrors.length > 0) return fail([...syntaxErrors, ...duplicateErrors]);
	const failAt = (offset: number, message: string) => fail([errorAt(offset, [], message)]);

	const contents = doc.contents;
	if (contents === null || (isScalar(contents) && contents.value === null)) {
		return failAt(0, `the file is empty; expected ${shape}`);
	}
	if (!isMap(contents)) {
		const got = isSeq(contents)
			? 'a list'
			: isScalar(contents)
				? showValue(contents.value)
				: 'something else';
		return failAt(contents.range?.[0] ?? 0, `expected ${shape} at the top level (got ${got})`);
	}
	const written = checkNodes(doc, text, doc.warnings);
	const unresolved = firstUnresolvedAlias(doc);
	if (unresolved) {
		const { name, offset } = unresolved;
		return failAt(offset, `unknown alias "*${name}": no anchor "&${name}" is defined before it`);
	}

	// Measured before anything is expanded: toJS would build the whole expansion first.
	const expansion = expansionProblem(doc);
	if (expansion) return fail([errorAt(expansion.offset, expansion.path, expansion.message)]);

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
	return { ok: true, document: { file, data, locate, written, duplicates, errorAt } };
}

/** The sections whose entries may be templates: sessions, and each kind's section. */
function entrySections(table: KindTable): EntrySection[] {
	return [
		{
			name: 'sessions',
			keyPattern: SESSION_KEY_PATTERN,
			keyRule: SESSION_KEY_RULE,
			hasEnv: true,
		},
		...resourceRows(table).map((row) => ({
			name: row.section,
			keyPattern: row.keyPattern ?? DEFAULT_KIND_KEY_PATTERN,
			keyRule: `not a valid ${row.name} key`,
			hasEnv: false,
		})),
	];
}

/**
 * The file's templates expanded with `vars` (every var in effect, by name), then its fields
 * checked: an error in an expanded entry is located at its template.
 */
export function checkSpecDocument(
	document: SpecDocument,
	table: KindTable,
	vars: ReadonlyMap<string, ResolvedVar>
): ParseFileResult {
	const { file, written, duplicates, errorAt } = document;
	const SpecFileSchema = specFileSchemaFor(table);
	const fail = (errors: SpecError[]): ParseFileResult => ({
		ok: false,
		errors: sortSpecErrors(errors, [file]),
	});
	const values = new Map([...vars].map(([name, resolved]) => [name, resolved.value]));
	const expanded = expandTemplates(document.data, values, entrySections(table));
	const duplicateErrors = duplicateKeyErrors(duplicates, errorAt);
	const writtenErrors = [
		...duplicateErrors,
		...written.problems.map((problem) => errorAt(problem.offset, problem.path, problem.message)),
	];
	if (expanded.problems.length > 0) {
		return fail([
			...writtenErrors,
			...expanded.problems.map((problem) => templateError(document, problem)),
		]);
	}
	const data = expanded.data;
	const locate = templateLocator(document.locate, expanded.templates);

	// jitless: zod would compile a checking function for each object schema at its first use
	// (new Function, which no code cache keeps); a spec is checked once per run, and for the
	// spec most runs check, compiling costs more than it saves.
	const options = { error: () => GENERIC_MESSAGE, reportInput: true, jitless: true };
	const result = SpecFileSchema.safeParse(data, options);
	const zodIssues = result.success
		? []
		: [
				...result.error.issues,
				...issuesBehindInvalidKeys(result.error.issues, data, SpecFileSchema, options),
			];
	// Under a key already reported (a duplicate, a key not as written), more errors only repeat it.
	const isBlocked = blockedPaths([
		...written.blocked,
		...duplicates.map(([, duplicate]) => duplicate.path),
	]);
	const schemaErrors = specIssuesFromZod(zodIssues, SpecFileSchema, [], written.writtenAs)
		.filter((issue) => !isBlocked(issue.path))
		.map((issue) => ({
			file,
			at: locate(issue.path, issue.target),
			path: issue.path,
			message: issue.message,
		}));
	if (!result.success || writtenErrors.length > 0) {
		return fail([...writtenErrors, ...schemaErrors]);
	}
	return {
		ok: true,
		parsed: {
			file,
			data: result.data as SpecFileData,
			locate,
			templates: expanded.templates,
			expanded: data,
			vars,
		},
	};
}

/** An expanded entry's path is located at its template: `shard.billing` at `shard`. */
function templateLocator(
	locate: Locate,
	templates: ReadonlyMap<string, ReadonlyMap<string, string>>
): Locate {
	return (path, target) => {
		const [section, key, ...rest] = path;
		const template =
			typeof section === 'string' && typeof key === 'string'
				? templates.get(section)?.get(key)
				: undefined;
		return locate(template === undefined ? path : [section!, template, ...rest], target);
	};
}

type ErrorAt = (offset: number, path: readonly PathSegment[], message: string) => SpecError;

function duplicateKeyErrors(
	duplicates: readonly (readonly [number, DuplicateKey])[],
	errorAt: ErrorAt
): SpecError[] {
	return duplicates.map(([offset, duplicate]) => {
		const first = errorAt(duplicate.firstOffset, [], '').at;
		return errorAt(
			offset,
			duplicate.path,
			`duplicate key ${JSON.stringify(duplicate.key)} (first declared at line ${first?.line}); keys must be unique`
		);
	});
}

function yamlErrors(
	doc: Document,
	text: string,
	lines: LineCounter,
	errorAt: ErrorAt
): SpecError[] {
	const indentation = indentationErrors(doc.errors, text, lines);
	return doc.errors.flatMap((error, index) => {
		const explained = indentation[index];
		if (explained === undefined) return [];
		if (explained !== null) return [errorAt(explained.offset, [], explained.message)];
		const offset = error.pos[0];
		if (error.code === 'MULTIPLE_DOCS') {
			return errorAt(
				offset,
				[],
				'the file holds more than one YAML document (---); put everything in one'
			);
		}
		if (error.code === 'RESOURCE_EXHAUSTION') {
			return errorAt(offset, [], 'invalid YAML: nested too deeply');
		}
		const message = error.message.split('\n')[0] ?? error.message;
		return errorAt(
			offset,
			[],
			`invalid YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`
		);
	});
}

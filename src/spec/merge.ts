/** Several parsed files into one Spec: one stack, one prune policy, each key declared once. */
import { sortSpecErrors, type SpecError } from './errors.js';
import { normalizeSession } from './normalize.js';
import { isDeepStrictEqual } from 'node:util';
import {
	checkSpecDocument,
	overrideError,
	readSpecDocument,
	templateError,
	type ParsedSpecFile,
	type SpecDocument,
} from './parse.js';
import { declaredVars } from './templates/declared.js';
import { resolveVars, type VarOverride, type VarValue } from './templates/vars.js';
import type { DesiredSession, Prune, Spec } from '../kinds/session/desired.js';
import { resourceRows, type KindTable } from '../kinds/kind.js';
import { BUILT_IN_KINDS } from '../kinds/table.js';
import { resourceEntries } from './kind-sections.js';
import { sessionReferenceErrors } from './session-references.js';

export type SpecResult =
	| { readonly ok: true; readonly spec: Spec }
	| { readonly ok: false; readonly errors: readonly SpecError[] };

const where = (parsed: ParsedSpecFile, path: readonly (string | number)[]) => {
	const at = parsed.locate(path);
	return `${parsed.file}:${at.line}:${at.column}`;
};

export function mergeSpecFiles(
	files: readonly ParsedSpecFile[],
	table: KindTable = BUILT_IN_KINDS
): SpecResult {
	const [first] = files;
	if (!first) return { ok: false, errors: [{ file: '', path: [], message: 'no spec file given' }] };
	const errors: SpecError[] = [];
	const conflict = (parsed: ParsedSpecFile, path: string[], message: string) =>
		errors.push({ file: parsed.file, at: parsed.locate(path), path, message });

	let prune: { value: Prune; from: ParsedSpecFile } | undefined;
	for (const parsed of files) {
		const { stack, prune: filePrune } = parsed.data;
		if (stack !== first.data.stack) {
			conflict(
				parsed,
				['stack'],
				`stack "${stack}" differs from stack "${first.data.stack}" at ${where(first, ['stack'])}; all files of one spec share one stack`
			);
		}
		if (filePrune === undefined) continue;
		if (prune && prune.value !== filePrune) {
			conflict(
				parsed,
				['prune'],
				`prune "${filePrune}" differs from prune "${prune.value}" at ${where(prune.from, ['prune'])}; set it once, or the same in every file`
			);
		}
		prune ??= { value: filePrune, from: parsed };
	}
	const allowRemovals = mergeAllowRemovals(files, conflict);

	const sessions = new Map<string, DesiredSession>();
	for (const parsed of files) {
		for (const [key, entry] of Object.entries(parsed.data.sessions)) {
			const path = ['sessions', key];
			const at = parsed.locate(path, 'key');
			const earlier = sessions.get(key)?.source;
			if (earlier) {
				const first = `${earlier.file}:${earlier.line}:${earlier.column}`;
				const message = `session "${key}" is already declared at ${first}`;
				errors.push({ file: parsed.file, at, path, message });
				continue;
			}
			const source = { file: parsed.file, line: at.line, column: at.column };
			const template = parsed.templates.get('sessions')?.get(key);
			sessions.set(key, normalizeSession(key, entry, parsed.data.defaults, source, template));
		}
	}
	const withResources = resourceRows(table).length > 0;
	const kinds = withResources
		? resourceEntries(
				files.map((parsed) => ({ ...parsed, data: parsed.data as Record<string, unknown> })),
				table,
				[...sessions.keys()]
			)
		: undefined;
	errors.push(...(kinds?.errors ?? []));
	errors.push(...sessionReferenceErrors(files, kinds?.resources ?? [], table));
	if (errors.length > 0) return { ok: false, errors };

	return {
		ok: true,
		spec: {
			version: 1,
			stack: first.data.stack,
			prune: prune?.value ?? 'archive',
			...(allowRemovals !== undefined ? { allowRemovals } : {}),
			sessions: [...sessions.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
			files: files.map((parsed) => parsed.file),
			...(kinds ? { resources: kinds.resources } : {}),
			...(first.vars.size > 0 ? { vars: Object.fromEntries(first.vars) } : {}),
		},
	};
}

/** `allowRemovals` is one count for the whole spec: set in one file, or the same in every file. */
function mergeAllowRemovals(
	files: readonly ParsedSpecFile[],
	conflict: (parsed: ParsedSpecFile, path: string[], message: string) => void
): number | undefined {
	let allowed: { value: number; from: ParsedSpecFile } | undefined;
	for (const parsed of files) {
		const value = parsed.data.allowRemovals;
		if (value === undefined) continue;
		if (allowed && allowed.value !== value) {
			conflict(
				parsed,
				['allowRemovals'],
				`allowRemovals ${value} differs from allowRemovals ${allowed.value} at ${where(allowed.from, ['allowRemovals'])}; set it once, or the same in every file`
			);
		}
		allowed ??= { value, from: parsed };
	}
	return allowed?.value;
}

export interface SpecSource {
	/** The name as the user gave it; messages use it. */
	readonly file: string;
	readonly text: string;
}

/** Parses and merges spec texts; all errors of all files come back together, sorted. */
export function parseSpec(
	sources: readonly SpecSource[],
	table: KindTable = BUILT_IN_KINDS,
	overrides: readonly VarOverride[] = [],
	afterYaml?: () => void
): SpecResult {
	const files = sources.map((source) => source.file);
	const parsed = parseSpecFiles(sources, table, overrides, afterYaml);
	const result = parsed.ok ? mergeSpecFiles(parsed.files, table) : parsed;
	return result.ok ? result : { ok: false, errors: sortSpecErrors(result.errors, files) };
}

/**
 * Each spec text parsed and expanded, with the vars every file declares (a var may be declared
 * in several files, with the same default) and the overrides over them. `afterYaml` is called
 * once each file is read as YAML, when the garbage of that read can be collected.
 */
export function parseSpecFiles(
	sources: readonly SpecSource[],
	table: KindTable = BUILT_IN_KINDS,
	overrides: readonly VarOverride[] = [],
	afterYaml?: () => void
):
	| { readonly ok: true; readonly files: readonly ParsedSpecFile[] }
	| { readonly ok: false; readonly errors: readonly SpecError[] } {
	const documents: SpecDocument[] = [];
	const errors: SpecError[] = [];
	for (const source of sources) {
		const result = readSpecDocument(source.text, source.file, undefined, afterYaml);
		if (result.ok) documents.push(result.document);
		else errors.push(...result.errors);
	}
	const declared = new Map<string, { value: VarValue; from: SpecDocument }>();
	for (const document of documents) {
		const found = declaredVars(document.data);
		errors.push(...found.problems.map((problem) => templateError(document, problem)));
		for (const [name, value] of found.declared) {
			const earlier = declared.get(name);
			if (earlier && !isDeepStrictEqual(earlier.value, value)) {
				const at = earlier.from.locate(['vars', name], 'key');
				const first = `${earlier.from.file}:${at.line}:${at.column}`;
				errors.push(
					templateError(document, {
						path: ['vars', name],
						target: 'key',
						message: `var "${name}" is declared at ${first} with another default; declare it once, or with the same default in every file`,
					})
				);
			}
			if (!earlier) declared.set(name, { value, from: document });
		}
	}
	const defaults = new Map([...declared].map(([name, { value }]) => [name, value]));
	const { vars, undeclared } = resolveVars(defaults, overrides);
	errors.push(...undeclared.map((override) => overrideError(override, [...defaults.keys()])));
	const parsed: ParsedSpecFile[] = [];
	for (const document of documents) {
		const result = checkSpecDocument(document, table, vars);
		if (result.ok) parsed.push(result.parsed);
		else errors.push(...result.errors);
	}
	return errors.length > 0 ? { ok: false, errors } : { ok: true, files: parsed };
}

/**
 * Spec variables: `vars:` in a spec file declares each one with its default; `--var NAME=VALUE`
 * and `--var-file FILE` override them, `--var` over `--var-file` over `vars:`. A var file's value
 * replaces the default whole (a list is never merged with the default list). Pure.
 */
import { didYouMean } from '../did-you-mean.js';
import type { SpecVar } from '../../kinds/session/desired.js';
import type { SourcePos } from '../errors.js';

/** A var's value: text, or any YAML value a var file or `vars:` gives (a list or mapping for forEach). */
export type VarValue = unknown;

export const VAR_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where a var's value comes from, in the order they override one another. */
export type VarOrigin = 'vars' | 'var-file' | 'var';

export type ResolvedVar = SpecVar;

/** What the command line gives: `--var` assignments and `--var-file` files, in the order given. */
export interface SpecVarInputs {
	readonly assignments?: readonly string[];
	readonly files?: readonly string[];
	/**
	 * Values already resolved (those a saved plan was made with): they stand for every `--var`
	 * and `--var-file`, so the spec expands as it did when the plan was made.
	 */
	readonly values?: Readonly<Record<string, VarValue>>;
}

/** One override, after its source is read. */
export interface VarOverride {
	readonly name: string;
	readonly value: VarValue;
	readonly origin: 'var-file' | 'var';
	/** How messages name where it was given: `--var env=prod`, `prod.yaml`. */
	readonly given: string;
	readonly file?: string;
	/** Where a var file writes it. */
	readonly at?: SourcePos;
}

export type ParsedAssignment =
	| { readonly ok: true; readonly name: string; readonly value: string }
	| { readonly ok: false; readonly message: string };

/** `--var NAME=VALUE`: the value is everything after the first `=`, taken as text. */
export function parseAssignment(text: string): ParsedAssignment {
	const equals = text.indexOf('=');
	if (equals === -1) {
		return { ok: false, message: 'has no value: write --var NAME=VALUE' };
	}
	const name = text.slice(0, equals);
	if (!VAR_NAME_PATTERN.test(name)) return { ok: false, message: invalidVarName(name) };
	return { ok: true, name, value: text.slice(equals + 1) };
}

export function invalidVarName(name: string): string {
	return `invalid var name ${JSON.stringify(name)}: use letters, digits and underscores, not starting with a digit`;
}

/** Why an override names no declared var (a typo of `--var evn=prod` would otherwise do nothing). */
export function undeclaredOverride(name: string, declared: readonly string[]): string {
	const suggestion = didYouMean(name, declared);
	const known =
		declared.length === 0
			? 'the spec declares no vars'
			: `declared: ${[...declared].sort().join(', ')}`;
	return `no var "${name}" is declared under vars: in the spec${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; ${known}`;
}

/**
 * The vars in effect: each declared default, overridden by the overrides in order (later wins;
 * pass var files before `--var`s). Overrides of undeclared vars are reported, not used.
 */
export function resolveVars(
	declared: ReadonlyMap<string, VarValue>,
	overrides: readonly VarOverride[]
): { readonly vars: Map<string, ResolvedVar>; readonly undeclared: readonly VarOverride[] } {
	const vars = new Map<string, ResolvedVar>();
	for (const [name, value] of declared) vars.set(name, { value, origin: 'vars' });
	const undeclared: VarOverride[] = [];
	for (const override of overrides) {
		if (!declared.has(override.name)) {
			undeclared.push(override);
			continue;
		}
		vars.set(override.name, {
			value: override.value,
			origin: override.origin,
			...(override.file !== undefined ? { file: override.file } : {}),
		});
	}
	return { vars, undeclared };
}

/** Whether a value is a plain mapping (what YAML and JSON give for `{...}`). */
export function isMapping(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** How a value is named in a message: its kind, never its whole text. */
export function kindOfValue(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (isMapping(value)) return 'a mapping';
	if (value === null || value === undefined) return 'nothing (null)';
	return `a ${typeof value}`;
}

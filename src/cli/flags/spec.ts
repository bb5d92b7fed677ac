/** The spec group: which files make the spec (-f) and which of its entries a command is about. */
import { Option, type Command } from 'commander';
import { DEFAULT_SPEC_FILE } from '../../spec/default-file.js';
import type { Environment } from '../../operations/environment.js';
import type { SpecVarInputs } from '../../spec/templates/vars.js';

export interface SpecFlags extends SpecVarFlags {
	readonly file?: string[];
	readonly only?: string[];
	readonly select?: string[];
}

/** The spec files (empty: the default file) and the scope within them (empty: every entry). */
export interface SpecScope {
	readonly files: readonly string[];
	/** `--only`: entry keys or globs of keys. */
	readonly only: readonly string[];
	/** `--select`: `tag=NAME` or `metadata.KEY=VALUE`, all of which an entry must match. */
	readonly select: readonly string[];
}

/**
 * `-f`, and with `scope` (the verb its help says: "plan", "check") `--only` and `--select`; a
 * command without a scope acts on the keys it is given or on the whole spec.
 */
export function addSpecFlags(command: Command, scope?: string): Command {
	command.addOption(specFileOption());
	addSpecVarFlags(command);
	if (scope === undefined) return command;
	return command.addOption(onlyOption(scope)).addOption(selectOption(scope));
}

export function parseSpecFlags(flags: SpecFlags): SpecScope {
	return { files: flags.file ?? [], only: flags.only ?? [], select: flags.select ?? [] };
}

/** `-f/--file`, repeatable: the spec files every spec-reading command takes. */
export function specFileOption(): Option {
	return new Option(
		'-f, --file <path>',
		`spec file, directory (its *.yaml and *.yml files) or - (standard input); repeat to merge several into one spec (default: ${DEFAULT_SPEC_FILE})`
	).argParser(collect);
}

/** `--only KEY|GLOB`, repeatable. */
function onlyOption(verb: string): Option {
	return new Option(
		'--only <key>',
		`${verb} only this entry key, or the keys matching a glob such as 'docs-*'; repeatable`
	).argParser(collect);
}

/** `--select tag=NAME|metadata.KEY=VALUE`, repeatable: entries must match every one. */
function selectOption(verb: string): Option {
	return new Option(
		'--select <selector>',
		`${verb} only the spec entries with this tag (tag=NAME) or metadata (metadata.KEY=VALUE); repeatable, all must match; with --only, a key must pass both`
	).argParser(collect);
}

/** `--var NAME=VALUE` and `--var-file FILE`, repeatable: values over the spec's `vars:`. */
export interface SpecVarFlags {
	readonly var?: string[];
	readonly varFile?: string[];
}

export function addSpecVarFlags(command: Command): Command {
	return command
		.addOption(
			new Option(
				'--var <name=value>',
				"set the spec's var NAME (declared under vars:) to VALUE, over --var-file and vars:; repeatable"
			).argParser(collect)
		)
		.addOption(
			new Option(
				'--var-file <file>',
				"a YAML mapping of var names to values, over the spec's vars: (a list replaces the default whole); repeatable, a later file wins"
			).argParser(collect)
		);
}

/** The vars the flags give, as `{ vars }`; nothing without any. */
export function specVarInputs(flags: SpecVarFlags): { vars?: SpecVarInputs } {
	if (!flags.var?.length && !flags.varFile?.length) return {};
	return { vars: { assignments: flags.var ?? [], files: flags.varFile ?? [] } };
}

/** The environment of an operation, with the vars the flags give. */
export function withSpecVars<T extends Environment>(environment: T, flags: SpecVarFlags): T {
	const { vars } = specVarInputs(flags);
	return vars ? { ...environment, specVars: vars } : environment;
}

/** commander's way to let an option repeat. */
export function collect(value: string, previous: string[] = []): string[] {
	return [...previous, value];
}

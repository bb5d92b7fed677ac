import { Option } from 'commander';
import { DEFAULT_SPEC_FILE } from '../spec/load.js';

export interface SpecFileFlags {
	readonly file?: string[];
}

/** `-f/--file`, repeatable: the spec files every spec-reading command takes. */
export function specFileOption(): Option {
	return new Option(
		'-f, --file <path>',
		`spec file, directory (its *.yaml and *.yml files) or - (standard input); repeat to merge several into one spec (default: ${DEFAULT_SPEC_FILE})`
	).argParser(collect);
}

export interface ScopeFlags {
	readonly only?: string[];
	readonly select?: string[];
}

/** `--only KEY|GLOB`, repeatable. */
export function onlyOption(verb: string): Option {
	return new Option(
		'--only <key>',
		`${verb} only this entry key, or the keys matching a glob such as 'docs-*'; repeatable`
	).argParser(collect);
}

/** `--select tag=NAME|metadata.KEY=VALUE`, repeatable: entries must match every one. */
export function selectOption(verb: string): Option {
	return new Option(
		'--select <selector>',
		`${verb} only the spec entries with this tag (tag=NAME) or metadata (metadata.KEY=VALUE); repeatable, all must match; with --only, a key must pass both`
	).argParser(collect);
}

/** commander's way to let an option repeat. */
export function collect(value: string, previous: string[] = []): string[] {
	return [...previous, value];
}

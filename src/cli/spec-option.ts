import { Option } from 'commander';
import { DEFAULT_SPEC_FILE } from '../spec/load.js';

export interface SpecFileFlags {
	readonly file?: string[];
}

/** `-f/--file`, repeatable: the spec files every spec-reading command takes. */
export function specFileOption(): Option {
	return new Option(
		'-f, --file <path>',
		`spec file to read; repeat to merge several files into one spec (default: ${DEFAULT_SPEC_FILE})`
	).argParser(collect);
}

/** commander's way to let an option repeat. */
export function collect(value: string, previous: string[] = []): string[] {
	return [...previous, value];
}

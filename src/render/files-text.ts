import { fewOf } from '../core/few.js';

/** Spec files named in a header before the rest are counted: a folder may hold thousands. */
const MAX_FILES = 20;

/** The spec files a header names, each as `fmt` shows it, then how many more there are. */
export function filesText(files: readonly string[], fmt: (file: string) => string): string {
	return fewOf(files.map(fmt), MAX_FILES, { one: 'file', many: 'files' });
}

/** Spec files named in a header before the rest are counted: a folder may hold thousands. */
const MAX_FILES = 20;

/** The spec files a header names, each as `fmt` shows it, then how many more there are. */
export function filesText(files: readonly string[], fmt: (file: string) => string): string {
	const named = files.slice(0, MAX_FILES).map(fmt).join(', ');
	const more = files.length - MAX_FILES;
	return more > 0 ? `${named} and ${more} more ${more === 1 ? 'file' : 'files'}` : named;
}

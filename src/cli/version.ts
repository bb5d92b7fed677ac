import { readFileSync } from 'node:fs';

/**
 * The package's version, read from package.json two folders up: the compiled module lives in
 * dist/cli/ and the binary's scripts in dist/bin/, both at that depth.
 */
export function packageVersion(): string {
	const manifest = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
	return (JSON.parse(manifest) as { version: string }).version;
}

/** `coder-sessions --version` alone: the one command line that needs none of the commands. */
export function isVersionOnly(args: readonly string[]): boolean {
	return args.length === 1 && (args[0] === '--version' || args[0] === '-V');
}

/**
 * The kinds (the session model and its field table) are the floor above the core: every other
 * home may build on them, and they build on nothing of the tool but the core, and on no package
 * but zod.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const KINDS = join(SRC, 'kinds');
const IMPORT = /(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

function allowed(file: string, specifier: string): boolean {
	if (!specifier.startsWith('.')) return specifier === 'zod';
	const target = relative(SRC, resolve(dirname(file), specifier));
	return target.startsWith('kinds/') || target.startsWith('core/');
}

describe('src/kinds', () => {
	it('imports only itself, the core and zod', () => {
		const offenders = sourceFiles(KINDS).flatMap((file) =>
			[...readFileSync(file, 'utf8').matchAll(IMPORT)]
				.map((match) => match[1]!)
				.filter((specifier) => !allowed(file, specifier))
				.map((specifier) => `${relative(SRC, file)}: ${specifier}`)
		);
		expect(offenders).toEqual([]);
	});
});

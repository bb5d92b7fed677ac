/**
 * The session model, field table included, is the bottom layer: every other folder may build on
 * it, and it builds on nothing of the tool but the core (errors, secrets), and on no package but zod.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const SESSION = join(SRC, 'session');
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
	return target.startsWith('session/') || target.startsWith('core/');
}

describe('src/session', () => {
	it('imports only itself, the core and zod', () => {
		const offenders = sourceFiles(SESSION).flatMap((file) =>
			[...readFileSync(file, 'utf8').matchAll(IMPORT)]
				.map((match) => match[1]!)
				.filter((specifier) => !allowed(file, specifier))
				.map((specifier) => `${relative(SRC, file)}: ${specifier}`)
		);
		expect(offenders).toEqual([]);
	});
});

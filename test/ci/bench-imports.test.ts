/**
 * The bench and the scripts import the build (`../dist/...`): a module moved or an export renamed
 * in src/ would break `npm run bench` silently, as no test runs it. Each such import must name a
 * source module that exists and exports what is imported from it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FROM_DIST = /import\s*\{([^}]*)\}\s*from\s*['"](\.\.\/dist\/[^'"]+)['"]/g;

function scripts(): string[] {
	return ['bench', 'scripts'].flatMap((dir) =>
		readdirSync(join(ROOT, dir))
			.filter((name) => name.endsWith('.mjs'))
			.map((name) => join(ROOT, dir, name))
	);
}

/** Problems with one script's imports of the build: missing modules and missing exports. */
function problemsOf(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const problems: string[] = [];
	for (const [, names, specifier] of text.matchAll(FROM_DIST)) {
		const built = resolve(dirname(file), specifier!);
		const source = join(ROOT, 'src', relative(join(ROOT, 'dist'), built)).replace(/\.js$/, '.ts');
		const where = `${relative(ROOT, file)}: ${specifier}`;
		if (!existsSync(source)) {
			problems.push(`${where}: no ${relative(ROOT, source)}`);
			continue;
		}
		const code = readFileSync(source, 'utf8');
		for (const name of names!.split(',').map((part) => part.trim().split(/\s+as\s+/)[0]!)) {
			if (!name) continue;
			const exported = new RegExp(
				`export\\s+(?:async\\s+)?(?:function\\*?|const|let|class|type|interface)\\s+${name}\\b|export\\s*\\{[^}]*\\b${name}\\b[^}]*\\}`
			);
			if (!exported.test(code)) problems.push(`${where}: does not export ${name}`);
		}
	}
	return problems;
}

describe('the bench and scripts', () => {
	it('import from the build only modules and names that src/ has', () => {
		const files = scripts();
		expect(files.length).toBeGreaterThan(5);
		expect(files.flatMap(problemsOf)).toEqual([]);
	});
});

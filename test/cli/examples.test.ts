/**
 * The repository's example specs stay valid and in the layout `fmt` writes (CI runs this through
 * npm test). People edit the examples: nothing here depends on what the specs say.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/cli.js';

/** Every YAML file under examples/ that is a spec (a mapping with sessions). */
function exampleSpecs(dir = 'examples'): string[] {
	return readdirSync(join(projectRoot, dir), { withFileTypes: true }).flatMap((entry) => {
		const path = `${dir}/${entry.name}`;
		if (entry.isDirectory()) return exampleSpecs(path);
		if (!/\.ya?ml$/.test(entry.name)) return [];
		return /^sessions:/m.test(readFileSync(join(projectRoot, path), 'utf8')) ? [path] : [];
	});
}

describe('the example specs', () => {
	const specs = exampleSpecs();

	it('are found', () => {
		expect(specs).toContain('examples/sessions.yaml');
	});

	for (const spec of specs) {
		it(`${spec} validates`, async () => {
			const result = await runCli(['validate', '-f', spec]);
			// Notes only (env variables not set here), never an error.
			expect(
				result.stderr.split('\n').filter((line) => line && !line.startsWith('note: '))
			).toEqual([]);
			expect(result.code).toBe(0);
		});
	}

	it('pass fmt --check', async () => {
		const result = await runCli(['fmt', '--check', '--diff', ...specs]);
		expect(result.stdout + result.stderr).toBe('');
		expect(result.code).toBe(0);
	});
});

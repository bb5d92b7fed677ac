/** The repository's own example specs are kept in the layout `fmt` writes (run in CI by npm test). */
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
	it('pass fmt --check', async () => {
		const specs = exampleSpecs();
		expect(specs).toContain('examples/sessions.yaml');
		const result = await runCli(['fmt', '--check', '--diff', ...specs]);
		expect(result.stdout + result.stderr).toBe('');
		expect(result.code).toBe(0);
	});
});

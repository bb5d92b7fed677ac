/**
 * The library example runs as a user runs it: node on examples/library/apply.mjs, importing the
 * package by its name (package.json `exports` -> dist/index.js), against the local Hub it starts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runNode } from '../support/cli.js';

const EXAMPLE = 'examples/library/apply.mjs';
const exampleText = () => readFileSync(join(projectRoot, EXAMPLE), 'utf8');

describe('the library example', () => {
	it('imports the package by its name, as a user script does', () => {
		expect(exampleText()).toMatch(/from 'coder-sessions';/);
	});

	it('plans, applies, and plans again with no changes against a local Hub', async () => {
		const result = await runNode([EXAMPLE]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toBe('');
		const [first, rest] = result.stdout.split('applied changelog');
		expect(first).toContain('Plan: 2 to create, 0 to update');
		expect(rest).toContain('applied triage');
		expect(rest).toContain('No changes. The Hub matches the spec (2 sessions).');
		// The second plan counts its own Hub calls, not the connection's.
		expect(rest).toMatch(/Hub calls: 1 list, 2 get\./);
	});

	it('is quoted whole by the README section that shows it', () => {
		const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
		const section = /^## Use as a library\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
		expect(section, 'README.md has a "## Use as a library" section').toBeDefined();
		const quoted = /```js\n([\s\S]*?)```/.exec(section ?? '')?.[1];
		expect(quoted).toBe(exampleText());
	});
});

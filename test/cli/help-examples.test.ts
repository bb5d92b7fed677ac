import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

describe.concurrent('--help examples', () => {
	for (const command of [['plan'], ['apply'], ['show'], ['hub', 'serve']]) {
		it(`${command.join(' ')} --help ends with examples of itself`, async () => {
			const result = await runCli([...command, '--help']);
			expect(result.code).toBe(0);
			const examples = result.stdout.split('\nExamples:\n')[1];
			expect(examples, result.stdout).toBeDefined();
			const lines = examples!.trimEnd().split('\n');
			expect(lines.length).toBeGreaterThan(1);
			for (const line of lines) expect(line).toMatch(`  coder-sessions ${command.join(' ')}`);
		});
	}
});

describe.concurrent('--target', () => {
	for (const command of ['plan', 'apply']) {
		it(`${command} --target points to --only and exits 1`, async () => {
			const result = await runCli([command, '--target', 'docs-review', '-f', 'missing.yaml']);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(`select entries with --only KEY`);
			expect(result.stderr).toContain(`${command} --only docs-review`);
			expect(result.stderr).not.toMatch(/unknown option|\n\s+at /);
		});
	}

	it('is not offered in --help', async () => {
		const result = await runCli(['plan', '--help']);
		expect(result.stdout).not.toContain('--target');
	});
});

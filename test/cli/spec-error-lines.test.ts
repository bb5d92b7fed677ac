/**
 * Spec errors as a user reads them (README "Templates", "The spec"): a mistake a template repeats
 * in its entries is printed once, naming them; a spec with thousands of errors prints the first
 * ones and says how many more there are, as a compiler does.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const TEMPLATE = `version: 1
stack: t
sessions:
  shard:
    forEach: [a, b, c, d, e, f, g, h, i, j, k, l]
    task: Do \${each.key}.
    visibility: publik
  pair:
    forEach: [x, y]
    task: Pair \${each.key}.
    tags: ['']
  plain:
    task: Plain.
    visibility: publik
`;

/** `count` entries, each with two keys out of line: hundreds of errors. */
function misIndented(count: number): string {
	const entries = Array.from(
		{ length: count },
		(_, index) => `  s${index}:\n    task: Do ${index}.\n     label: L${index}\n   tags: [a]\n`
	);
	return `version: 1\nstack: t\nsessions:\n${entries.join('')}`;
}

describe('spec errors', () => {
	it('prints a mistake in a template once, naming the entries it came from, and keeps every distinct error', async () => {
		for (const command of [['validate'], ['plan', '--url', 'http://127.0.0.1:9']]) {
			const result = await runCli([...command, '-f', '-'], { input: TEMPLATE });
			expect(result.code).toBe(1);
			expect(result.stderr).toBe(
				[
					'<stdin>:7:17: sessions["shard.a"].visibility: expected one of private, organization, collaborate (got "publik") (the same for 12 entries: shard.a, shard.b, shard.c and 9 more)',
					'<stdin>:11:12: sessions["pair.x"].tags[0]: must not be empty (the same for 2 entries: pair.x, pair.y)',
					'<stdin>:14:17: sessions.plain.visibility: expected one of private, organization, collaborate (got "publik")',
					'3 errors in <stdin>',
					'',
				].join('\n')
			);
		}
	});

	it('prints the first 50 of thousands, then how many more and that fixing the first often clears them', async () => {
		const result = await runCli(['validate', '-f', '-'], { input: misIndented(300) });
		expect(result.code).toBe(1);
		const lines = result.stderr.trimEnd().split('\n');
		expect(lines).toHaveLength(52);
		expect(lines[0]).toMatch(/^<stdin>:5:5: invalid YAML: this key starts in column 5/);
		expect(lines.slice(0, 50).every((line) => line.startsWith('<stdin>:'))).toBe(true);
		expect(lines[50]).toBe(
			'... and 549 more errors not shown: fix the first ones and run again, as they often cause the rest (one mis-indented line can make thousands)'
		);
		expect(lines[51]).toBe('599 errors in <stdin>');
	});

	it('keeps every error in --format json, for machines', async () => {
		const result = await runCli(['validate', '--format', 'json', '-f', '-'], { input: TEMPLATE });
		const report = JSON.parse(result.stdout) as { errors: unknown[] };
		expect(report.errors).toHaveLength(15);
	});
});

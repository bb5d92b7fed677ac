/**
 * examples/plan-comment-*.md are real plans: scripts/plan-comment-examples.mjs applies a spec to
 * a local Hub, plans another against it and renders the comment. This renders them again and
 * compares; it never writes them (`npm run examples:plan-comments` does).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';

interface Example {
	readonly file: string;
	readonly text: string;
}

const script = pathToFileURL(join(projectRoot, 'scripts/plan-comment-examples.mjs')).href;

describe('the plan comments under examples/', () => {
	it('are what the script makes of real plans today (npm run examples:plan-comments)', async () => {
		const { renderExamples } = (await import(script)) as {
			renderExamples(): Promise<Example[]>;
		};
		const examples = await renderExamples();
		expect(examples.map((example) => example.file)).toEqual([
			'examples/plan-comment-small.md',
			'examples/plan-comment-300.md',
			'examples/plan-comment-300-template.md',
		]);
		for (const { file, text } of examples) {
			expect(
				await readFile(join(projectRoot, file), 'utf8'),
				`${file}: run npm run examples:plan-comments`
			).toBe(text);
		}
	});

	it('show what real plans do: a task change replaces, collapsed sections name the fields', async () => {
		const small = await readFile(join(projectRoot, 'examples/plan-comment-small.md'), 'utf8');
		expect(small).toMatch(/<code>-\/\+ replace<\/code> <b>triage<\/b>/);
		expect(small).not.toMatch(/update<\/code> <b>triage<\/b>/);
		const large = await readFile(join(projectRoot, 'examples/plan-comment-300.md'), 'utf8');
		expect(large).toMatch(/<b>worker-001<\/b>.* · changes tags<\/summary>/);
		expect(large).toMatch(/<b>worker-021<\/b>.* · changes task<\/summary>/);
		expect(large.length).toBeLessThanOrEqual(60_000);
	});

	it('show the same 300 changes from one template in full: one block per kind, every key named', async () => {
		const md = await readFile(join(projectRoot, 'examples/plan-comment-300-template.md'), 'utf8');
		expect(md).not.toContain('_Details of');
		expect(md.length).toBeLessThan(10_000);
		expect(md).toContain('<code>+ create</code> <b>274 sessions</b> from template <b>worker</b>');
		expect(md).toContain('-   Work through shard ${each.key} of the migration backlog.\n');
		const keys = [...md.matchAll(/^\| (worker\.\d{3}) \|/gm)].map((match) => match[1]);
		const archived = [...md.matchAll(/<b>(worker\.\d{3})<\/b>/g)].map((match) => match[1]);
		expect(new Set([...keys, ...archived]).size).toBe(300);
	});
});

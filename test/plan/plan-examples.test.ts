import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/index.js';
import { projectRoot } from '../support/cli.js';
import { PLAN_EXAMPLES } from '../support/plan-examples.js';

// UPDATE_EXAMPLES=1 npx vitest run test/plan/plan-examples.test.ts writes them anew.
describe('the rendered plan comments under examples/', () => {
	for (const { file, view } of PLAN_EXAMPLES) {
		it(`${file} is up to date (UPDATE_EXAMPLES=1 rewrites it)`, async () => {
			const path = join(projectRoot, file);
			const rendered = renderMarkdown(view());
			if (process.env.UPDATE_EXAMPLES === '1') await writeFile(path, rendered);
			expect(await readFile(path, 'utf8')).toBe(rendered);
		});
	}
});

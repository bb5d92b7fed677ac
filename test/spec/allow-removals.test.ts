import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatSpecError, loadSpec } from '../../src/spec/index.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

async function errorsOf(...files: string[]): Promise<string[]> {
	const result = await loadSpec(files, { cwd: `${fixtures}invalid` });
	if (result.ok) throw new Error(`expected ${files.join(', ')} to be invalid`);
	return result.errors.map(formatSpecError);
}

describe('allowRemovals in the spec', () => {
	it('is one count for the whole spec: set in one file, or the same in several', async () => {
		const cwd = `${fixtures}valid/allow-removals`;
		const merged = await loadSpec(['a.yaml', 'b.yaml', 'c.yaml'], { cwd });
		expect(merged.ok && merged.spec.allowRemovals).toBe(3);
		const once = await loadSpec(['c.yaml', 'a.yaml'], { cwd });
		expect(once.ok && once.spec.allowRemovals).toBe(3);
		const unset = await loadSpec(['c.yaml'], { cwd });
		expect(unset.ok && 'allowRemovals' in unset.spec).toBe(false);
	});

	it('refuses files that disagree on the count, naming both', async () => {
		expect(
			await errorsOf('allow-removals-mismatch/a.yaml', 'allow-removals-mismatch/b.yaml')
		).toEqual([
			'allow-removals-mismatch/b.yaml:3:16: allowRemovals: allowRemovals 12 differs from allowRemovals 10 at allow-removals-mismatch/a.yaml:3:16; set it once, or the same in every file',
		]);
	});

	it('is a whole number of at least 0', async () => {
		expect(await errorsOf('allow-removals-negative.yaml')).toEqual([
			'allow-removals-negative.yaml:3:16: allowRemovals: must be at least 0 (got -1)',
		]);
		expect(await errorsOf('allow-removals-fraction.yaml')).toEqual([
			'allow-removals-fraction.yaml:3:16: allowRemovals: expected a whole number (got 2.5)',
		]);
		expect(await errorsOf('allow-removals-text.yaml')).toEqual([
			'allow-removals-text.yaml:3:16: allowRemovals: expected a whole number (got a string)',
		]);
	});
});

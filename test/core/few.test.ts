import { describe, expect, it } from 'vitest';
import { fewOf } from '../../src/core/few.js';

describe('a list named in a message', () => {
	it('names every item up to the bound', () => {
		expect(fewOf(['a', 'b', 'c'], 3)).toBe('a, b, c');
		expect(fewOf([], 3)).toBe('');
	});

	it('names the first ones past the bound and counts the rest, in the unit given', () => {
		expect(fewOf(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more');
		const files = { one: 'file', many: 'files' };
		expect(fewOf(['a', 'b', 'c'], 2, files)).toBe('a, b and 1 more file');
		expect(fewOf(['a', 'b', 'c', 'd'], 2, files)).toBe('a, b and 2 more files');
	});
});

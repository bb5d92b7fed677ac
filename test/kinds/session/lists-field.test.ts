import { describe, expect, it } from 'vitest';
import { desiredFieldValue } from '../../../src/kinds/session/fields/index.js';
import { sortedSet } from '../../../src/kinds/session/fields/row.js';
import { desired } from '../../support/session-builders.js';

describe('a list field compared as a set', () => {
	it('is sorted and without repeats, whatever order the spec writes it in', () => {
		expect(desiredFieldValue(desired('a', { tags: ['b', 'a', 'b'] }), 'tags')).toEqual(['a', 'b']);
		expect(sortedSet(['a', 'a'])).toEqual(['a']);
		expect(sortedSet(['a', 'B', 'b'])).toEqual(['B', 'a', 'b']);
		expect(sortedSet(['10', '9'])).toEqual(['10', '9']);
	});

	it("is a copy: sorting it never reorders the entry's own list", () => {
		const tags = ['a', 'b'];
		const compared = sortedSet(tags);
		expect(compared).toEqual(tags);
		expect(compared).not.toBe(tags);
	});
});

/** The ownership marker in a description: the stack and key, and `protect` when the entry says so. */
import { describe, expect, it } from 'vitest';
import { markedDescription, readMarker } from '../../src/kinds/description-marker.js';

describe('the description marker', () => {
	const owner = { stack: 'team', key: 'reviewer' };

	it('reads back what it writes, with and without protect', () => {
		const plain = markedDescription(owner, 'Reviews pull requests');
		expect(plain).toBe('Reviews pull requests\n\n[coder-sessions team/reviewer]');
		expect(readMarker(plain)).toEqual({ owner, text: 'Reviews pull requests' });

		const guarded = markedDescription(owner, undefined, { protect: true });
		expect(guarded).toBe('[coder-sessions team/reviewer protect]');
		expect(readMarker(guarded)).toEqual({
			owner: { ...owner, protect: true },
			protect: true,
			text: '',
		});
	});

	it('reads a marker written before protect existed as unprotected', () => {
		expect(readMarker('text\n\n[coder-sessions team/reviewer]').protect).toBeUndefined();
		expect(readMarker('[coder-sessions team/reviewer protected]')).toEqual({
			text: '[coder-sessions team/reviewer protected]',
		});
	});
});

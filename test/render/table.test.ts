import { describe, expect, it } from 'vitest';
import { alignColumns } from '../../src/render/table.js';

describe('alignColumns', () => {
	it('pads columns to the widest cell, right-aligns where asked, and leaves no trailing spaces', () => {
		const lines = alignColumns(
			[
				['KEY', 'EVENTS', 'SYNC'],
				['a', '7', 'in sync'],
				['longer-key', '1200', ''],
			],
			['left', 'right', 'left']
		);
		expect(lines).toEqual([
			'KEY         EVENTS  SYNC',
			'a                7  in sync',
			'longer-key    1200',
		]);
	});

	it('measures text before painting it, so escape codes do not shift columns', () => {
		const red = (text: string) => `\u001b[31m${text}\u001b[39m`;
		const lines = alignColumns([
			[{ text: 'ab', paint: red }, 'x'],
			['abcd', 'y'],
		]);
		expect(lines[0]).toBe(`${red('ab  ')}  x`);
		expect(lines[1]).toBe('abcd  y');
	});

	it('counts characters, not UTF-16 units', () => {
		expect(
			alignColumns([
				['𝔸b', '1'],
				['abc', '2'],
			])
		).toEqual(['𝔸b   1', 'abc  2']);
	});
});

import { describe, expect, it } from 'vitest';
import { startProgress } from '../../src/operations/progress.js';

describe('startProgress', () => {
	it('shows nothing without a terminal', () => {
		const progress = startProgress(undefined);
		expect(progress.report).toBeUndefined();
		progress.end();
	});

	it('shows a long read once it has taken a second, at most every 100 ms, and clears it', () => {
		const shown: string[] = [];
		let now = 0;
		const progress = startProgress(
			(text) => shown.push(text),
			() => now
		);
		progress.report!('read 1 of 9 sessions');
		now = 1000;
		progress.report!('read 5 of 9 sessions');
		now = 1050;
		progress.report!('read 6 of 9 sessions');
		now = 1200;
		progress.report!('read 9 of 9 sessions');
		progress.end();
		expect(shown).toEqual(['read 5 of 9 sessions', 'read 9 of 9 sessions', '']);
	});

	it('leaves the terminal alone when the read was short', () => {
		const shown: string[] = [];
		const progress = startProgress(
			(text) => shown.push(text),
			() => 0
		);
		progress.report!('read 1 of 1 sessions');
		progress.end();
		expect(shown).toEqual([]);
	});
});

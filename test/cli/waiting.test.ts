/** The terminal line that shows a Hub slow to answer, with a scripted clock of checks. */
import { describe, expect, it } from 'vitest';
import type { Waiting } from '../../src/hub/breaker.js';
import { SHOW_WAITING_AFTER_MS, showWaiting } from '../../src/cli/waiting.js';

const HUB = 'http://127.0.0.1:4100';

describe('showWaiting', () => {
	it('shows the oldest unanswered request once it has waited a while, and clears it when answered', () => {
		const written: string[] = [];
		let waiting: Waiting | undefined;
		let check: () => void = () => {};
		let stopped = false;
		const stop = showWaiting(
			(text) => written.push(text),
			() => waiting,
			(run) => {
				check = run;
				return () => (stopped = true);
			}
		);
		waiting = { origin: HUB, sinceMs: SHOW_WAITING_AFTER_MS - 1, timeoutMs: 30_000 };
		check();
		expect(written).toEqual([]);
		waiting = { origin: HUB, sinceMs: 7_400, timeoutMs: 30_000 };
		check();
		expect(written).toEqual([
			`Waiting for the Hub at ${HUB}: no answer for 7 s (giving up after 30 s)...`,
		]);
		waiting = undefined;
		check();
		expect(written.at(-1)).toBe('');
		check();
		expect(written).toHaveLength(2);
		waiting = { origin: HUB, sinceMs: 12_000, timeoutMs: 2_500 };
		check();
		expect(written.at(-1)).toContain('no answer for 12 s (giving up after 2.5 s)');
		stop();
		expect(stopped).toBe(true);
		expect(written.at(-1)).toBe('');
	});
});

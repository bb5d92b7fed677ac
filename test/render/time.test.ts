import { describe, expect, it } from 'vitest';
import { relativeTime } from '../../src/render/time.js';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW - seconds * 1000).toISOString();

describe('relativeTime', () => {
	it.each([
		[0, 'just now'],
		[4, 'just now'],
		[12, '12s ago'],
		[59, '59s ago'],
		[60, '1m ago'],
		[3 * 60 + 20, '3m ago'],
		[59 * 60, '59m ago'],
		[5 * 3600, '5h ago'],
		[47 * 3600, '47h ago'],
		[4 * 86400 + 100, '4d ago'],
	])('%i seconds ago reads %s', (seconds, text) => {
		expect(relativeTime(ago(seconds), NOW)).toBe(text);
	});

	it('reads a timestamp ahead of our clock as just now, and nothing as a dash', () => {
		expect(relativeTime(ago(-30), NOW)).toBe('just now');
		expect(relativeTime(undefined, NOW)).toBe('-');
		expect(relativeTime('not a date', NOW)).toBe('-');
	});
});

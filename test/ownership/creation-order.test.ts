import { describe, expect, it } from 'vitest';
import { byCreation, compareCreatedAt } from '../../src/ownership/creation-order.js';

describe('compareCreatedAt', () => {
	it('orders by the instant named, whatever its form', () => {
		const times = [
			'2026-03-01T10:00:00.5Z',
			'2026-03-01T10:00:00Z',
			'2026-03-01T11:59:00+02:00',
			'2026-03-01T10:00:00.000001Z',
			'2026-03-01 09:30:00z',
			'2026-03-01T10:00:00.49999999Z',
		];
		expect([...times].sort(compareCreatedAt)).toEqual([
			'2026-03-01 09:30:00z',
			'2026-03-01T11:59:00+02:00',
			'2026-03-01T10:00:00Z',
			'2026-03-01T10:00:00.000001Z',
			'2026-03-01T10:00:00.49999999Z',
			'2026-03-01T10:00:00.5Z',
		]);
	});

	it('the same instant in two forms is equal; the id decides', () => {
		expect(compareCreatedAt('2026-03-01T12:00:00+02:00', '2026-03-01T10:00:00.000Z')).toBe(0);
		const a = { id: 'b', createdAt: '2026-03-01T12:00:00+02:00' };
		const b = { id: 'a', createdAt: '2026-03-01T10:00:00Z' };
		expect([a, b].sort(byCreation)).toEqual([b, a]);
	});

	it('a time that cannot be read, or has no zone, is older than any readable one', () => {
		const times = ['2026-03-01T10:00:00Z', 'yesterday', '', '2026-03-01T09:00:00'];
		expect([...times].sort(compareCreatedAt)).toEqual([
			'',
			'2026-03-01T09:00:00',
			'yesterday',
			'2026-03-01T10:00:00Z',
		]);
	});
});

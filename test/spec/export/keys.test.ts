import { describe, expect, it } from 'vitest';
import { baseKey, deriveKeys, slugify } from '../../../src/spec/export/keys.js';
import { SESSION_KEY_PATTERN } from '../../../src/spec/schema.js';

const session = (id: string, label: string, createdAt = '2026-01-01T00:00:00.000Z') => ({
	id,
	label,
	createdAt,
});

describe('slugify', () => {
	it.each([
		['Architecture review', 'architecture-review'],
		['  Fix: login bug!! ', 'fix-login-bug'],
		['Ünïcode Çafé', 'unicode-cafe'],
		['v1.2_release', 'v1.2_release'],
		['--a - . b--', 'a-b'],
		['...', ''],
		['日本語', ''],
	])('%j -> %j', (label, key) => {
		expect(slugify(label)).toBe(key);
	});

	it('drops every separator at either end, however many', () => {
		expect(slugify('Release 1..')).toBe('release-1');
		expect(slugify('..hidden.._')).toBe('hidden');
	});

	it('cuts to 63 characters and never ends on a separator', () => {
		const key = slugify(`${'a'.repeat(62)} b`);
		expect(key).toBe('a'.repeat(62));
		expect(slugify('x'.repeat(100))).toHaveLength(63);
	});

	it('always yields a key the spec accepts, or nothing', () => {
		for (const label of ['A', '-x-', 'Ab.C', '__init__', 'émoji 🎉 party', `${'z'.repeat(70)}!`]) {
			const key = slugify(label);
			if (key !== '') expect(key).toMatch(SESSION_KEY_PATTERN);
		}
	});

	it('falls back to the session id when the label slugifies to nothing', () => {
		expect(baseKey(session('codesess_3f1c0a9b2e4d', '!!!'))).toBe('codesess_3f1c0a9b2e4d');
		expect(baseKey(session('', '???'))).toBe('session');
	});
});

describe('deriveKeys', () => {
	it('gives each session a unique key, suffixing later ones -2, -3 by creation time', () => {
		const keys = deriveKeys([
			session('c', 'Review', '2026-01-03T00:00:00Z'),
			session('a', 'Review', '2026-01-01T00:00:00Z'),
			session('b', 'review!', '2026-01-02T00:00:00Z'),
		]);
		expect(Object.fromEntries(keys)).toEqual({ a: 'review', b: 'review-2', c: 'review-3' });
	});

	it('is stable: the Hub listing order does not matter, ties break by id', () => {
		const sessions = [
			session('z', 'Same'),
			session('m', 'Same'),
			session('a', 'Same'),
			session('q', 'Other', '2025-12-31T00:00:00Z'),
		];
		const first = deriveKeys(sessions);
		expect(deriveKeys([...sessions].reverse())).toEqual(first);
		expect(Object.fromEntries(first)).toEqual({ q: 'other', a: 'same', m: 'same-2', z: 'same-3' });
	});

	it('never hands out a reserved key', () => {
		const keys = deriveKeys([session('a', 'Docs review')], ['docs-review', 'docs-review-2']);
		expect(keys.get('a')).toBe('docs-review-3');
	});

	it('keeps suffixed keys within 63 characters', () => {
		const label = 'x'.repeat(80);
		const keys = deriveKeys([session('a', label), session('b', label, '2026-02-01T00:00:00Z')]);
		expect(keys.get('b')).toHaveLength(63);
		expect(keys.get('b')).toMatch(/-2$/);
		expect(keys.get('b')).toMatch(SESSION_KEY_PATTERN);
	});

	it('drops a separator the cut leaves before the suffix, so the key stays valid', () => {
		const label = `${'x'.repeat(60)} yyy`;
		const keys = deriveKeys([session('a', label), session('b', label, '2026-02-01T00:00:00Z')]);
		expect(keys.get('a')).toBe(`${'x'.repeat(60)}-yy`);
		expect(keys.get('b')).toBe(`${'x'.repeat(60)}-2`);
		expect(keys.get('b')).toMatch(SESSION_KEY_PATTERN);
	});

	it('drops every separator the cut leaves before the suffix, however many', () => {
		const label = `${'a'.repeat(59)}..b`;
		const keys = deriveKeys([session('a', label), session('b', label, '2026-02-01T00:00:00Z')]);
		expect(keys.get('a')).toBe(`${'a'.repeat(59)}..b`);
		expect(keys.get('b')).toBe(`${'a'.repeat(59)}-2`);
	});

	it('numbers many sessions of one label by creation time, whatever order they are listed in', () => {
		const sessions = Array.from({ length: 200 }, (_, i) =>
			session(
				`id-${String(i).padStart(3, '0')}`,
				'Nightly',
				new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString()
			)
		);
		// A fixed shuffle: long enough that the sort merges runs, not only inserts.
		const shuffled = sessions.map((_, i) => sessions[(i * 73) % sessions.length]!);
		const keys = deriveKeys(shuffled);
		expect(keys.get('id-000')).toBe('nightly');
		expect(keys.get('id-001')).toBe('nightly-2');
		expect(keys.get('id-199')).toBe('nightly-200');
	});
});

import { describe, expect, it } from 'vitest';
import { resolveScope } from '../../src/plan/scope.js';
import type { DesiredSession } from '../../src/kinds/session/desired.js';

const entry = (key: string, fields: Partial<DesiredSession> = {}) =>
	({ key, ...fields }) as DesiredSession;

const ENTRIES = [
	entry('docs-api', { tags: ['nightly'], metadata: { team: 'docs' } }),
	entry('docs-guide', { metadata: { team: 'docs' } }),
	entry('sdk', { tags: ['nightly'] }),
];

const scope = (only: string[], select: string[] = [], live: string[] = []) =>
	resolveScope(ENTRIES, live, { stack: 's', only, select });

describe('resolveScope', () => {
	it('is everything (no keys) without --only or --select', () => {
		expect(scope([])).toEqual({ ok: true, keys: [] });
	});

	it('expands globs over spec and live keys; a pattern matching nothing is an error', () => {
		expect(scope(['docs-*'], [], ['docs-old'])).toEqual({
			ok: true,
			keys: ['docs-api', 'docs-guide', 'docs-old'],
		});
		expect(scope(['sdk', 'web-?'])).toEqual({
			ok: false,
			message: '--only names no entry of the spec nor session of stack s: web-?',
		});
	});

	it('selects on tags and metadata, all selectors and --only together', () => {
		expect(scope([], ['tag=nightly'])).toEqual({ ok: true, keys: ['docs-api', 'sdk'] });
		expect(scope([], ['tag=nightly', 'metadata.team=docs'])).toEqual({
			ok: true,
			keys: ['docs-api'],
		});
		expect(scope(['docs-*'], ['tag=nightly'], ['docs-old'])).toEqual({
			ok: true,
			keys: ['docs-api'],
		});
		expect(scope([], ['tag=weekly'])).toMatchObject({ ok: false });
		expect(scope([], ['team=docs'])).toMatchObject({ ok: false });
		expect(scope([], ['=x'])).toMatchObject({ ok: false });
	});
});

import { describe, expect, it } from 'vitest';
import { entryEnvDigests } from '../../src/plan/env/resolve.js';
import { compareSession } from '../../src/plan/compare.js';
import { MARKER } from '../../src/ownership/markers.js';
import { buildEnvStamp, legacyTemplateDigest } from '../../src/ownership/stamp.js';
import { envKeyFrom, envKeyOf } from '../../src/core/secrets/env-key.js';
import { toLiveSession } from '../../src/hub/map.js';
import type { CoderSession } from '@agentuity/core/coder';
import { TEST_ENV_SECRET, desired, live, liveFor } from '../support/session-builders.js';

const KEYED = { CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET };
const envChange = (changes: ReturnType<typeof compareSession>) =>
	changes.find((change) => change.field === 'env')?.envKeys;

describe('the env stamp', () => {
	it('holds nothing a reader can test guesses against: no salt, no value digest without the key', () => {
		const entry = desired('a', { env: { SHORT: '${SHORT}', LIT: 'hunter2', OTHER: 'x' } });
		const stamp = buildEnvStamp(entry, { SHORT: 'a', LIT: 'hunter2', OTHER: 'x' }, undefined)!;
		expect(stamp).toMatchObject({ v: 2 });
		expect(stamp).not.toHaveProperty('s');
		expect(stamp).not.toHaveProperty('i');
		for (const entryStamp of Object.values(stamp.k)) expect(Object.keys(entryStamp)).toEqual(['s']);
		// A literal is recorded by its structure alone: two literals give the same digest.
		const other = buildEnvStamp(desired('a', { env: { LIT: 'letmein' } }), {}, undefined)!;
		expect(other.k.LIT).toEqual(stamp.k.LIT);
	});

	it('with the key: keyed digests and the key id, which differ under another key', () => {
		const entry = desired('a', { env: { T: '${T}' } });
		const one = buildEnvStamp(entry, { T: 'a' }, envKeyFrom(TEST_ENV_SECRET))!;
		const two = buildEnvStamp(entry, { T: 'a' }, envKeyFrom('another-key'))!;
		expect(one.i).toMatch(/^[0-9a-f]{16}$/);
		expect(one.i).not.toBe(two.i);
		expect(one.k.T!.v).toMatch(/^[0-9a-f]{32}$/);
		expect(one.k.T!.v).not.toBe(two.k.T!.v);
	});

	it('reads the key from CODER_SESSIONS_ENV_KEY, with the same id in every release', () => {
		// Sessions applied by an earlier release with this key still compare by value.
		expect(envKeyOf({ CODER_SESSIONS_ENV_KEY: 'k'.repeat(32) })?.id).toBe('f4f92aa525bf9bb2');
		expect(envKeyOf({ CODER_SESSIONS_ENV_KEY: '' })).toBeUndefined();
	});
});

describe('compareSession: env values', () => {
	it('a template renamed, the value equal by keyed digest: no env change', async () => {
		const before = desired('a', { env: { API_TOKEN: '${HC_SECRET}' } });
		const session = await liveFor(before, { env: { API_TOKEN: 'same-value' } });
		const after = desired('a', { env: { API_TOKEN: '${API_TOKEN}' } });
		const now = entryEnvDigests(after, { API_TOKEN: 'same-value', ...KEYED });
		expect(envChange(compareSession(after, session, now))).toBeUndefined();
		const changed = entryEnvDigests(after, { API_TOKEN: 'other-value', ...KEYED });
		expect(envChange(compareSession(after, session, changed))).toEqual([
			{ key: 'API_TOKEN', change: 'changed' },
		]);
	});

	it('a template renamed, the value echoed equal by the Hub: no env change, no key needed', () => {
		const detail = {
			sessionId: 'codesess_1',
			label: 'a',
			status: 'active',
			bucket: 'running',
			visibility: 'private',
			workflowMode: 'standard',
			tags: [],
			createdAt: '2026-01-01T00:00:00Z',
			env: { API_TOKEN: 'echoed-value' },
			metadata: {},
		} as unknown as CoderSession;
		const session = toLiveSession(detail);
		expect(JSON.stringify(session)).not.toContain('echoed-value');
		const after = desired('a', { env: { API_TOKEN: '${API_TOKEN}' } });
		const same = entryEnvDigests(after, { API_TOKEN: 'echoed-value' });
		expect(envChange(compareSession(after, session, same))).toBeUndefined();
		const other = entryEnvDigests(after, { API_TOKEN: 'new-value' });
		expect(envChange(compareSession(after, session, other))).toEqual([
			{ key: 'API_TOKEN', change: 'changed' },
		]);
	});

	it('another key: values not comparable, templates compared by structure (no false replace)', async () => {
		const entry = desired('a', { env: { T: '${T}', LIT: 'text' } });
		const session = await liveFor(entry, { env: { T: 'old' }, key: envKeyFrom('rotated') });
		const now = entryEnvDigests(entry, { T: 'new', ...KEYED });
		expect(envChange(compareSession(entry, session, now))).toBeUndefined();
		const renamed = desired('a', { env: { T: '${U}', LIT: 'text' } });
		expect(envChange(compareSession(renamed, session, now))).toEqual([
			{ key: 'LIT', change: 'unchanged' },
			{ key: 'T', change: 'changed' },
		]);
	});

	it('without the key a literal change cannot show; with it, it does', async () => {
		const entry = desired('a', { env: { LIT: 'one' } });
		const session = await liveFor(entry, { env: { LIT: 'one' } });
		const edited = desired('a', { env: { LIT: 'two' } });
		expect(envChange(compareSession(edited, session, entryEnvDigests(edited, {})))).toBeUndefined();
		expect(envChange(compareSession(edited, session, entryEnvDigests(edited, KEYED)))).toEqual([
			{ key: 'LIT', change: 'changed' },
		]);
	});

	it('a v1 stamp (salt and scrypt hashes): the value is not comparable, the template still is', () => {
		const entry = desired('a', { env: { T: '${T}' } });
		const legacy = {
			v: 1,
			s: 'c0ffee',
			k: { T: { t: legacyTemplateDigest('c0ffee', 'T', '${T}'), v: '00112233445566778899aabb' } },
		};
		const session = live({
			envKeys: ['T'],
			metadata: { [MARKER.appliedEnv]: JSON.stringify(legacy) },
		});
		const now = entryEnvDigests(entry, { T: 'whatever', ...KEYED });
		expect(envChange(compareSession(entry, session, now))).toBeUndefined();
		const renamed = desired('a', { env: { T: '${U}' } });
		expect(envChange(compareSession(renamed, session, now))).toEqual([
			{ key: 'T', change: 'changed' },
		]);
	});
});

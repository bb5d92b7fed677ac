/**
 * What plan, validate and apply say of env variables that are not set, and of env values they
 * could not compare: every variable named once, in order, with the entries that read it.
 */
import { describe, expect, it } from 'vitest';
import { planSessions } from '../../src/plan/diff.js';
import {
	missingEnvError,
	missingEnvNote,
	missingEnvOf,
	unsetSpecVariables,
	unsetVariablesNote,
} from '../../src/plan/env/missing.js';
import { describeMissing, envValueHashesFor, resolveEntryEnv } from '../../src/plan/env/resolve.js';
import { uncomparedEnvNote } from '../../src/plan/env/uncompared-note.js';
import { echoDigest, envKeyFrom } from '../../src/core/secrets/env-key.js';
import { MARKER } from '../../src/ownership/markers.js';
import { TEST_ENV_SECRET, desired, live, liveFor, spec } from '../support/session-builders.js';

const at = (line: number) => ({ source: { file: 'sessions.yaml', line, column: 3 } });
const zeta = desired('zeta', { env: { Z: '${Z_TOKEN}' }, ...at(2) });
const docs = desired('docs', { env: { API_TOKEN: '${API_TOKEN}' }, ...at(4) });
const api = desired('api', {
	env: { TOKEN: 'Bearer ${API_TOKEN}', GH: '${GH_TOKEN}' },
	...at(8),
});

describe('variables that are not set', () => {
	it('one: named with the entry that needs it', () => {
		const one = unsetSpecVariables([docs], {});
		expect(missingEnvError(one, 'Set it.').message).toBe(
			[
				'environment variable API_TOKEN not set: this plan creates or replaces sessions whose env needs it, and apply would fail on it',
				'sessions.yaml:4:3: sessions.docs.env.API_TOKEN: API_TOKEN is not set (docs is to be created with this env)',
				'Set it.',
			].join('\n')
		);
		expect(missingEnvNote(one)).toBe(
			'note: API_TOKEN is not set here (--allow-missing-env): this plan cannot promise create docs (sessions.yaml:4), whose env needs it; apply stops before any write unless it is set then'
		);
		expect(unsetVariablesNote(one)).toBe(
			'note: API_TOKEN is not set here, and read by the env of docs (sessions.yaml:4): plan fails where it creates or replaces those sessions without it'
		);
		expect(describeMissing(resolveEntryEnv(docs, {}).missing)).toBe(
			'environment variable API_TOKEN not set (needed by docs.env.API_TOKEN)'
		);
	});

	it('several: sorted by name, each entry named once in the notes', () => {
		const several = unsetSpecVariables([zeta, docs, api], {});
		expect(several.map((variable) => variable.name)).toEqual(['API_TOKEN', 'GH_TOKEN', 'Z_TOKEN']);
		expect(missingEnvError(several, 'Set them.').message).toBe(
			[
				'environment variables API_TOKEN, GH_TOKEN, Z_TOKEN not set: this plan creates or replaces sessions whose env needs them, and apply would fail on them',
				'sessions.yaml:4:3: sessions.docs.env.API_TOKEN: API_TOKEN is not set (docs is to be created with this env)',
				'sessions.yaml:8:3: sessions.api.env.TOKEN: API_TOKEN is not set (api is to be created with this env)',
				'sessions.yaml:8:3: sessions.api.env.GH: GH_TOKEN is not set (api is to be created with this env)',
				'sessions.yaml:2:3: sessions.zeta.env.Z: Z_TOKEN is not set (zeta is to be created with this env)',
				'Set them.',
			].join('\n')
		);
		expect(missingEnvNote(several)).toBe(
			'note: API_TOKEN, GH_TOKEN, Z_TOKEN are not set here (--allow-missing-env): this plan cannot promise create docs (sessions.yaml:4), create api (sessions.yaml:8), create zeta (sessions.yaml:2), whose env needs them; apply stops before any write unless they are set then'
		);
		expect(unsetVariablesNote(several)).toBe(
			'note: API_TOKEN, GH_TOKEN, Z_TOKEN are not set here, and read by the env of docs (sessions.yaml:4), api (sessions.yaml:8), zeta (sessions.yaml:2): plan fails where it creates or replaces those sessions without them'
		);
		const missing = [zeta, docs, api].flatMap((entry) => resolveEntryEnv(entry, {}).missing);
		expect(describeMissing(missing)).toBe(
			'environment variables API_TOKEN, GH_TOKEN, Z_TOKEN not set (needed by zeta.env.Z, docs.env.API_TOKEN, api.env.TOKEN, api.env.GH)'
		);
	});

	it('validate counts only active entries; plan only its creates and replaces', async () => {
		const archived = desired('old', { env: { X: '${X_TOKEN}' }, state: 'archived' });
		expect(unsetSpecVariables([archived, docs], {}).map((v) => v.name)).toEqual(['API_TOKEN']);
		// docs is created, api replaced (its task changed), zeta only updated.
		const zetaSession = await liveFor(zeta, { env: { Z: 'z' } });
		const apiSession = await liveFor({ ...api, task: 'Old task' });
		const plan = planSessions(spec([docs, api, { ...zeta, label: 'Zeta' }]), [
			zetaSession,
			apiSession,
		]);
		expect(plan.actions.map((a) => `${a.kind} ${a.key}`).sort()).toEqual([
			'create docs',
			'replace api',
			'update zeta',
		]);
		const missing = missingEnvOf(plan, { GH_TOKEN: 'gh' });
		expect(missing).toEqual([
			{
				name: 'API_TOKEN',
				neededBy: [
					expect.objectContaining({ key: 'docs', envKey: 'API_TOKEN', action: 'create' }),
					expect.objectContaining({ key: 'api', envKey: 'TOKEN', action: 'replace' }),
				],
			},
		]);
		expect(missingEnvError(missing, '').message).toContain(
			'API_TOKEN is not set (api is to be replaced with this env)'
		);
	});
});

describe('env values not compared', () => {
	const KEY = { CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET };

	it('says nothing when every value compares, or the entry has no session', async () => {
		const session = await liveFor(docs, { env: { API_TOKEN: 'a' } });
		expect(uncomparedEnvNote(spec([docs]), [session], { ...KEY, API_TOKEN: 'a' })).toBeUndefined();
		expect(uncomparedEnvNote(spec([docs]), [], {})).toBeUndefined();
		// Archived, or of another stack: not compared at all.
		const other = await liveFor(docs, { env: { API_TOKEN: 'a' }, stack: 'other' });
		const archived = { ...session, archived: true };
		expect(uncomparedEnvNote(spec([docs]), [other, archived], {})).toBeUndefined();
	});

	it('names the missing key, the unset variables, and sessions applied with another key', async () => {
		const session = await liveFor(docs, { env: { API_TOKEN: 'a' } });
		expect(uncomparedEnvNote(spec([docs]), [session], { API_TOKEN: 'a' })).toBe(
			'note: env values not compared, as CODER_SESSIONS_ENV_KEY is not set (set it to the secret the sessions were applied with to compare values); env keys and templates still are'
		);
		const apiSession = await liveFor(api, { env: { TOKEN: 'Bearer a', GH: 'g' } });
		expect(uncomparedEnvNote(spec([docs, api]), [session, apiSession], KEY)).toBe(
			'note: env values not compared, as API_TOKEN, GH_TOKEN are not set here; env keys and templates still are'
		);
		expect(uncomparedEnvNote(spec([docs]), [session], KEY)).toBe(
			'note: env values not compared, as API_TOKEN is not set here; env keys and templates still are'
		);
		const otherKey = await liveFor(docs, {
			env: { API_TOKEN: 'a' },
			key: envKeyFrom('another-key-0123456789abcdef0123456789'),
		});
		expect(uncomparedEnvNote(spec([docs]), [otherKey], { ...KEY, API_TOKEN: 'a' })).toBe(
			'note: env values not compared, as some sessions were applied with another CODER_SESSIONS_ENV_KEY or by an older version; env keys and templates still are'
		);
	});

	it('names ten unset variables and counts the rest, as a fork planned over a large stack', async () => {
		const entries = Array.from({ length: 25 }, (_, i) =>
			desired(`e${String(i).padStart(2, '0')}`, {
				env: { OWN: `\${OWN_${String(i).padStart(2, '0')}}` },
			})
		);
		const sessions = await Promise.all(
			entries.map((entry) => liveFor(entry, { env: { OWN: 'v' } }))
		);
		expect(uncomparedEnvNote(spec(entries), sessions, KEY)).toBe(
			'note: env values not compared, as OWN_00, OWN_01, OWN_02, OWN_03, OWN_04, OWN_05, OWN_06, OWN_07, OWN_08, OWN_09 and 15 more are not set here; env keys and templates still are'
		);
		expect(missingEnvNote(unsetSpecVariables(entries, {}))).toBe(
			'note: OWN_00, OWN_01, OWN_02, OWN_03, OWN_04, OWN_05, OWN_06, OWN_07, OWN_08, OWN_09 and 15 more are not set here (--allow-missing-env): this plan cannot promise create e00 (sessions.yaml:1), create e01 (sessions.yaml:1), create e02 (sessions.yaml:1), create e03 (sessions.yaml:1), create e04 (sessions.yaml:1), create e05 (sessions.yaml:1), create e06 (sessions.yaml:1), create e07 (sessions.yaml:1), create e08 (sessions.yaml:1), create e09 (sessions.yaml:1) and 15 more, whose env needs them; apply stops before any write unless they are set then'
		);
	});

	it('says nothing of values the Hub echoes, of env keys the session never had, or of values unset at create', async () => {
		const session = await liveFor(docs, { env: { API_TOKEN: 'a' } });
		const echoed = { ...session, envEcho: { API_TOKEN: echoDigest('API_TOKEN', 'a') } };
		expect(uncomparedEnvNote(spec([docs]), [echoed], { API_TOKEN: 'a' })).toBeUndefined();
		// An env key the spec adds is a change, not a value left uncompared.
		const added = desired('docs', { env: { NEW: '${NEW}' } });
		expect(uncomparedEnvNote(spec([added]), [session], {})).toBeUndefined();
		// Created while the variable was unset: no value digest to compare, and nothing to say.
		const unsetThen = await liveFor(docs, { env: {} });
		expect(
			uncomparedEnvNote(spec([docs]), [unsetThen], { ...KEY, API_TOKEN: 'a' })
		).toBeUndefined();
	});

	it('gives every reason at once, the variables sorted; an unset variable is reason enough', async () => {
		const two = desired('two', { env: { B: '${Z_TOKEN}', A: '${API_TOKEN}' } });
		const session = await liveFor(two, { env: { B: 'z', A: 'a' } });
		expect(uncomparedEnvNote(spec([two]), [session], {})).toBe(
			'note: env values not compared, as CODER_SESSIONS_ENV_KEY is not set (set it to the secret the sessions were applied with to compare values); API_TOKEN, Z_TOKEN are not set here; env keys and templates still are'
		);
		const otherKey = await liveFor(docs, {
			env: { API_TOKEN: 'a' },
			key: envKeyFrom('another-key-0123456789abcdef0123456789'),
		});
		expect(uncomparedEnvNote(spec([docs]), [otherKey], KEY)).toBe(
			'note: env values not compared, as API_TOKEN is not set here; env keys and templates still are'
		);
	});
});

describe('env digests per session', () => {
	it('for each active session of the stack whose entry has env, and each session an entry adopts', async () => {
		const ours = await liveFor(docs, { env: { API_TOKEN: 'a' } });
		const archived = { ...(await liveFor(docs)), archived: true };
		const otherStack = await liveFor(docs, { stack: 'other' });
		const noEnv = await liveFor(desired('plain'));
		const adoptable = await liveFor(desired('x'), { stack: 'other' });
		const taking = desired('taken', { env: { T: '${T}' }, adopt: adoptable.id });
		const unkeyed = live({ metadata: { [MARKER.stack]: 'docs-team' } });
		const hashes = envValueHashesFor(
			spec([docs, desired('plain'), taking]),
			[ours, archived, otherStack, noEnv, adoptable, unkeyed],
			{ API_TOKEN: 'a', T: 't' }
		);
		expect(Object.keys(hashes).sort()).toEqual([ours.id, adoptable.id].sort());
		expect(hashes[ours.id]).toEqual({ echo: { API_TOKEN: echoDigest('API_TOKEN', 'a') } });
		expect(hashes[adoptable.id]).toEqual({ echo: { T: echoDigest('T', 't') } });
	});
});

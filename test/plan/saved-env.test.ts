/**
 * The env part of a saved plan: no literal text, keyed digests only with the key, and apply's
 * read-back of literal text from the spec files, refused when it is not what was planned.
 */
import { describe, expect, it } from 'vitest';
import { planSessions } from '../../src/plan/diff.js';
import { SAVED_PLAN_KIND, SAVED_PLAN_VERSION, type SavedPlan } from '../../src/plan/saved.js';
import { changedSincePlan, savedPlanBody } from '../../src/plan/env/saved.js';
import { needsLiterals, restoreLiterals } from '../../src/plan/env/restore-literals.js';
import { envKeyFrom } from '../../src/core/secrets/env-key.js';
import { envValueKeyed } from '../../src/ownership/stamp.js';
import type { Spec } from '../../src/kinds/session/desired.js';
import {
	TEST_ENV_KEY,
	TEST_ENV_SECRET,
	desired,
	liveFor,
	spec,
} from '../support/session-builders.js';

const KEYED = { CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET };
const docs = desired('docs', {
	env: { AUTH: 'Bearer ${API_TOKEN}', PLAIN: '${GH_TOKEN}', LIT: 'hunter2' },
});
const kept = desired('kept', { env: { AUTH: 'Token ${API_TOKEN}' } });
// Replaced (its task changed): its env is sent again. plain is created with no env.
const moved = desired('moved', { env: { M: '${M}' }, task: 'New task' });
const plain = desired('plain');

async function saved(env: Record<string, string | undefined>, source: Spec = spec([docs, kept])) {
	const session = await liveFor(kept, { env: { AUTH: 'Token a' } });
	const old = await liveFor({ ...moved, task: 'Old task' }, { env: { M: 'm' } });
	const plan = planSessions(spec([docs, kept, moved, plain]), [session, old]);
	const body = savedPlanBody(source, plan, env);
	const file: SavedPlan = {
		kind: SAVED_PLAN_KIND,
		formatVersion: SAVED_PLAN_VERSION,
		createdAt: '2026-12-07T00:00:00.000Z',
		target: { local: true },
		...body,
	};
	return file;
}

describe('a saved plan', () => {
	it("holds no literal env text; with the key, keyed digests of the creates' values and of literal templates", async () => {
		const file = await saved({ ...KEYED, API_TOKEN: 'a' });
		const text = JSON.stringify(file);
		expect(text).not.toContain('hunter2');
		expect(text).not.toContain('Bearer');
		expect(needsLiterals(file)).toBe(true);
		expect(file.env.keyId).toBe(TEST_ENV_KEY.id);
		// docs is created and moved replaced; kept is unchanged, its values are not the plan's
		// to send, and plain sends no env.
		expect(Object.keys(file.env.values).sort()).toEqual(['docs', 'moved']);
		expect(file.env.values.moved).toEqual({ M: null });
		expect(file.env.values.docs).toEqual({
			AUTH: envValueKeyed(TEST_ENV_KEY, 'AUTH', 'Bearer a'),
			PLAIN: null,
			LIT: envValueKeyed(TEST_ENV_KEY, 'LIT', 'hunter2'),
		});
		// Templates with literal text, of every entry; `${GH_TOKEN}` alone has none.
		expect(Object.keys(file.env.templates).sort()).toEqual(['docs', 'kept']);
		expect(Object.keys(file.env.templates.docs!).sort()).toEqual(['AUTH', 'LIT']);
	});

	it('without the key holds no digest at all', async () => {
		const file = await saved({ API_TOKEN: 'a' });
		expect(file.env).toEqual({ values: {}, templates: {} });
	});

	it('a template with no literal text needs none read back', async () => {
		const bare = desired('bare', { env: { T: '${T}' } });
		const plan = planSessions(spec([bare]), []);
		const body = savedPlanBody(spec([bare]), plan, KEYED);
		expect(needsLiterals({ ...body } as unknown as SavedPlan)).toBe(false);
		expect(body.env.templates).toEqual({});
		// One template with literal text among others without is enough.
		const mixed = desired('mixed', { env: { A: 'Bearer ${A}', B: '${B}' } });
		const both = savedPlanBody(spec([bare, mixed]), planSessions(spec([bare, mixed]), []), KEYED);
		expect(needsLiterals({ ...both } as unknown as SavedPlan)).toBe(true);
	});
});

describe('values changed since the plan', () => {
	it('names the env keys whose value differs; unset at plan time or now is not compared', async () => {
		const file = await saved({ ...KEYED, API_TOKEN: 'a' });
		expect(
			changedSincePlan(file.env, 'docs', { AUTH: 'Bearer a', LIT: 'hunter2' }, TEST_ENV_KEY)
		).toEqual([]);
		expect(
			changedSincePlan(
				file.env,
				'docs',
				{ AUTH: 'Bearer b', PLAIN: 'g', LIT: 'hunter2' },
				TEST_ENV_KEY
			)
		).toEqual(['AUTH']);
		expect(changedSincePlan(file.env, 'other', { AUTH: 'x' }, TEST_ENV_KEY)).toEqual([]);
	});
});

describe('literal text read back from the spec files', () => {
	it('restores the templates the plan was made from, in the spec and in the actions', async () => {
		const file = await saved({ ...KEYED, API_TOKEN: 'a' });
		const restored = restoreLiterals(file, spec([docs, kept]), TEST_ENV_KEY);
		expect(restored).toMatchObject({ ok: true, unchecked: [] });
		if (!restored.ok) return;
		expect(restored.saved.spec.sessions.find((s) => s.key === 'docs')?.env).toEqual(docs.env);
		const create = restored.saved.plan.actions.find((a) => a.kind === 'create');
		expect(create && 'desired' in create && create.desired?.env).toEqual(docs.env);
	});

	it('without the key the plan was made with: restored, each template named as unchecked', async () => {
		const file = await saved({ ...KEYED, API_TOKEN: 'a' });
		for (const key of [undefined, envKeyFrom('another-key-0123456789abcdef0123456789')]) {
			const restored = restoreLiterals(file, spec([docs, kept]), key);
			expect(restored).toMatchObject({ ok: true });
			if (restored.ok)
				expect([...restored.unchecked].sort()).toEqual([
					'docs.env.AUTH',
					'docs.env.LIT',
					'kept.env.AUTH',
				]);
		}
	});

	it('refuses other literal text, another template, or an entry gone from the spec', async () => {
		const file = await saved({ ...KEYED, API_TOKEN: 'a' });
		const edited = desired('docs', {
			env: { AUTH: 'Basic ${API_TOKEN}', PLAIN: '${GH_TOKEN}', LIT: '${LIT}' },
		});
		expect(restoreLiterals(file, spec([edited]), TEST_ENV_KEY)).toEqual({
			ok: false,
			problems: [
				'docs.env.AUTH has other literal text than when the plan was made',
				'docs.env.LIT has another template than when the plan was made',
				'kept.env.AUTH is not in the spec any more',
			],
		});
	});
});

import { describe, expect, it } from 'vitest';
import { planSessions } from '../../src/plan/diff.js';
import { staleReasons } from '../../src/plan/staleness.js';
import { desired, liveFor, spec } from '../support/session-builders.js';

describe('staleReasons', () => {
	it('holds when nothing moved', async () => {
		const live = [await liveFor(desired('a', { label: 'old' }))];
		const wanted = spec([desired('a', { label: 'new' }), desired('b')]);
		expect(staleReasons(planSessions(wanted, live), planSessions(wanted, live))).toEqual([]);
	});

	it('names a create whose key appeared on the Hub', async () => {
		const wanted = spec([desired('b')]);
		const appeared = await liveFor(desired('b'));
		const reasons = staleReasons(planSessions(wanted, []), planSessions(wanted, [appeared]));
		expect(reasons).toEqual([
			`create b: a session for this key is on the Hub now (${appeared.id})`,
		]);
	});

	it('names a session edited on the Hub after the plan', async () => {
		const session = await liveFor(desired('a', { label: 'old' }));
		const wanted = spec([desired('a', { label: 'new' })]);
		const edited = { ...session, tags: ['hand-made'] };
		const reasons = staleReasons(planSessions(wanted, [session]), planSessions(wanted, [edited]));
		expect(reasons).toEqual([
			`update a (${session.id}): the session changed on the Hub since the plan was made`,
		]);
	});

	it('names new work and work no longer needed', async () => {
		const a = await liveFor(desired('a'));
		const wanted = spec([desired('a', { label: 'new' })]);
		const fixed = { ...a, label: 'new' };
		expect(staleReasons(planSessions(wanted, [a]), planSessions(wanted, [fixed]))).toEqual([
			`update a (${a.id}): now planned as noop`,
		]);
		expect(staleReasons(planSessions(wanted, [fixed]), planSessions(wanted, [a]))).toEqual([
			`a: was unchanged, now planned as update`,
		]);
	});
});

import { describe, expect, it } from 'vitest';
import { planSessions } from '../../src/plan/diff.js';
import type { ResourcePlan } from '../../src/plan/types.js';
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

	it('names an unchanged session deleted on the Hub: its create is new work', async () => {
		const a = await liveFor(desired('a'));
		const wanted = spec([desired('a')]);
		expect(staleReasons(planSessions(wanted, [a]), planSessions(wanted, []))).toEqual([
			'create a: new since the plan was made',
		]);
	});

	it('names a duplicate made on the Hub after the plan', async () => {
		const a = await liveFor(desired('a'));
		const wanted = spec([desired('a')]);
		// Older than the session the plan saw, so the fresh plan keeps that one and removes this.
		const duplicate = { ...(await liveFor(desired('a'))), createdAt: '2025-01-01T00:00:00.000Z' };
		expect(staleReasons(planSessions(wanted, [a]), planSessions(wanted, [duplicate, a]))).toEqual([
			`dedupe a (${duplicate.id}): new since the plan was made`,
		]);
	});

	it('names the session that appeared for a create by its own id, among others on the Hub', async () => {
		const a = await liveFor(desired('a'));
		const wanted = spec([desired('a'), desired('b')]);
		const appeared = await liveFor(desired('b'));
		expect(staleReasons(planSessions(wanted, [a]), planSessions(wanted, [a, appeared]))).toEqual([
			`create b: a session for this key is on the Hub now (${appeared.id})`,
		]);
	});

	it('names what the fresh plan does to a session that appeared for a create', async () => {
		const wanted = spec([desired('b', { label: 'wanted' })]);
		const appeared = await liveFor(desired('b', { label: 'made elsewhere' }));
		expect(staleReasons(planSessions(wanted, []), planSessions(wanted, [appeared]))).toEqual([
			`create b: a session for this key is on the Hub now (${appeared.id})`,
			`update b (${appeared.id}): new since the plan was made`,
		]);
	});

	it('holds while every session stays unchanged', async () => {
		const a = await liveFor(desired('a'));
		const wanted = spec([desired('a')]);
		expect(staleReasons(planSessions(wanted, [a]), planSessions(wanted, [a]))).toEqual([]);
	});

	it('goes stale when only the changes of other kinds moved', async () => {
		const a = await liveFor(desired('a'));
		const wanted = spec([desired('a')]);
		const workspace = (kind: 'noop' | 'update'): ResourcePlan => ({
			actions: [
				{
					kind,
					resource: 'workspace',
					key: 'main',
					qualifiedKey: 'workspaces.main',
					level: 10,
					reason: kind === 'noop' ? 'unchanged' : 'edited on the Hub',
					id: 'ws_1',
					...(kind === 'update'
						? { changes: [{ field: 'description', before: 'edited', after: 'main' }] }
						: {}),
				},
			],
			managed: { workspace: 1 },
			notOwned: {},
		});
		const saved = planSessions(wanted, [a], { resources: workspace('noop') });
		const fresh = planSessions(wanted, [a], { resources: workspace('update') });
		expect(staleReasons(saved, fresh)).toEqual([
			'the planned changes differ from the saved plan (fingerprint mismatch)',
		]);
	});

	it('names a session to delete that was archived on the Hub after the plan', async () => {
		const gone = await liveFor(desired('gone'));
		const wanted = spec([], { prune: 'delete' });
		const archived = { ...gone, archived: true, bucket: 'history' as const, status: 'archived' };
		expect(staleReasons(planSessions(wanted, [gone]), planSessions(wanted, [archived]))).toEqual([
			`delete gone (${gone.id}): the session changed on the Hub since the plan was made`,
		]);
	});
});

/**
 * The executor on its own: a plan carried out through the Hub client against a local Hub on
 * 127.0.0.1, with the writing facade observed (never replaced) to see what it was asked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/executor.js';
import type { ApplyEvent } from '../../src/apply/events.js';
import { connect } from '../../src/hub/client.js';
import { OutcomeUnknownError } from '../../src/hub/errors.js';
import type { CreateSessionInput, HubWriter, UpdateSessionInput } from '../../src/hub/types.js';
import { MARKER } from '../../src/ownership/markers.js';
import { planSessions } from '../../src/plan/diff.js';
import { liveRef } from '../../src/plan/live-ref.js';
import type { Action } from '../../src/plan/types.js';
import type { Spec } from '../../src/kinds/session/desired.js';
import { desired, spec } from '../support/session-builders.js';
import type { CoderCreateSessionRequest } from '@agentuity/core/coder';
import { startTestHub, type TestHub } from '../support/local-hub.js';

const hubs: TestHub[] = [];
afterEach(async () => {
	await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

async function hubWith(
	options: Parameters<typeof startTestHub>[0] = {}
): Promise<{ hub: TestHub; writer: HubWriter }> {
	const hub = await startTestHub(options);
	hubs.push(hub);
	return { hub, writer: connect({ url: hub.url }) };
}

async function planFor(writer: HubWriter, target: Spec) {
	const live = await writer.readLiveSessions();
	return { plan: planSessions(target, live), live };
}

/** The writer, counting the writes in flight at once. */
type CreateSession = HubWriter['createSession'];

/** The writer with some of its calls replaced: how a test makes the Hub answer otherwise. */
function writerWhere(writer: HubWriter, calls: Partial<HubWriter>): HubWriter {
	return Object.assign(Object.create(observed(writer).facade) as HubWriter, calls);
}

function observed(writer: HubWriter) {
	let inFlight = 0;
	let most = 0;
	const track =
		<A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
		async (...args: A): Promise<R> => {
			inFlight += 1;
			most = Math.max(most, inFlight);
			try {
				return await call(...args);
			} finally {
				inFlight -= 1;
			}
		};
	const facade: HubWriter = {
		readLiveSessions: (options) => writer.readLiveSessions(options),
		getSession: (id) => writer.getSession(id),
		findByKey: (stack, key, options) => writer.findByKey(stack, key, options),
		listSessionIds: (options) => writer.listSessionIds(options),
		readDetails: (ids, options) => writer.readDetails(ids, options),
		listSummaries: (query) => writer.listSummaries(query),
		listGitHubAccounts: () => writer.listGitHubAccounts(),
		listGitHubRepos: (account) => writer.listGitHubRepos(account),
		listLibrary: (kind) => writer.listLibrary(kind),
		findLibraryEntry: (kind, id) => writer.findLibraryEntry(kind, id),
		readParticipants: (id) => writer.readParticipants(id),
		readEventHistory: (id) => writer.readEventHistory(id),
		readReplay: (id) => writer.readReplay(id),
		readLoopState: (id) => writer.readLoopState(id),
		get calls() {
			return writer.calls;
		},
		get unavailable() {
			return writer.unavailable;
		},
		createSession: track((input) => writer.createSession(input)),
		updateSession: track((id, input) => writer.updateSession(id, input)),
		archiveSession: track((id) => writer.archiveSession(id)),
		deleteSession: track((id) => writer.deleteSession(id)),
	};
	return { facade, most: () => most };
}

const keys = ['a', 'b', 'c', 'd', 'e', 'f'];

describe('applyPlan', () => {
	it('creates every entry, at most `parallelism` writes at once, each stamped with the run', async () => {
		const { hub, writer } = await hubWith();
		const target = spec(keys.map((key) => desired(key)));
		const { plan, live } = await planFor(writer, target);
		const { facade, most } = observed(writer);
		const events: ApplyEvent[] = [];
		const result = await applyPlan(plan, facade, {
			parallelism: 2,
			env: {},
			baseline: live,
			onEvent: (event) => events.push(event),
		});
		expect(result.outcomes.map((o) => [o.action.key, o.status]).sort()).toEqual(
			keys.map((key) => [key, 'applied'])
		);
		expect(events.filter((e) => e.type === 'start')).toHaveLength(keys.length);
		expect(events.filter((e) => e.type === 'finish')).toHaveLength(keys.length);
		expect(most()).toBeLessThanOrEqual(2);
		expect(hub.stats().create).toBe(keys.length);
		expect(result).toMatchObject({ notConverged: [], otherWrites: [], duplicatesArchived: [] });
		const after = await writer.readLiveSessions();
		expect(after.map((s) => s.metadata[MARKER.run])).toEqual(keys.map(() => result.runId));
		expect(planSessions(target, after).actions.every((a) => a.kind === 'noop')).toBe(true);
	});

	it('goes on with the other actions when one cannot be done, and says why', async () => {
		const { hub, writer } = await hubWith();
		await applyPlan((await planFor(writer, spec([desired('a'), desired('b')]))).plan, writer, {
			parallelism: 2,
			env: {},
			baseline: [],
		});
		const changed = spec(['a', 'b', 'c'].map((key) => desired(key, { label: `New ${key}` })));
		const { plan, live } = await planFor(writer, changed);
		// Deleted behind the plan's back: read again before its update, it is not written.
		const gone = live.find((s) => s.metadata[MARKER.key] === 'a')!;
		await hub.client.deleteSession(gone.id);
		const result = await applyPlan(plan, writer, { parallelism: 1, env: {}, baseline: live });
		const byKey = Object.fromEntries(result.outcomes.map((o) => [o.action.key, o]));
		expect(byKey.a).toMatchObject({
			status: 'conflict',
			sessionId: gone.id,
			message: 'changed by another writer since the plan (deleted); not updated',
		});
		expect(byKey.b).toMatchObject({ status: 'applied' });
		expect(byKey.c).toMatchObject({ status: 'applied' });
		expect(result.hubUnavailable).toBeUndefined();
	});

	it('stops at a Hub that no longer answers: the actions not started are not attempted', async () => {
		const { hub, writer } = await hubWith();
		const { plan, live } = await planFor(writer, spec(keys.map((key) => desired(key))));
		await hub.close();
		const result = await applyPlan(plan, writer, { parallelism: 1, env: {}, baseline: live });
		const statuses = result.outcomes.map((o) => o.status);
		expect(statuses.filter((s) => s === 'applied')).toEqual([]);
		expect(statuses.filter((s) => s === 'not-attempted').length).toBeGreaterThanOrEqual(
			keys.length - 1
		);
		// The one in flight when the Hub stopped may or may not have happened: unknown, not failed.
		expect(result.outcomes.filter((o) => o.status !== 'not-attempted')).toEqual([
			expect.objectContaining({ status: 'unknown', message: 'the Hub stopped answering' }),
		]);
		expect(result.hubUnavailable).toMatch(/connection refused/);
		expect(result.notConverged).toEqual([]);
	});

	it('does not archive a spare copy once another writer archived the session it keeps', async () => {
		const { hub, writer } = await hubWith();
		const seed = (task: string) =>
			hub.client.createSession({
				task,
				metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'a' },
			});
		const older = (await seed('First copy')).sessionId;
		const kept = (await seed('Second copy')).sessionId;
		const live = await writer.readLiveSessions();
		const dedupe: Action = {
			kind: 'dedupe',
			key: 'a',
			live: liveRef(live.find((s) => s.id === older)!),
			keep: kept,
			reason: `duplicate of ${kept}, which is kept`,
		};
		await hub.client.archiveSession(kept);
		const result = await applyPlan({ stack: 'docs-team', actions: [dedupe] }, writer, {
			parallelism: 1,
			env: {},
			baseline: live,
		});
		expect(result.outcomes).toEqual([
			expect.objectContaining({
				status: 'conflict',
				sessionId: older,
				message: expect.stringContaining(`${kept}, the session kept, is no longer`),
			}),
		]);
		expect((await hub.client.getSession(older)).historyOnly).not.toBe(true);
		expect(hub.stats().archive).toBe(1);
	});

	it("tells another writer's session of the stack from its own", async () => {
		const { hub, writer } = await hubWith();
		const { plan, live } = await planFor(writer, spec([desired('a')]));
		await hub.client.createSession({
			task: 'Made by another apply',
			metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'stray' },
		});
		const result = await applyPlan(plan, writer, { parallelism: 2, env: {}, baseline: live });
		expect(result.outcomes.map((o) => o.status)).toEqual(['applied']);
		expect(result.otherWrites).toEqual([
			expect.objectContaining({ key: 'stray', change: 'created' }),
		]);
	});

	it('adopts a lost create only as its own: never an archived copy, one of another run or stamp', async () => {
		const { hub, writer } = await hubWith();
		const { plan, live } = await planFor(writer, spec([desired('a')]));
		let made = '';
		const lossy: HubWriter = writerWhere(writer, {
			createSession: async (input: CreateSessionInput) => {
				made = (await writer.createSession(input)).id;
				// Newer than it, each like it but for one thing: none of them is this create's.
				const copy = async (metadata: Record<string, string>) =>
					(
						await hub.client.createSession({
							...(input as CoderCreateSessionRequest),
							metadata: { ...input.metadata, ...metadata },
						})
					).sessionId;
				await hub.client.archiveSession(await copy({}));
				await copy({ [MARKER.run]: 'another-run' });
				await copy({ [MARKER.applied]: 'another stamp' });
				throw new OutcomeUnknownError('the connection was reset after the create');
			},
		});
		const result = await applyPlan(plan, lossy, { parallelism: 1, env: {}, baseline: live });
		expect(result.outcomes).toEqual([
			expect.objectContaining({
				status: 'applied',
				sessionId: made,
				message: 'response lost; found on the Hub and adopted',
			}),
		]);
		// Never sent again: the one create, and the three copies made beside it.
		expect(hub.stats().create).toBe(4);
	});

	it('takes an archive whose session was deleted meanwhile (404) as done', async () => {
		const { hub, writer } = await hubWith();
		await applyPlan((await planFor(writer, spec([desired('a')]))).plan, writer, {
			parallelism: 1,
			env: {},
			baseline: [],
		});
		const { plan, live } = await planFor(writer, spec([]));
		expect(plan.actions.map((a) => a.kind)).toEqual(['archive']);
		const racing: HubWriter = writerWhere(writer, {
			archiveSession: async (id: string) => {
				await hub.client.deleteSession(id);
				return writer.archiveSession(id);
			},
		});
		const result = await applyPlan(plan, racing, { parallelism: 1, env: {}, baseline: live });
		expect(result.outcomes.map((o) => [o.status, o.message])).toEqual([['applied', undefined]]);
	});

	it('asks the Hub nothing for a plan with nothing to write', async () => {
		const { hub, writer } = await hubWith();
		const target = spec([desired('a'), desired('b')]);
		await applyPlan((await planFor(writer, target)).plan, writer, {
			parallelism: 1,
			env: {},
			baseline: [],
		});
		const { plan, live } = await planFor(writer, target);
		expect(plan.actions.map((a) => a.kind)).toEqual(['noop', 'noop']);
		await hub.resetStats();
		const result = await applyPlan(plan, writer, { parallelism: 1, env: {}, baseline: live });
		expect(result.outcomes).toEqual([]);
		expect(hub.stats().total ?? 0).toBe(0);
	});

	for (const [moved, metadata] of [
		['to another stack', { [MARKER.stack]: 'another-team' }],
		['to another key', { [MARKER.key]: 'b' }],
	] as const) {
		it(`does not archive a spare copy once the session it keeps moved ${moved}`, async () => {
			const { hub, writer } = await hubWith();
			const seed = async (task: string) =>
				(
					await hub.client.createSession({
						task,
						metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'a' },
					})
				).sessionId;
			const spare = await seed('First copy');
			const kept = await seed('Second copy');
			const live = await writer.readLiveSessions();
			const dedupe: Action = {
				kind: 'dedupe',
				key: 'a',
				live: liveRef(live.find((s) => s.id === spare)!),
				keep: kept,
				reason: `duplicate of ${kept}, which is kept`,
			};
			await hub.client.updateSession(kept, { metadata });
			const result = await applyPlan({ stack: 'docs-team', actions: [dedupe] }, writer, {
				parallelism: 1,
				env: {},
				baseline: live,
			});
			expect(result.outcomes).toEqual([
				expect.objectContaining({
					status: 'conflict',
					message: expect.stringContaining(`${kept}, the session kept, is no longer`),
				}),
			]);
			expect((await hub.client.getSession(spare)).historyOnly).not.toBe(true);
		});
	}

	/** Sessions of keys `keys` applied, then planned against `target`. */
	async function appliedThenPlanned(
		writer: HubWriter,
		applied: readonly string[],
		target: Spec,
		options: Parameters<typeof planSessions>[2] = {}
	) {
		await applyPlan(
			(await planFor(writer, spec(applied.map((key) => desired(key))))).plan,
			writer,
			{
				parallelism: 1,
				env: {},
				baseline: [],
			}
		);
		const live = await writer.readLiveSessions();
		const idOf = (key: string) => live.find((s) => s.metadata[MARKER.key] === key)!.id;
		return { plan: planSessions(target, live, options), live, idOf };
	}

	/** The session an action keeps for its key: the one it writes, or a dedupe's `keep`. */
	const keptBy = (action: Action) =>
		'keep' in action ? action.keep : 'live' in action ? action.live?.id : undefined;

	const forgetMarkers = { metadata: { [MARKER.stack]: '', [MARKER.key]: '' } };

	it('checks what it wrote even when most of the plan had nothing to write', async () => {
		const { hub, writer } = await hubWith();
		const { plan, live } = await appliedThenPlanned(
			writer,
			['a'],
			spec([desired('a'), desired('b')])
		);
		expect(plan.actions.map((a) => a.kind)).toEqual(['create', 'noop']);
		await hub.client.createSession({
			task: 'Made by another apply',
			metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'stray' },
		});
		const result = await applyPlan(plan, writer, { parallelism: 1, env: {}, baseline: live });
		expect(result.otherWrites).toEqual([
			expect.objectContaining({ key: 'stray', change: 'created' }),
		]);
	});

	it('archives no spare copy of a key whose update did not happen, and archives it once it did', async () => {
		const { hub, writer } = await hubWith();
		await applyPlan((await planFor(writer, spec([desired('a')]))).plan, writer, {
			parallelism: 1,
			env: {},
			baseline: [],
		});
		const seedKept = () =>
			hub.client.createSession({
				task: 'Task for a',
				metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'a' },
			});
		const kept = (await seedKept()).sessionId;
		const { plan, live } = await planFor(writer, spec([desired('a', { label: 'New a' })]));
		expect(plan.actions.map((a) => [a.kind, keptBy(a)])).toEqual([
			['update', kept],
			['dedupe', kept],
		]);
		const spare = (plan.actions[1] as Extract<Action, { kind: 'dedupe' }>).live.id;
		// The kept session forgotten meanwhile: its update is not made, so the spare stays.
		await hub.client.updateSession(kept, forgetMarkers);
		const refused = await applyPlan(plan, writer, { parallelism: 1, env: {}, baseline: live });
		expect(refused.outcomes.map((o) => [o.action.kind, o.status, o.message])).toEqual([
			['update', 'conflict', expect.stringContaining('forgotten')],
			['dedupe', 'skipped', 'an earlier action for this key did not succeed'],
		]);
		expect((await hub.client.getSession(spare)).historyOnly).not.toBe(true);

		await hub.client.updateSession(kept, {
			metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'a' },
		});
		const again = await planFor(writer, spec([desired('a', { label: 'New a' })]));
		const done = await applyPlan(again.plan, writer, {
			parallelism: 1,
			env: {},
			baseline: again.live,
		});
		expect(done.outcomes.map((o) => [o.action.kind, o.status])).toEqual([
			['update', 'applied'],
			['dedupe', 'applied'],
		]);
		expect((await hub.client.getSession(spare)).historyOnly).toBe(true);
	});

	it('archives a spare copy of a key whose kept session this run replaced', async () => {
		const { hub, writer } = await hubWith();
		await applyPlan((await planFor(writer, spec([desired('a')]))).plan, writer, {
			parallelism: 1,
			env: {},
			baseline: [],
		});
		const kept = (
			await hub.client.createSession({
				task: 'Task for a',
				metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'a' },
			})
		).sessionId;
		const live = await writer.readLiveSessions();
		const plan = planSessions(spec([desired('a')]), live, { replace: ['a'] });
		expect(plan.actions.map((a) => [a.kind, keptBy(a)])).toEqual([
			['replace', kept],
			['dedupe', kept],
		]);
		const result = await applyPlan(plan, writer, { parallelism: 1, env: {}, baseline: live });
		const made = result.outcomes[0]!.sessionId!;
		expect(result.outcomes.map((o) => [o.action.kind, o.status, o.message])).toEqual([
			['replace', 'applied', `replaced ${kept}`],
			['dedupe', 'applied', undefined],
		]);
		const active = (await writer.readLiveSessions()).filter((s) => !s.archived);
		expect(active.map((s) => s.id)).toEqual([made]);
	});

	describe('a replace', () => {
		async function replaceOfA(hub: TestHub, writer: HubWriter) {
			const { plan, live, idOf } = await appliedThenPlanned(writer, ['a'], spec([desired('a')]), {
				replace: ['a'],
			});
			expect(plan.actions.map((a) => a.kind)).toEqual(['replace']);
			await hub.resetStats();
			return { plan, live, old: idOf('a') };
		}

		it.each([
			{
				when: 'its create is refused',
				create: (): CreateSession => async () => {
					throw new Error('the Hub refused the create');
				},
				outcome: ['failed', 'the Hub refused the create'],
			},
			{
				when: 'whether its create landed stays unknown',
				create: (): CreateSession => async () => {
					throw new OutcomeUnknownError('the connection was reset before an answer');
				},
				outcome: ['unknown', 'the connection was reset before an answer'],
			},
			{
				when: 'the Hub answers its create with the old session',
				create:
					(writer: HubWriter, old: string): CreateSession =>
					async () => ({ id: old, session: (await writer.getSession(old))! }),
				outcome: ['failed', 'the new session could not be told apart from the old one'],
			},
		])('archives nothing when $when', async ({ create, outcome }) => {
			const { hub, writer } = await hubWith();
			const { plan, live, old } = await replaceOfA(hub, writer);
			const answering = writerWhere(writer, { createSession: create(writer, old) });
			const result = await applyPlan(plan, answering, { parallelism: 1, env: {}, baseline: live });
			expect(result.outcomes.map((o) => [o.status, o.message])).toEqual([outcome]);
			expect(hub.stats().archive ?? 0).toBe(0);
			expect((await hub.client.getSession(old)).historyOnly).not.toBe(true);
		});

		it('leaves the old session to another writer who forgot it during the create, and says so', async () => {
			const { hub, writer } = await hubWith();
			const { plan, live, old } = await replaceOfA(hub, writer);
			const racing: HubWriter = writerWhere(writer, {
				createSession: async (input: CreateSessionInput) => {
					const made = await writer.createSession(input);
					await hub.client.updateSession(old, forgetMarkers);
					return made;
				},
			});
			const result = await applyPlan(plan, racing, { parallelism: 1, env: {}, baseline: live });
			expect(result.outcomes).toEqual([
				expect.objectContaining({
					status: 'conflict',
					sessionId: expect.not.stringMatching(old),
					message: `created, but ${old} was changed by another writer since the plan (forgotten: its markers were emptied); not archived by this run`,
				}),
			]);
			expect(hub.stats().archive ?? 0).toBe(0);
			expect((await hub.client.getSession(old)).historyOnly).not.toBe(true);
		});

		it('says the new session exists when archiving the old one fails', async () => {
			const { hub, writer } = await hubWith();
			const { plan, live, old } = await replaceOfA(hub, writer);
			const refusing: HubWriter = writerWhere(writer, {
				archiveSession: async () => {
					throw new Error('the Hub refused the archive');
				},
			});
			const result = await applyPlan(plan, refusing, { parallelism: 1, env: {}, baseline: live });
			const made = result.outcomes[0]!.sessionId!;
			expect(made).not.toBe(old);
			expect(result.outcomes.map((o) => [o.status, o.message])).toEqual([
				['failed', `created, but archiving ${old} failed: the Hub refused the archive`],
			]);
			expect((await writer.getSession(made))?.archived).toBe(false);
		});
	});

	describe('a removal whose session another writer reached first', () => {
		it('sends nothing for a session archived or deleted since the plan, and says so', async () => {
			const { hub, writer } = await hubWith();
			const { plan, live, idOf } = await appliedThenPlanned(writer, ['a', 'b'], spec([]));
			expect(plan.actions.map((a) => a.kind)).toEqual(['archive', 'archive']);
			await hub.client.archiveSession(idOf('a'));
			await hub.client.deleteSession(idOf('b'));
			await hub.resetStats();
			const result = await applyPlan(plan, writer, { parallelism: 1, env: {}, baseline: live });
			expect(result.outcomes.map((o) => [o.action.key, o.status, o.message])).toEqual([
				['a', 'applied', 'already archived'],
				['b', 'applied', 'already deleted'],
			]);
			expect(hub.stats().archive ?? 0).toBe(0);
		});

		it('deletes a session archived since the plan; one deleted already is done', async () => {
			const { hub, writer } = await hubWith();
			const { plan, live, idOf } = await appliedThenPlanned(
				writer,
				['a', 'b'],
				spec([], { prune: 'delete' })
			);
			expect(plan.actions.map((a) => a.kind)).toEqual(['delete', 'delete']);
			await hub.client.archiveSession(idOf('a'));
			await hub.client.deleteSession(idOf('b'));
			await hub.resetStats();
			const result = await applyPlan(plan, writer, { parallelism: 1, env: {}, baseline: live });
			expect(result.outcomes.map((o) => [o.action.key, o.status, o.message])).toEqual([
				['a', 'applied', undefined],
				['b', 'applied', 'already deleted'],
			]);
			expect(hub.stats().delete).toBe(1);
			expect(await writer.getSession(idOf('a'))).toBeUndefined();
		});

		for (const prune of ['archive', 'delete'] as const) {
			it(`does not ${prune} a session another writer forgot since the plan`, async () => {
				const { hub, writer } = await hubWith();
				const { plan, live, idOf } = await appliedThenPlanned(writer, ['a'], spec([], { prune }));
				await hub.client.updateSession(idOf('a'), forgetMarkers);
				const result = await applyPlan(plan, writer, { parallelism: 1, env: {}, baseline: live });
				expect(result.outcomes.map((o) => [o.status, o.message])).toEqual([
					[
						'conflict',
						`changed by another writer since the plan (forgotten: its markers were emptied); not ${prune}d`,
					],
				]);
				expect((await writer.getSession(idOf('a')))?.archived).toBe(false);
			});
		}

		it('sends nothing for a spare copy archived since the plan; one forgotten stays', async () => {
			const { hub, writer } = await hubWith();
			const seed = async (task: string) =>
				(
					await hub.client.createSession({
						task,
						metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: 'a' },
					})
				).sessionId;
			const archived = await seed('First copy');
			const forgotten = await seed('Second copy');
			const kept = await seed('Third copy');
			const live = await writer.readLiveSessions();
			const dedupe = (spare: string): Action => ({
				kind: 'dedupe',
				key: 'a',
				live: liveRef(live.find((s) => s.id === spare)!),
				keep: kept,
				reason: `duplicate of ${kept}, which is kept`,
			});
			await hub.client.archiveSession(archived);
			await hub.client.updateSession(forgotten, forgetMarkers);
			await hub.resetStats();
			const result = await applyPlan(
				{ stack: 'docs-team', actions: [dedupe(archived), dedupe(forgotten)] },
				writer,
				{ parallelism: 1, env: {}, baseline: live }
			);
			expect(result.outcomes.map((o) => [o.sessionId, o.status, o.message])).toEqual([
				[archived, 'applied', 'already archived'],
				[
					forgotten,
					'conflict',
					'changed by another writer since the plan (forgotten: its markers were emptied); not archived',
				],
			]);
			expect(hub.stats().archive ?? 0).toBe(0);
		});
	});

	it('does not adopt a session another stack adopted since the plan', async () => {
		const { hub, writer } = await hubWith();
		const target = (await hub.client.createSession({ task: 'Made by hand' })).sessionId;
		const { plan, live } = await planFor(
			writer,
			spec([desired('a', { adopt: target, task: 'Made by hand' })])
		);
		expect(plan.actions.map((a) => a.kind)).toEqual(['adopt']);
		await hub.client.updateSession(target, {
			metadata: { [MARKER.stack]: 'other-team', [MARKER.key]: 'b' },
		});
		const result = await applyPlan(plan, writer, { parallelism: 1, env: {}, baseline: live });
		expect(result.outcomes.map((o) => [o.status, o.message])).toEqual([
			[
				'conflict',
				'changed by another writer since the plan (adopted as b of stack other-team); not adopted',
			],
		]);
		expect((await writer.getSession(target))?.metadata[MARKER.stack]).toBe('other-team');
	});

	it('says the read-back could not list the sessions', async () => {
		const { writer } = await hubWith();
		const { plan, live } = await planFor(writer, spec([desired('a')]));
		const unlisting: HubWriter = writerWhere(writer, {
			listSummaries: async function* () {
				throw new Error('the listing broke off');
			},
		});
		const result = await applyPlan(plan, unlisting, { parallelism: 1, env: {}, baseline: live });
		expect(result.outcomes.map((o) => o.status)).toEqual(['applied']);
		expect(result.readBackFailure).toBe('the listing broke off');
	});

	it('stops at a Hub that stops answering while it archives the copies a re-sent create left', async () => {
		const { hub, writer } = await hubWith();
		const { plan, live } = await planFor(writer, spec([desired('a')]));
		const resending: HubWriter = writerWhere(writer, {
			// The create sent twice (a reset connection): two sessions, the first one answered.
			createSession: async (input: CreateSessionInput) => {
				const made = await writer.createSession(input);
				await writer.createSession(input);
				return made;
			},
			archiveSession: async (id: string) => {
				await hub.close();
				return writer.archiveSession(id);
			},
		});
		const result = await applyPlan(plan, resending, { parallelism: 1, env: {}, baseline: live });
		expect(result.outcomes.map((o) => o.status)).toEqual(['applied']);
		expect(result).toMatchObject({ duplicatesArchived: [], notConverged: [], otherWrites: [] });
		expect(result.hubUnavailable).toMatch(/connection refused/);
	});

	it('reads back a session it adopted when the answer to the update does not echo it', async () => {
		// A Hub whose search does not find the session by its new markers either.
		const { hub, writer } = await hubWith({ searchIgnoresMetadata: true });
		const target = (await hub.client.createSession({ task: 'Made by hand' })).sessionId;
		const { plan, live } = await planFor(
			writer,
			spec([desired('a', { adopt: target, task: 'Made by hand' })])
		);
		const terse: HubWriter = writerWhere(writer, {
			updateSession: async (id: string, input: UpdateSessionInput) => {
				await writer.updateSession(id, input);
				return undefined;
			},
		});
		const result = await applyPlan(plan, terse, { parallelism: 1, env: {}, baseline: live });
		expect(result.outcomes.map((o) => [o.status, o.sessionId])).toEqual([['applied', target]]);
		expect(result.notConverged).toEqual([]);
	});

	it('adopts the newest copy of a lost create that landed twice, and archives the other', async () => {
		// A Hub clock a second on at each reading: the two copies never share a creation time.
		let ticks = 0;
		const { hub, writer } = await hubWith({
			now: () => new Date(Date.UTC(2026, 0, 1) + ++ticks * 1000),
		});
		const { plan, live } = await planFor(writer, spec([desired('a')]));
		const made: string[] = [];
		const resentAndLost: HubWriter = writerWhere(writer, {
			createSession: async (input: CreateSessionInput) => {
				made.push((await writer.createSession(input)).id);
				made.push((await writer.createSession(input)).id);
				throw new OutcomeUnknownError('the connection was reset after the create');
			},
		});
		const result = await applyPlan(plan, resentAndLost, {
			parallelism: 1,
			env: {},
			baseline: live,
		});
		const [older, newer] = made;
		expect(result.outcomes).toEqual([
			expect.objectContaining({ status: 'applied', sessionId: newer }),
		]);
		expect(result.duplicatesArchived).toEqual([
			expect.objectContaining({ key: 'a', id: older, kept: newer }),
		]);
		expect(hub.stats().create).toBe(2);
	});
});

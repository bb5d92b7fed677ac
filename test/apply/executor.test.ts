/**
 * The executor on its own: a plan carried out through the Hub client against a local Hub on
 * 127.0.0.1, with the writing facade observed (never replaced) to see what it was asked.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applyPlan } from '../../src/apply/executor.js';
import type { ApplyEvent } from '../../src/apply/events.js';
import { connect } from '../../src/hub/client.js';
import { OutcomeUnknownError } from '../../src/hub/errors.js';
import type { CreateSessionInput, HubWriter } from '../../src/hub/types.js';
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

async function hubWith(): Promise<{ hub: TestHub; writer: HubWriter }> {
	const hub = await startTestHub();
	hubs.push(hub);
	return { hub, writer: connect({ url: hub.url }) };
}

async function planFor(writer: HubWriter, target: Spec) {
	const live = await writer.readLiveSessions();
	return { plan: planSessions(target, live), live };
}

/** The writer, counting the writes in flight at once. */
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
		const lossy: HubWriter = Object.assign(Object.create(observed(writer).facade) as HubWriter, {
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
		const racing: HubWriter = Object.assign(Object.create(observed(writer).facade) as HubWriter, {
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
});

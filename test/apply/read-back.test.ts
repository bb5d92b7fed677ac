/**
 * What apply concludes from its read-back: which copies are its own duplicates, and what another
 * writer did to the stack meanwhile. Pure functions over sessions built in memory.
 */
import { describe, expect, it } from 'vitest';
import { ownDuplicates } from '../../src/apply/duplicates.js';
import type { Outcome } from '../../src/apply/events.js';
import { otherWrites } from '../../src/apply/other-writers.js';
import { readBack, type ReadBack } from '../../src/apply/read-back.js';
import type { HubReader } from '../../src/hub/types.js';
import { MARKER } from '../../src/ownership/markers.js';
import type { Action } from '../../src/plan/types.js';
import { liveRef } from '../support/plan-builders.js';
import { desired, live } from '../support/session-builders.js';
import type { LiveSession } from '../../src/kinds/session/live.js';

const STACK = 'docs-team';
const RUN = 'run_ours';

function marked(
	key: string,
	extra: Record<string, string> = {},
	fields: Partial<LiveSession> = {}
) {
	return live({
		...fields,
		metadata: { [MARKER.stack]: STACK, [MARKER.key]: key, [MARKER.applied]: 'a1', ...extra },
	});
}

function backOf(sessions: readonly LiveSession[], appeared: readonly LiveSession[] = []): ReadBack {
	const map = new Map<string, LiveSession | undefined>();
	for (const session of [...sessions, ...appeared]) map.set(session.id, session);
	return { sessions: map, unreadable: new Map(), appeared: appeared.map((s) => s.id) };
}

const created = (key: string, sessionId: string): Outcome => ({
	action: { kind: 'create', key, desired: desired(key), reason: 'not on the Hub' },
	status: 'applied',
	sessionId,
});

describe('ownDuplicates', () => {
	it("archives only copies that carry this run's id, never another run's", () => {
		const answered = marked('a', { [MARKER.run]: RUN });
		const resent = marked('a', { [MARKER.run]: RUN });
		const otherRun = marked('a', { [MARKER.run]: 'run_theirs' });
		const duplicates = ownDuplicates(
			[created('a', answered.id)],
			backOf([], [answered, resent, otherRun]),
			STACK,
			RUN
		);
		expect(duplicates).toEqual([{ key: 'a', id: resent.id, kept: answered.id, cause: 'resent' }]);
	});
});

describe('ownDuplicates, with another writer on the key', () => {
	const at = (second: number) => `2026-02-01T00:00:${String(second).padStart(2, '0')}.000Z`;
	const unmarked = live({ createdAt: at(1), metadata: { owner: 'someone' } });
	const joined = {
		...unmarked,
		metadata: { ...marked('k5').metadata, [MARKER.run]: 'run_import' },
	};
	const mine = marked('k5', { [MARKER.run]: RUN }, { createdAt: at(9) });

	it("a session that joined the stack as the key during the run stays; this run's copy goes", () => {
		const duplicates = ownDuplicates(
			[created('k5', mine.id)],
			backOf([joined], [mine]),
			STACK,
			RUN,
			[unmarked]
		);
		expect(duplicates).toEqual([{ key: 'k5', id: mine.id, kept: joined.id, cause: 'joined' }]);
	});

	it('a session the plan listed but did not read counts as joined too', () => {
		const listing = { ids: new Set([unmarked.id]), includeArchived: false };
		const back = backOf([joined], [mine]);
		expect(ownDuplicates([created('k5', mine.id)], back, STACK, RUN, [], listing)).toEqual([
			{ key: 'k5', id: mine.id, kept: joined.id, cause: 'joined' },
		]);
	});

	it("another run's older copy stays; a younger one is left to that run", () => {
		const older = marked('k', { [MARKER.run]: 'run_theirs' }, { createdAt: at(5) });
		const younger = marked('k', { [MARKER.run]: 'run_theirs' }, { createdAt: at(20) });
		const mine = marked('k', { [MARKER.run]: RUN }, { createdAt: at(9) });
		expect(
			ownDuplicates([created('k', mine.id)], backOf([], [mine, older]), STACK, RUN).map(
				({ id, kept, cause }) => ({ id, kept, cause })
			)
		).toEqual([{ id: mine.id, kept: older.id, cause: 'other-run' }]);
		expect(ownDuplicates([created('k', mine.id)], backOf([], [mine, younger]), STACK, RUN)).toEqual(
			[]
		);
		// A copy of the same key in another stack is no copy of this one.
		const elsewhere = live({
			createdAt: at(5),
			metadata: { ...older.metadata, [MARKER.stack]: 'other-team' },
		});
		expect(
			ownDuplicates([created('k', mine.id)], backOf([], [mine, elsewhere]), STACK, RUN)
		).toEqual([]);
	});

	it('a session the plan already held as the key (a replace refused) is never a reason to go', () => {
		const old = marked('k', { [MARKER.run]: 'run_before' }, { createdAt: at(1) });
		const replacement = marked('k', { [MARKER.run]: RUN }, { createdAt: at(9) });
		const replaced: Outcome = {
			action: {
				kind: 'replace',
				key: 'k',
				live: liveRef({ id: old.id }),
				desired: desired('k'),
				changes: [],
				forcedBy: ['task'],
				reason: 'task',
			},
			status: 'applied',
			sessionId: replacement.id,
		};
		expect(ownDuplicates([replaced], backOf([old], [replacement]), STACK, RUN, [old])).toEqual([]);
	});

	it('a session that joined from another key of the stack, or from another stack, stays', () => {
		// Before the run: key k4 of this stack, or key k5 of another stack; now the key k5 here.
		for (const metadata of [
			{ ...marked('k4').metadata },
			{ ...marked('k5').metadata, [MARKER.stack]: 'other-team' },
		]) {
			const before = live({ createdAt: at(1), metadata });
			const now = { ...before, metadata: joined.metadata };
			expect(
				ownDuplicates([created('k5', mine.id)], backOf([now], [mine]), STACK, RUN, [before]),
				metadata[MARKER.stack]
			).toEqual([{ key: 'k5', id: mine.id, kept: now.id, cause: 'joined' }]);
		}
	});

	it("the oldest of other runs' copies stays, whatever order they were read in", () => {
		const older = marked('k', { [MARKER.run]: 'run_a' }, { createdAt: at(5) });
		const younger = marked('k', { [MARKER.run]: 'run_b' }, { createdAt: at(20) });
		const mine = marked('k', { [MARKER.run]: RUN }, { createdAt: at(9) });
		for (const order of [
			[younger, older, mine],
			[mine, younger, older],
		])
			expect(ownDuplicates([created('k', mine.id)], backOf([], order), STACK, RUN)).toEqual([
				{ key: 'k', id: mine.id, kept: older.id, cause: 'other-run' },
			]);
	});
});

describe('ownDuplicates, after a create the SDK re-sent', () => {
	const at = (second: number) => `2026-02-01T00:00:${String(second).padStart(2, '0')}.000Z`;
	const answered = marked('k', { [MARKER.run]: RUN }, { createdAt: at(9) });
	const resent = marked('k', { [MARKER.run]: RUN }, { createdAt: at(10) });
	const old = marked('k', { [MARKER.run]: 'run_before' }, { createdAt: at(1) });
	const replace = (status: Outcome['status']): Outcome => ({
		action: {
			kind: 'replace',
			key: 'k',
			live: liveRef({ id: old.id }),
			desired: desired('k'),
			changes: [],
			forcedBy: ['task'],
			reason: 'task',
		},
		status,
		sessionId: answered.id,
	});

	it("a replace's re-sent copy goes, as a create's does", () => {
		const back = backOf([{ ...old, archived: true }], [answered, resent]);
		expect(ownDuplicates([replace('applied')], back, STACK, RUN, [old])).toEqual([
			{ key: 'k', id: resent.id, kept: answered.id, cause: 'resent' },
		]);
	});

	it("a replace's re-sent copy goes also when a dedupe of the key follows it", () => {
		// The key had two active sessions: the replace archived one, the dedupe the other.
		const extra = marked('k', { [MARKER.run]: 'run_before' }, { createdAt: at(2) });
		const dedupe: Outcome = {
			action: {
				kind: 'dedupe',
				key: 'k',
				live: liveRef({ id: extra.id }),
				keep: old.id,
				reason: 'duplicate',
			},
			status: 'applied',
			sessionId: extra.id,
		};
		const back = backOf(
			[
				{ ...old, archived: true },
				{ ...extra, archived: true },
			],
			[answered, resent]
		);
		expect(ownDuplicates([replace('applied'), dedupe], back, STACK, RUN, [old, extra])).toEqual([
			{ key: 'k', id: resent.id, kept: answered.id, cause: 'resent' },
		]);
	});

	it('a replace that failed after its create leaves its copies to the next plan', () => {
		// Archiving the old session failed: the next plan dedupes what is left of the key.
		const back = backOf([old], [answered, resent]);
		expect(ownDuplicates([replace('failed')], back, STACK, RUN, [old])).toEqual([]);
	});

	it('a copy already archived is not archived again', () => {
		const back = backOf([], [answered, { ...resent, archived: true }]);
		expect(ownDuplicates([created('k', answered.id)], back, STACK, RUN)).toEqual([]);
	});

	it('when the session the create answered with is gone, its copy stays as the key', () => {
		for (const gone of [{ ...answered, archived: true }, undefined]) {
			const back = backOf([], [resent]);
			(back.sessions as Map<string, LiveSession | undefined>).set(answered.id, gone);
			expect(ownDuplicates([created('k', answered.id)], back, STACK, RUN)).toEqual([]);
		}
	});

	it('when the read-back could not list the Hub, nothing counts as a copy', () => {
		// Nothing appeared: this run's sessions read by id are not told from copies.
		const theirs = marked('k', { [MARKER.run]: 'run_theirs' }, { createdAt: at(5) });
		const back = { ...backOf([answered, resent, theirs]), listFailure: 'Hub unreachable' };
		expect(ownDuplicates([created('k', answered.id)], back, STACK, RUN)).toEqual([]);
	});
});

describe('otherWrites', () => {
	const action = (kind: 'archive' | 'update', key: string, session: LiveSession): Action =>
		kind === 'archive'
			? { kind, key, live: liveRef({ id: session.id }), reason: 'removed' }
			: {
					kind,
					key,
					live: liveRef({ id: session.id }),
					desired: desired(key),
					changes: [],
					stamp: 's',
					reason: 'differs',
				};

	it('names sessions of the stack another run created, changed, archived or deleted', () => {
		const untouched = marked('same');
		const changed = marked('changed', { [MARKER.run]: 'run_before' });
		const archived = marked('archived');
		const deleted = marked('deleted');
		const baseline = [untouched, changed, archived, deleted];
		const theirs = marked('new', { [MARKER.run]: 'run_theirs' });
		const back = backOf(
			[
				untouched,
				{ ...changed, metadata: { ...changed.metadata, [MARKER.run]: 'run_theirs' } },
				{ ...archived, archived: true },
			],
			[theirs]
		);
		(back.sessions as Map<string, LiveSession | undefined>).set(deleted.id, undefined);
		expect(otherWrites(STACK, RUN, baseline, back, [])).toEqual([
			{ key: 'archived', sessionId: archived.id, change: 'archived' },
			{ key: 'changed', sessionId: changed.id, change: 'changed' },
			{ key: 'deleted', sessionId: deleted.id, change: 'deleted' },
			{ key: 'new', sessionId: theirs.id, change: 'created' },
		]);
	});

	it("does not count this run's own writes, nor sessions of other stacks", () => {
		const updated = marked('upd');
		const removed = marked('gone');
		const foreign = live({ metadata: { [MARKER.stack]: 'other', [MARKER.key]: 'x' } });
		const ours = marked('mine', { [MARKER.run]: RUN });
		const back = backOf(
			[
				{
					...updated,
					metadata: { ...updated.metadata, [MARKER.run]: RUN, [MARKER.applied]: 'a2' },
				},
				{ ...removed, archived: true },
			],
			[ours, foreign]
		);
		const outcomes: Outcome[] = [
			{ action: action('update', 'upd', updated), status: 'applied', sessionId: updated.id },
			{ action: action('archive', 'gone', removed), status: 'applied', sessionId: removed.id },
			created('mine', ours.id),
		];
		expect(otherWrites(STACK, RUN, [updated, removed], back, outcomes)).toEqual([]);
	});

	it("names a session that joined the stack during the run, and a write after this run's own", () => {
		const unmarked = live({ metadata: { owner: 'someone' } });
		const joined = {
			...unmarked,
			metadata: { ...marked('k5').metadata, [MARKER.run]: 'run_import' },
		};
		const updated = marked('upd');
		const overwritten = {
			...updated,
			metadata: { ...updated.metadata, [MARKER.applied]: 'a3', [MARKER.run]: 'run_theirs' },
		};
		const back = backOf([joined, overwritten]);
		const outcomes: Outcome[] = [
			{ action: action('update', 'upd', updated), status: 'applied', sessionId: updated.id },
		];
		expect(otherWrites(STACK, RUN, [unmarked, updated], back, outcomes)).toEqual([
			{ key: 'k5', sessionId: joined.id, change: 'joined' },
			{ key: 'upd', sessionId: updated.id, change: 'changed' },
		]);
	});

	it('names a session this run wrote that another writer archived or deleted afterwards', () => {
		const archived = marked('arc');
		const deleted = marked('del');
		const back = backOf([
			{ ...archived, archived: true, metadata: { ...archived.metadata, [MARKER.run]: RUN } },
		]);
		(back.sessions as Map<string, LiveSession | undefined>).set(deleted.id, undefined);
		const outcomes: Outcome[] = [
			{ action: action('update', 'arc', archived), status: 'applied', sessionId: archived.id },
			{ action: action('update', 'del', deleted), status: 'applied', sessionId: deleted.id },
		];
		expect(otherWrites(STACK, RUN, [archived, deleted], back, outcomes)).toEqual([
			{ key: 'arc', sessionId: archived.id, change: 'archived' },
			{ key: 'del', sessionId: deleted.id, change: 'deleted' },
		]);
	});

	it("this run's removals of every kind are not another writer's, also where the answer was lost", () => {
		const old = marked('r');
		const sessions = {
			a: marked('a'),
			d: marked('d'),
			x: marked('x'),
			u: marked('u'),
			f: marked('f'),
		};
		const replacement = marked('r', { [MARKER.run]: RUN });
		const removal = (
			kind: 'archive' | 'dedupe' | 'delete',
			key: string,
			status: Outcome['status']
		): Outcome => {
			const live = liveRef({ id: sessions[key as keyof typeof sessions].id });
			const action: Action =
				kind === 'dedupe'
					? { kind, key, live, keep: 'k', reason: 'r' }
					: { kind, key, live, reason: 'r' };
			return { action, status, sessionId: live.id };
		};
		const outcomes: Outcome[] = [
			removal('archive', 'a', 'applied'),
			removal('dedupe', 'd', 'applied'),
			removal('delete', 'x', 'applied'),
			// The Hub stopped answering, or failed, after the archive landed.
			removal('archive', 'u', 'unknown'),
			removal('archive', 'f', 'failed'),
			{
				action: {
					kind: 'replace',
					key: 'r',
					live: liveRef({ id: old.id }),
					desired: desired('r'),
					changes: [],
					forcedBy: ['task'],
					reason: 'task',
				},
				status: 'applied',
				sessionId: replacement.id,
			},
		];
		const { x, ...archived } = sessions;
		const back = backOf(
			[old, ...Object.values(archived)].map((session) => ({ ...session, archived: true })),
			[replacement]
		);
		(back.sessions as Map<string, LiveSession | undefined>).set(x.id, undefined);
		expect(otherWrites(STACK, RUN, [old, ...Object.values(sessions)], back, outcomes)).toEqual([]);
	});

	it('a session archived before the run is named by nobody, also when this run forgot it', () => {
		const ended = { ...marked('ended'), archived: true };
		const forgotten = { ...marked('gone'), archived: true };
		const forgetting: Outcome = {
			action: {
				kind: 'forget',
				key: 'gone',
				live: liveRef({ id: forgotten.id }),
				markers: [],
				reason: 'r',
			},
			status: 'applied',
			sessionId: forgotten.id,
		};
		const back = backOf([
			ended,
			{ ...forgotten, metadata: { [MARKER.stack]: '', [MARKER.key]: '', [MARKER.run]: RUN } },
		]);
		expect(otherWrites(STACK, RUN, [ended, forgotten], back, [forgetting])).toEqual([]);
	});

	it('an archived session that carries the stack but was never in it has not joined it', () => {
		const unmarked = live({ metadata: {} });
		const back = backOf([{ ...unmarked, archived: true, metadata: marked('k9').metadata }]);
		expect(otherWrites(STACK, RUN, [unmarked], back, [])).toEqual([]);
	});

	it('names a session this run created, replaced or adopted that another writer wrote afterwards', () => {
		const old = marked('r');
		const fresh = marked('c', { [MARKER.run]: RUN });
		const replacement = marked('r', { [MARKER.run]: RUN });
		const unmarked = live({ metadata: {} });
		const theirs = (session: LiveSession) => ({
			...session,
			metadata: { ...session.metadata, [MARKER.run]: 'run_theirs' },
		});
		const outcomes: Outcome[] = [
			created('c', fresh.id),
			{
				action: {
					kind: 'replace',
					key: 'r',
					live: liveRef({ id: old.id }),
					desired: desired('r'),
					changes: [],
					forcedBy: ['task'],
					reason: 'task',
				},
				status: 'applied',
				sessionId: replacement.id,
			},
			{
				action: {
					kind: 'adopt',
					key: 'a',
					live: liveRef({ id: unmarked.id }),
					desired: desired('a'),
					changes: [],
					stamp: 's',
					reason: 'r',
				},
				status: 'applied',
				sessionId: unmarked.id,
			},
		];
		const adopted = { ...unmarked, metadata: marked('a', { [MARKER.run]: 'run_theirs' }).metadata };
		const back = backOf(
			[{ ...old, archived: true }, adopted],
			[theirs(fresh), theirs(replacement)]
		);
		expect(otherWrites(STACK, RUN, [old, unmarked], back, outcomes)).toEqual([
			{ key: 'a', sessionId: unmarked.id, change: 'changed' },
			{ key: 'c', sessionId: fresh.id, change: 'changed' },
			{ key: 'r', sessionId: replacement.id, change: 'changed' },
		]);
	});

	it('names what another writer did where this run wrote nothing (a conflict, a failed update)', () => {
		const refused = marked('refused');
		const failed = marked('failed');
		const outcomes: Outcome[] = [
			{ action: action('archive', 'refused', refused), status: 'conflict', sessionId: refused.id },
			{ action: action('update', 'failed', failed), status: 'failed' },
		];
		const back = backOf([refused, failed].map((session) => ({ ...session, archived: true })));
		expect(otherWrites(STACK, RUN, [refused, failed], back, outcomes)).toEqual([
			{ key: 'failed', sessionId: failed.id, change: 'archived' },
			{ key: 'refused', sessionId: refused.id, change: 'archived' },
		]);
	});

	it('an adopt refused because another command took the session first names it as joined', () => {
		const unmarked = live({ metadata: {} });
		const refused: Outcome = {
			action: {
				kind: 'adopt',
				key: 'k7',
				live: liveRef({ id: unmarked.id }),
				desired: desired('k7'),
				changes: [],
				stamp: 's',
				reason: 'r',
			},
			status: 'conflict',
			sessionId: unmarked.id,
		};
		const imported = {
			...unmarked,
			metadata: marked('k7', { [MARKER.run]: 'run_import' }).metadata,
		};
		expect(otherWrites(STACK, RUN, [unmarked], backOf([imported]), [refused])).toEqual([
			{ key: 'k7', sessionId: unmarked.id, change: 'joined' },
		]);
	});

	it("names nothing it could not read, nor this run's own writes whose answers were lost", () => {
		const unread = marked('unread');
		const written = marked('written');
		const landed = marked('landed');
		const answered = marked('copy', { [MARKER.run]: RUN });
		const resent = marked('copy', { [MARKER.run]: RUN });
		const outcomes: Outcome[] = [
			{ action: action('update', 'written', written), status: 'applied', sessionId: written.id },
			// The Hub stopped answering after the update landed.
			{ action: action('update', 'landed', landed), status: 'unknown' },
			created('copy', answered.id),
		];
		const back = {
			...backOf(
				[
					{
						...landed,
						metadata: { ...landed.metadata, [MARKER.applied]: 'a2', [MARKER.run]: RUN },
					},
				],
				[answered, resent]
			),
			unreadable: new Map([
				[unread.id, 'timed out'],
				[written.id, 'timed out'],
			]),
		};
		expect(otherWrites(STACK, RUN, [unread, written, landed], back, outcomes)).toEqual([]);
	});

	it('activity on a session (status, label by hand) is not another apply', () => {
		const session = marked('busy');
		const back = backOf([{ ...session, status: 'paused', label: 'renamed by hand' }]);
		expect(otherWrites(STACK, RUN, [session], back, [])).toEqual([]);
	});
});

describe('readBack', () => {
	/** A Hub of `sessions` whose search returns `hits` whatever is asked (all of them when unset). */
	function fakeHub(sessions: readonly LiveSession[], hits?: readonly LiveSession[]) {
		const reads: string[] = [];
		const page = (of: readonly LiveSession[]) => ({
			sessions: of.map((s) => ({ id: s.id, createdAt: s.createdAt, archived: s.archived })),
		});
		const hub = {
			listSessionIds: async () => sessions.map((s) => s.id),
			listSummaries: async function* (query: { search?: string }) {
				yield page(query.search !== undefined && hits ? hits : sessions);
			},
			getSession: async (id: string) => {
				reads.push(id);
				return sessions.find((s) => s.id === id);
			},
		} as unknown as HubReader;
		return { hub, reads };
	}

	const unmarked = Array.from({ length: 300 }, () => live({ metadata: {} }));
	const own = marked('own');
	const joined = { ...unmarked[0]!, metadata: marked('k5').metadata };
	const now = [own, joined, ...unmarked.slice(1)];

	it("reads the search's hits for the stack, which is how a session that joined it is found", async () => {
		const { hub, reads } = fakeHub(now, [own, joined]);
		const back = await readBack(hub, STACK, [own, ...unmarked], [], 4);
		expect(reads.sort()).toEqual([own.id, joined.id].sort());
		expect(otherWrites(STACK, RUN, [own, ...unmarked], back, [])).toEqual([
			{ key: 'k5', sessionId: joined.id, change: 'joined' },
		]);
	});

	it('does not read the org when the Hub ignores the search and lists everything', async () => {
		const { hub, reads } = fakeHub(now);
		await readBack(hub, STACK, [own, ...unmarked], [], 4);
		expect(reads).toEqual([own.id]);
	});
});

describe('readBack of sessions this run wrote', () => {
	/** A Hub whose search matches metadata values, or (`ignoresSearch`) lists everything. */
	function searchingHub(sessions: readonly LiveSession[], ignoresSearch = false) {
		const reads: string[] = [];
		const hub = {
			listSummaries: async function* (query: { search?: string }) {
				const found = sessions.filter(
					(s) =>
						ignoresSearch ||
						query.search === undefined ||
						Object.values(s.metadata).some((value) => value.includes(query.search!))
				);
				yield {
					sessions: found.map((s) => ({ id: s.id, createdAt: s.createdAt, archived: s.archived })),
				};
			},
			getSession: async (id: string) => {
				reads.push(id);
				return sessions.find((s) => s.id === id);
			},
		} as unknown as HubReader;
		return { hub, reads };
	}

	const before = marked('upd');
	const answered = { ...before, metadata: { ...before.metadata, [MARKER.run]: RUN } };
	const outcomes: Outcome[] = [
		{
			action: {
				kind: 'update',
				key: 'upd',
				live: liveRef({ id: before.id }),
				desired: desired('upd'),
				changes: [],
				stamp: 'a1',
				reason: 'differs',
			},
			status: 'applied',
			sessionId: before.id,
		},
	];
	const answers = { runId: RUN, sessions: new Map([[before.id, answered]]) };

	it("takes a session still carrying this run from its write's answer, without reading it", async () => {
		const { hub, reads } = searchingHub([answered]);
		const back = await readBack(hub, STACK, [before], [before.id], 4, undefined, answers);
		expect(reads).toEqual([]);
		expect(otherWrites(STACK, RUN, [before], back, outcomes)).toEqual([]);
	});

	it('reads a session another writer wrote after this run, and names the write', async () => {
		const overwritten = { ...before, metadata: { ...before.metadata, [MARKER.run]: 'run_theirs' } };
		const { hub, reads } = searchingHub([overwritten]);
		const back = await readBack(hub, STACK, [before], [before.id], 4, undefined, answers);
		expect(reads).toEqual([before.id]);
		expect(otherWrites(STACK, RUN, [before], back, outcomes)).toEqual([
			{ key: 'upd', sessionId: before.id, change: 'changed' },
		]);
	});

	it('reads every written session when the Hub ignores the search', async () => {
		const { hub, reads } = searchingHub([answered], true);
		await readBack(hub, STACK, [before], [before.id], 4, undefined, answers);
		expect(reads).toEqual([before.id]);
	});
});

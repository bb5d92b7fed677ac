/**
 * What apply concludes from its read-back: which copies are its own duplicates, and what another
 * writer did to the stack meanwhile. Pure functions over sessions built in memory.
 */
import { describe, expect, it } from 'vitest';
import { ownDuplicates } from '../../src/apply/duplicates.js';
import type { Outcome } from '../../src/apply/events.js';
import { otherWrites } from '../../src/apply/other-writers.js';
import type { ReadBack } from '../../src/apply/read-back.js';
import { MARKER } from '../../src/ownership/markers.js';
import type { Action } from '../../src/plan/types.js';
import { liveRef } from '../support/plan-builders.js';
import { desired, live } from '../support/session-builders.js';
import type { LiveSession } from '../../src/session/live.js';

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

	it('activity on a session (status, label by hand) is not another apply', () => {
		const session = marked('busy');
		const back = backOf([{ ...session, status: 'paused', label: 'renamed by hand' }]);
		expect(otherWrites(STACK, RUN, [session], back, [])).toEqual([]);
	});
});

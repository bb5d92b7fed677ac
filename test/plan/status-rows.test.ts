import { describe, expect, it } from 'vitest';
import { MARKER } from '../../src/ownership/markers.js';
import {
	buildStatusRows,
	countRows,
	lastActivityOf,
	withActivity,
} from '../../src/plan/status-rows.js';
import { desired, live, liveFor, spec } from '../support/session-builders.js';

const summary = (rows: ReturnType<typeof buildStatusRows>['rows']) =>
	rows.map(
		(row) =>
			`${row.key}:${row.sync}${row.changedFields.length > 0 ? `(${row.changedFields.join(',')})` : ''}`
	);

const marked = (key: string, fields: Parameters<typeof live>[0] = {}) =>
	live({
		...fields,
		metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: key, ...fields.metadata },
	});

describe('buildStatusRows', () => {
	it('says in sync for a session apply left as the spec wants', async () => {
		const entry = desired('a', { label: 'A', tags: ['x'] });
		const { rows } = buildStatusRows(spec([entry]), [await liveFor(entry)]);
		expect(summary(rows)).toEqual(['a:in-sync']);
	});

	it('says drifted, with the fields, when the live session differs from the spec', async () => {
		const entry = desired('a', { label: 'A', tags: ['x'] });
		const session = await liveFor(entry, { fields: { label: 'Renamed', tags: ['x', 'y'] } });
		const { rows } = buildStatusRows(spec([entry]), [session]);
		expect(summary(rows)).toEqual(['a:drifted(label,tags)']);
	});

	it('says drifted (state) for an active session the spec declares archived', async () => {
		const entry = desired('a', { state: 'archived' });
		const { rows } = buildStatusRows(spec([entry]), [await liveFor(entry)]);
		expect(summary(rows)).toEqual(['a:drifted(state)']);
	});

	it('says missing for an entry with nothing on the Hub, and for one with only an archived session', async () => {
		const gone = desired('gone');
		const archivedOnly = desired('old');
		const archived = await liveFor(archivedOnly, {
			fields: { archived: true, status: 'archived', bucket: 'history' },
		});
		const { rows } = buildStatusRows(spec([gone, archivedOnly]), [archived]);
		expect(summary(rows)).toEqual(['gone:missing', 'old:missing']);
		expect(rows[0]!.session).toBeUndefined();
		expect(rows[1]!.session?.id).toBe(archived.id);
	});

	it('says archived where the spec wants it archived, and for archived keys that left the spec', async () => {
		const wanted = desired('retired', { state: 'archived' });
		const never = desired('never', { state: 'archived' });
		const archived = await liveFor(wanted, { fields: { archived: true } });
		const leftover = marked('left', { archived: true });
		const { rows } = buildStatusRows(spec([wanted, never]), [archived, leftover]);
		expect(summary(rows)).toEqual(['left:archived', 'never:archived', 'retired:archived']);
	});

	it('says extra for an active session whose key is not in the spec', () => {
		const { rows } = buildStatusRows(spec([]), [marked('stray')]);
		expect(summary(rows)).toEqual(['stray:extra']);
	});

	it('shows every active duplicate, hides older archived history, and ignores other stacks', async () => {
		const entry = desired('a');
		const first = await liveFor(entry, { fields: { createdAt: '2026-01-01T00:00:00Z' } });
		const second = await liveFor(entry, { fields: { createdAt: '2026-01-02T00:00:00Z' } });
		const history = await liveFor(entry, {
			fields: { archived: true, createdAt: '2025-12-01T00:00:00Z' },
		});
		const foreign = live({ metadata: { [MARKER.stack]: 'other', [MARKER.key]: 'a' } });
		const unmarked = live();
		const { rows, olderArchived } = buildStatusRows(spec([entry]), [
			second,
			history,
			first,
			foreign,
			unmarked,
		]);
		expect(rows.map((row) => row.session?.id)).toEqual([first.id, second.id]);
		expect(olderArchived).toBe(1);
	});
});

describe('countRows', () => {
	it('counts rows by sync state', () => {
		const { rows } = buildStatusRows(spec([desired('gone')]), [
			marked('stray'),
			marked('old', { archived: true }),
		]);
		expect(countRows(rows, 2)).toEqual({
			sessions: 3,
			inSync: 0,
			drifted: 0,
			missing: 1,
			archived: 1,
			extra: 1,
			duplicate: 0,
			olderArchived: 2,
		});
	});
});

describe('activity', () => {
	it('attaches activity by session id and takes the latest sign of life', async () => {
		const entry = desired('a');
		const session = await liveFor(entry, { fields: { lastActivityAt: '2026-01-01T10:00:00Z' } });
		const { rows } = buildStatusRows(spec([entry, desired('b')]), [session]);
		const activity = new Map([
			[
				session.id,
				{
					participants: { count: 2, connected: 1, lastActivityAt: '2026-01-01T11:00:00Z' },
					events: { count: 40, atLeast: false, lastEventAt: '2026-01-01T10:30:00Z' },
					replay: { available: true },
				},
			],
		]);
		const [withData, missing] = withActivity(rows, activity);
		expect(withData!.activity?.participants?.count).toBe(2);
		expect(lastActivityOf(withData!)).toBe('2026-01-01T11:00:00Z');
		expect(missing!.activity).toBeUndefined();
		expect(lastActivityOf(missing!)).toBeUndefined();
	});
});

describe('duplicates', () => {
	it('marks every active session of a key but the kept one as a duplicate', () => {
		const { rows } = buildStatusRows(spec([desired('a')]), [
			marked('a', { createdAt: '2026-01-01T00:00:00Z' }),
			marked('a', { createdAt: '2026-01-02T00:00:00Z' }),
		]);
		expect(summary(rows)).toEqual(['a:duplicate', 'a:in-sync']);
		expect(countRows(rows, 0).duplicate).toBe(1);
	});
});

import { describe, expect, it } from 'vitest';
import { detectDrift, hasOutsideDrift } from '../../src/plan/drift-report.js';
import { MARKER } from '../../src/ownership/markers.js';
import { desired, live, liveFor, spec } from '../support/session-builders.js';

const marked = (key: string, metadata: Record<string, string> = {}) =>
	live({ metadata: { [MARKER.stack]: 'docs-team', [MARKER.key]: key, ...metadata } });

const brief = (report: ReturnType<typeof detectDrift>) =>
	report.sessions.map((s) => ({
		key: s.key,
		stamp: s.stamp,
		outside: s.outside.map((c) => c.field),
		pending: s.pending.map((c) => c.field),
		action: s.pendingAction,
	}));

describe('detectDrift', () => {
	it('is clean right after apply, and exits 0', async () => {
		const entries = [desired('a', { label: 'A' }), desired('b', { tags: ['x'] })];
		const report = detectDrift(spec(entries), await Promise.all(entries.map((e) => liveFor(e))));
		expect(report.counts).toEqual({
			sessions: 2,
			clean: 2,
			outside: 0,
			pending: 0,
			neverApplied: 0,
		});
		expect(hasOutsideDrift(report)).toBe(false);
	});

	it('separates hand edits from spec edits, and only hand edits are drift for the exit code', async () => {
		const a = desired('a', { label: 'A' });
		const b = desired('b', { label: 'B' });
		const handEdited = await liveFor(a, { fields: { label: 'Renamed' } });
		const report = detectDrift(spec([a, { ...b, label: 'B2' }]), [handEdited, await liveFor(b)]);
		expect(brief(report)).toEqual([
			{ key: 'a', stamp: 'applied', outside: ['label'], pending: [], action: undefined },
			{ key: 'b', stamp: 'applied', outside: [], pending: ['label'], action: undefined },
		]);
		expect(report.counts).toMatchObject({ outside: 1, pending: 1, clean: 0 });
		expect(hasOutsideDrift(report)).toBe(true);
		const pendingOnly = detectDrift(spec([{ ...b, label: 'B2' }]), [await liveFor(b)]);
		expect(hasOutsideDrift(pendingOnly)).toBe(false);
	});

	it('lists sessions without a stamp as never applied, and an unreadable stamp as a change made outside', () => {
		const report = detectDrift(spec([desired('a'), desired('b')]), [
			marked('a'),
			marked('b', { [MARKER.applied]: 'edited by hand' }),
		]);
		expect(brief(report)).toEqual([
			{ key: 'a', stamp: 'none', outside: [], pending: [], action: undefined },
			{ key: 'b', stamp: 'unreadable', outside: ['stamp'], pending: [], action: undefined },
		]);
		expect(report.counts).toMatchObject({ neverApplied: 1, outside: 1, clean: 0 });
	});

	it('reports entries apply has yet to create or adopt, and sessions it would archive or prune', async () => {
		const archivedOnly = desired('old');
		const toArchive = desired('retire', { state: 'archived' });
		const entries = [
			desired('new'),
			archivedOnly,
			toArchive,
			desired('adopted', { adopt: 'codesess_x' }),
		];
		const report = detectDrift(spec(entries), [
			await liveFor(archivedOnly, { fields: { archived: true } }),
			await liveFor(toArchive),
			await liveFor(desired('gone')),
		]);
		expect(report.sessions.map((s) => [s.key, s.pendingAction, s.note])).toEqual([
			['adopted', 'adopt', 'not adopted yet: apply adopts session codesess_x'],
			['gone', 'archive', 'not in the spec: apply archives it (prune: archive)'],
			['new', 'create', 'not on the Hub: apply creates it'],
			['old', 'create', 'only archived on the Hub: apply creates it anew'],
			['retire', 'archive', 'state: archived in the spec: apply archives it'],
		]);
		expect(report.counts).toMatchObject({ sessions: 5, pending: 5, outside: 0 });
	});

	it('follows prune for sessions whose key left the spec', async () => {
		const gone = await liveFor(desired('gone'));
		expect(detectDrift(spec([], { prune: 'delete' }), [gone]).sessions[0]?.pendingAction).toBe(
			'delete'
		);
		const kept = detectDrift(spec([], { prune: 'keep' }), [gone]);
		expect(kept.sessions[0]?.pendingAction).toBeUndefined();
		expect(kept.sessions[0]?.note).toBe('not in the spec (prune: keep leaves it)');
		expect(kept.counts).toMatchObject({ clean: 1, pending: 0 });
	});

	it('looks at active sessions of its own stack only', async () => {
		const a = desired('a', { label: 'A' });
		const history = await liveFor(a, {
			fields: { archived: true, label: 'Changed after archiving' },
		});
		const foreign = await liveFor(a, { stack: 'other', fields: { label: 'Not ours' } });
		const report = detectDrift(spec([a]), [await liveFor(a), history, foreign]);
		expect(report.counts).toEqual({
			sessions: 1,
			clean: 1,
			outside: 0,
			pending: 0,
			neverApplied: 0,
		});
	});
});

/** Which listed sessions a lost create can have made: the ones read in detail to find it. */
import { describe, expect, it } from 'vitest';
import { JUST_CREATED_WINDOW_MS, justCreatedAmong } from '../../src/hub/just-created.js';
import type { SessionSummary } from '../../src/hub/types.js';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const at = (ms: number) => new Date(ms).toISOString();
const minutes = (n: number) => n * 60_000;
const listed = (id: string, createdMs: number, fields: Partial<SessionSummary> = {}) => ({
	id,
	createdAt: at(createdMs),
	archived: false,
	...fields,
});

describe('sessions a create sent a moment ago can have made', () => {
	it('are those created within the window before the latest time listed, not the older ones', () => {
		const sessions = [
			listed('old', NOW - minutes(60)),
			listed('edge', NOW - JUST_CREATED_WINDOW_MS),
			listed('past-edge', NOW - JUST_CREATED_WINDOW_MS - 1),
			listed('new', NOW),
		];
		expect(justCreatedAmong(sessions, {}, NOW)).toEqual(['edge', 'new']);
	});

	it('go by the Hub clock when it is behind ours: its newest time stands for its now', () => {
		const hubNow = NOW - minutes(60);
		const sessions = [listed('older', hubNow - minutes(20)), listed('landed', hubNow)];
		expect(justCreatedAmong(sessions, {}, NOW)).toEqual(['landed']);
	});

	it('go by our clock when the Hub is ahead, so nothing it made lately is left out', () => {
		const sessions = [listed('old', NOW - minutes(60)), listed('ahead', NOW + minutes(60))];
		expect(justCreatedAmong(sessions, {}, NOW)).toEqual(['ahead']);
	});

	it('go by creation times only: an activity time ahead of the Hub clock leaves the landed session in', () => {
		const hubNow = NOW - minutes(180);
		const sessions = [
			listed('busy', hubNow - minutes(120), { lastActivityAt: at(NOW + minutes(24 * 60)) }),
			listed('active', hubNow - minutes(30), { lastActivityAt: at(hubNow) }),
			listed('landed', hubNow),
		];
		expect(justCreatedAmong(sessions, {}, NOW)).toEqual(['landed']);
	});

	it('hold the label the create sent, when it sent one and the listing shows labels', () => {
		const sessions = [
			listed('same', NOW, { label: 'Docs review' }),
			listed('other', NOW, { label: 'Something else' }),
			listed('unlabelled', NOW),
		];
		expect(justCreatedAmong(sessions, { label: 'Docs review' }, NOW)).toEqual([
			'same',
			'unlabelled',
		]);
		expect(justCreatedAmong(sessions, {}, NOW)).toEqual(['same', 'other', 'unlabelled']);
	});

	it('keep a session whose creation time cannot be read', () => {
		const sessions = [
			listed('old', NOW - minutes(60)),
			{ ...listed('odd', 0), createdAt: 'soon' },
			listed('new', NOW),
		];
		expect(justCreatedAmong(sessions, {}, NOW)).toEqual(['odd', 'new']);
	});
});

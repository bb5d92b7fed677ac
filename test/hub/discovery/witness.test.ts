import { describe, expect, it } from 'vitest';
import {
	matchedThroughMetadata,
	matchedThroughToken,
	recentSessions,
	searchCutoff,
	SEARCH_LAG_MS,
} from '../../../src/hub/discovery/witness.js';
import { MARKER } from '../../../src/ownership/markers.js';
import { stackToken } from '../../../src/ownership/search-token.js';
import { live } from '../../support/session-builders.js';

const STACK = 'orbit';
const marked = (fields: Parameters<typeof live>[0] = {}, metadata: Record<string, string> = {}) =>
	live({
		label: 'Review',
		task: 'Review the docs',
		...fields,
		metadata: { [MARKER.stack]: STACK, [MARKER.key]: 'review', ...metadata },
	});

describe('matchedThroughMetadata', () => {
	it('is true when the stack is named by its marker only', () => {
		expect(matchedThroughMetadata(STACK, marked())).toBe(true);
	});

	it('is false when the label, the task or another metadata value names the stack too', () => {
		expect(matchedThroughMetadata(STACK, marked({ label: 'Orbit review' }))).toBe(false);
		expect(matchedThroughMetadata(STACK, marked({ task: 'check the ORBIT' }))).toBe(false);
		expect(matchedThroughMetadata(STACK, marked({}, { team: 'orbit-crew' }))).toBe(false);
	});

	it('is false for another stack, and when the detail does not echo the task', () => {
		expect(matchedThroughMetadata('orbit-2', marked())).toBe(false);
		expect(matchedThroughMetadata(STACK, marked({ task: undefined }))).toBe(false);
	});
});

describe('matchedThroughToken', () => {
	const token = stackToken(STACK);
	const named = (fields: Parameters<typeof live>[0] = {}, metadata: Record<string, string> = {}) =>
		marked(
			{ task: 'Review the orbit docs', ...fields },
			{ [MARKER.searchToken]: token, ...metadata }
		);

	it('is true for a session of the stack holding its token in the token marker only, whatever its task says', () => {
		expect(matchedThroughMetadata(STACK, named())).toBe(false);
		expect(matchedThroughToken(STACK, named())).toBe(true);
	});

	it('is false when the token is copied into the label, the task or another metadata value', () => {
		expect(matchedThroughToken(STACK, named({ label: `see ${token}` }))).toBe(false);
		expect(matchedThroughToken(STACK, named({ task: `Copy ${token.toUpperCase()}` }))).toBe(false);
		expect(matchedThroughToken(STACK, named({}, { note: token }))).toBe(false);
	});

	it("is false without the token, with another stack's token or stack, and without the task echoed", () => {
		expect(matchedThroughToken(STACK, marked())).toBe(false);
		expect(
			matchedThroughToken(STACK, named({}, { [MARKER.searchToken]: stackToken('orbit-2') }))
		).toBe(false);
		expect(matchedThroughToken('orbit-2', named())).toBe(false);
		// The stack's token copied onto a session of another stack.
		expect(matchedThroughToken(STACK, named({}, { [MARKER.stack]: 'orbit-2' }))).toBe(false);
		expect(matchedThroughToken(STACK, named({ task: undefined }))).toBe(false);
	});
});

describe('stackToken', () => {
	it('is the same for a stack on every run, one lowercase word, and differs between stacks', () => {
		expect(stackToken('big')).toBe(stackToken('big'));
		expect(stackToken('big')).toMatch(/^[a-z0-9]{22}$/);
		expect(stackToken('big')).not.toBe(stackToken('Big'));
		expect(stackToken('big')).not.toContain('big');
	});
});

describe('recent sessions', () => {
	const at = (minutesAgo: number, now: number) => new Date(now - minutesAgo * 60_000).toISOString();
	const now = Date.parse('2026-06-01T12:00:00Z');

	it('takes the earlier of the local clock and the newest time the Hub listed', () => {
		const listed = [{ id: 'a', createdAt: at(30, now), archived: false }];
		const both = (ms: number) => ({ createdMs: ms, activeMs: ms });
		expect(searchCutoff(listed, now)).toEqual(both(now - 30 * 60_000 - SEARCH_LAG_MS));
		expect(searchCutoff(listed, now - 60 * 60_000)).toEqual(
			both(now - 60 * 60_000 - SEARCH_LAG_MS)
		);
		expect(searchCutoff([], now)).toEqual(both(now - SEARCH_LAG_MS));
	});

	it('an unreadable time in the listing leaves the latest time the Hub listed to decide', () => {
		const listed = [
			{ id: 'a', createdAt: at(30, now), archived: false },
			{ id: 'odd', createdAt: 'not a time', archived: false },
			{ id: 'touched', createdAt: at(40, now), lastActivityAt: 'soon', archived: false },
		];
		// The local clock is three hours ahead of the Hub's.
		expect(searchCutoff(listed, now + 3 * 3_600_000).createdMs).toBe(
			now - 30 * 60_000 - SEARCH_LAG_MS
		);
	});

	it('an activity time ahead of a Hub clock behind ours leaves a session created a moment ago in', () => {
		// The Hub's clock is three hours behind ours; one session was active "tomorrow".
		const hubNow = now - 3 * 3_600_000;
		const listed = [
			{ id: 'odd', createdAt: at(600, now), lastActivityAt: at(-24 * 60, now), archived: false },
			{ id: 'old', createdAt: at(60, hubNow), archived: false },
			{ id: 'landed', createdAt: at(0, hubNow), archived: false },
		];
		expect(recentSessions(listed, searchCutoff(listed, now)).map((s) => s.id)).toEqual([
			'odd',
			'landed',
		]);
	});

	it('reads in detail what was created within 15 minutes of the newest creation, or active within 15 minutes of the newest time', () => {
		const listed = [
			{ id: 'latest', createdAt: at(120, now), lastActivityAt: at(0, now), archived: false },
			{ id: 'created-14', createdAt: at(14, now), archived: false },
			{ id: 'created-15', createdAt: at(15, now), archived: false },
			{ id: 'created-16', createdAt: at(16, now), archived: false },
			{ id: 'active-15', createdAt: at(90, now), lastActivityAt: at(15, now), archived: false },
			{ id: 'active-16', createdAt: at(90, now), lastActivityAt: at(16, now), archived: false },
		];
		// The local clock is an hour ahead of the Hub's: the Hub's latest time decides.
		const cutoff = searchCutoff(listed, now + 60 * 60_000);
		expect(recentSessions(listed, cutoff).map((s) => s.id)).toEqual([
			'latest',
			'created-14',
			'created-15',
			'created-16',
			'active-15',
		]);
	});

	it('keeps sessions created or active since the cutoff, and those with unreadable times', () => {
		const cutoff = { createdMs: now - SEARCH_LAG_MS, activeMs: now - SEARCH_LAG_MS };
		const listed = [
			{ id: 'old', createdAt: at(60, now), lastActivityAt: at(50, now), archived: false },
			{ id: 'new', createdAt: at(5, now), archived: false },
			{ id: 'touched', createdAt: at(60, now), lastActivityAt: at(1, now), archived: false },
			{ id: 'odd', createdAt: 'not a time', archived: false },
		];
		expect(recentSessions(listed, cutoff).map((s) => s.id)).toEqual(['new', 'touched', 'odd']);
	});
});

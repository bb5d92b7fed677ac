import { describe, expect, it } from 'vitest';
import {
	latest,
	toEventHistorySummary,
	toParticipantSummary,
	toReplaySummary,
} from '../../src/hub/activity-map.js';

const event = (id: number, occurredAt: string) => ({ id, event: 'message', occurredAt });

describe('session data mapping', () => {
	it('counts participants, the connected ones, and their latest activity', () => {
		const summary = toParticipantSummary({
			sessionId: 's',
			participants: [
				{
					id: 'lead',
					role: 'agent',
					connectedAt: '2026-01-01T10:00:00Z',
					lastActivityAt: '2026-01-01T10:05:00Z',
				},
				{
					id: 'alice',
					role: 'observer',
					connectedAt: '2026-01-01T09:00:00Z',
					disconnectedAt: '2026-01-01T11:00:00Z',
				},
			],
		});
		expect(summary).toEqual({ count: 2, connected: 1, lastActivityAt: '2026-01-01T11:00:00Z' });
		expect(toParticipantSummary({ sessionId: 's', participants: [] })).toEqual({
			count: 0,
			connected: 0,
		});
	});

	it("counts the events of the page, never trusting a Hub's total, newest first or last", () => {
		const newestFirst = {
			sessionId: 's',
			total: 120,
			events: [event(2, '2026-01-01T10:01:00Z'), event(1, '2026-01-01T10:00:00Z')],
		};
		expect(toEventHistorySummary(newestFirst, 50)).toEqual({
			count: 2,
			atLeast: false,
			lastEventAt: '2026-01-01T10:01:00Z',
		});
		const oldestFirst = { ...newestFirst, events: [...newestFirst.events].reverse() };
		expect(toEventHistorySummary(oldestFirst, 50)).toEqual(toEventHistorySummary(newestFirst, 50));
	});

	it('says "at least" when the page was full, whatever total the Hub gives', () => {
		const events = Array.from({ length: 3 }, (_, i) => event(i, `2026-01-01T10:0${i}:00Z`));
		expect(toEventHistorySummary({ sessionId: 's', events }, 3)).toMatchObject({
			count: 3,
			atLeast: true,
		});
		expect(toEventHistorySummary({ sessionId: 's', events, total: 3 }, 3)).toMatchObject({
			count: 3,
			atLeast: true,
		});
		expect(toEventHistorySummary({ sessionId: 's', events: [] }, 3)).toEqual({
			count: 0,
			atLeast: false,
		});
	});

	it("reports a replay as available when it has entries (the REST reference's shape), events or a payload", () => {
		const documented = { sessionId: 's', entriesSource: 'session_entries', entries: [{}] };
		expect(toReplaySummary(documented)).toEqual({ available: true });
		expect(toReplaySummary({ ...documented, entriesSource: 'none', entries: [] })).toEqual({
			available: false,
		});
		expect(toReplaySummary({ sessionId: 's', events: [] })).toEqual({ available: false });
		expect(toReplaySummary({ sessionId: 's', events: [{}] })).toEqual({ available: true });
		expect(toReplaySummary({ sessionId: 's', replay: { frames: 3 } })).toEqual({ available: true });
	});

	it('picks the latest parsable timestamp', () => {
		expect(
			latest([undefined, 'garbage', '2026-01-01T00:00:00Z', '2025-12-31T23:59:59+00:00'])
		).toBe('2026-01-01T00:00:00Z');
		expect(latest([])).toBeUndefined();
	});
});

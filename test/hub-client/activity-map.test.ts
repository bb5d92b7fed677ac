import { describe, expect, it } from 'vitest';
import {
	latest,
	toEventHistorySummary,
	toParticipantSummary,
	toReplaySummary,
} from '../../src/hub-client/activity-map.js';

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

	it("takes the event count from the Hub's total and the newest event from either end", () => {
		const first = {
			sessionId: 's',
			total: 120,
			events: [event(1, '2026-01-01T10:00:00Z'), event(2, '2026-01-01T10:01:00Z')],
		};
		const last = { sessionId: 's', total: 120, events: [event(120, '2026-01-02T08:00:00Z')] };
		expect(toEventHistorySummary([first, last], 50)).toEqual({
			count: 120,
			atLeast: false,
			lastEventAt: '2026-01-02T08:00:00Z',
		});
	});

	it('says "at least" when the Hub gives no total and the page was full', () => {
		const events = Array.from({ length: 3 }, (_, i) => event(i, `2026-01-01T10:0${i}:00Z`));
		expect(toEventHistorySummary([{ sessionId: 's', events }], 3)).toMatchObject({
			count: 3,
			atLeast: true,
		});
		expect(toEventHistorySummary([{ sessionId: 's', events: [] }], 3)).toEqual({
			count: 0,
			atLeast: false,
		});
	});

	it('reports a replay as available when it has events or a payload', () => {
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

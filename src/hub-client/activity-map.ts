/** Maps the SDK's participants, event history and replay payloads to the summaries `status` shows. */
import type {
	CoderSessionEventHistory,
	CoderSessionParticipants,
	CoderSessionReplay,
} from '@agentuity/core/coder';
import type { EventHistorySummary, ParticipantSummary, ReplaySummary } from './types.js';

export function toParticipantSummary(payload: CoderSessionParticipants): ParticipantSummary {
	const { participants } = payload;
	return {
		count: participants.length,
		connected: participants.filter((p) => !p.disconnectedAt).length,
		lastActivityAt: latest(
			participants.flatMap((p) => [p.lastActivityAt, p.connectedAt, p.disconnectedAt])
		),
	};
}

/**
 * `pages` are the first page and, when the Hub's total says there are more, the last event:
 * the Hub documents no order, so the newest event is the latest of both ends.
 */
export function toEventHistorySummary(
	pages: readonly CoderSessionEventHistory[],
	pageSize: number
): EventHistorySummary {
	const first = pages[0];
	const returned = first?.events.length ?? 0;
	return {
		count: first?.total ?? returned,
		atLeast: first?.total === undefined && returned >= pageSize,
		lastEventAt: latest(pages.flatMap((page) => page.events.map((event) => event.occurredAt))),
	};
}

export function toReplaySummary(payload: CoderSessionReplay): ReplaySummary {
	const hasEvents = (payload.events?.length ?? 0) > 0;
	return { available: hasEvents || (payload.replay !== undefined && payload.replay !== null) };
}

/** The latest of some ISO-8601 timestamps; unparsable ones are ignored. */
export function latest(timestamps: readonly (string | undefined)[]): string | undefined {
	let best: string | undefined;
	let bestTime = -Infinity;
	for (const timestamp of timestamps) {
		const time = timestamp === undefined ? NaN : Date.parse(timestamp);
		if (Number.isNaN(time) || time <= bestTime) continue;
		best = timestamp;
		bestTime = time;
	}
	return best;
}

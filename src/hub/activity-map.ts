/** Maps the SDK's participants, event history and replay payloads to the summaries `status` shows. */
import type {
	CoderLoopStateResponse,
	CoderSessionEventHistory,
	CoderSessionParticipants,
	CoderSessionReplay,
} from '@agentuity/core/coder';
import type {
	EventHistorySummary,
	LoopSummary,
	ParticipantSummary,
	ReplaySummary,
} from './types.js';

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
 * One page of history, asked for `pageSize` events. The REST reference pages newest first (by
 * `beforeId`), the SDK by offset; neither order nor a `total` is relied on: the count is what the
 * page holds (at least that many when it is full, whatever `total` a Hub adds), the newest event
 * the latest of its times. A Hub that answered oldest first may have newer events past a full
 * page; `status` also takes the session's own `lastActivityAt`, which covers them.
 */
export function toEventHistorySummary(
	page: CoderSessionEventHistory,
	pageSize: number
): EventHistorySummary {
	const returned = page.events.length;
	return {
		count: returned,
		atLeast: returned >= pageSize,
		lastEventAt: latest(page.events.map((event) => event.occurredAt)),
	};
}

/**
 * The REST reference's replay is `{sessionId, entriesSource, sourceCounts, entries}`; the SDK's
 * schema names `events` and `replay`. Any of them with something in it is a replay.
 */
export function toReplaySummary(payload: CoderSessionReplay): ReplaySummary {
	const wire = payload as CoderSessionReplay & { entries?: unknown };
	const filled = (value: unknown) =>
		Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null;
	return { available: filled(wire.entries) || filled(payload.events) || filled(payload.replay) };
}

/** The loop's status, iteration, summary and next action; undefined outside loop mode. */
export function toLoopSummary(payload: CoderLoopStateResponse): LoopSummary | undefined {
	const loop = payload.loop;
	if (!loop) return undefined;
	return {
		status: loop.status,
		iteration: loop.iteration,
		...(loop.maxIterations !== undefined ? { maxIterations: loop.maxIterations } : {}),
		...(loop.summary !== undefined ? { summary: loop.summary } : {}),
		...(loop.nextAction !== undefined ? { nextAction: loop.nextAction } : {}),
	};
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

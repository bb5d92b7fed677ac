/**
 * Which listed sessions a create sent a moment ago, whose answer was lost, can have made: read
 * those in detail rather than the whole org when the Hub's search does not find it (a search
 * that ignores metadata, or has not indexed the session yet).
 */
import type { JustCreated, SessionSummary } from './types.js';

/**
 * How long before the Hub's latest time a session made by a create just sent can have been
 * created. The create was sent moments before the lookup; this leaves the Hub minutes to commit
 * it, and the two clocks minutes apart.
 */
export const JUST_CREATED_WINDOW_MS = 15 * 60 * 1000;

/**
 * The ids of the listed sessions created within the window of the Hub's latest time (the newest
 * creation time the listing shows: the landed session itself, if any, or our clock if earlier),
 * holding the label the create sent, if it sent one. A time the listing does not give, or cannot
 * be read, keeps the session.
 *
 * Only creation times stand for the Hub's clock: the landed session's is never later than the
 * newest of them, while one activity time ahead of the Hub's (a client or a node whose clock runs
 * ahead) would move the window past the landed session when the Hub is behind us.
 */
export function justCreatedAmong(
	listed: readonly SessionSummary[],
	sent: JustCreated,
	nowMs: number
): string[] {
	let newest = -Infinity;
	for (const session of listed) {
		const time = timeOf(session.createdAt);
		if (Number.isFinite(time)) newest = Math.max(newest, time);
	}
	const cutoff = Math.min(nowMs, Number.isFinite(newest) ? newest : nowMs) - JUST_CREATED_WINDOW_MS;
	return listed
		.filter(
			(session) =>
				!(timeOf(session.createdAt) < cutoff) &&
				(sent.label === undefined || session.label === undefined || session.label === sent.label)
		)
		.map((session) => session.id);
}

function timeOf(text: string | undefined): number {
	return text === undefined ? Number.NaN : Date.parse(text);
}

/** Timestamps as people read them in a table. Pure: the clock is passed in. */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `12s ago`, `3m ago`, `5h ago`, `4d ago`; `just now` for the last few seconds or a clock ahead of ours. */
export function relativeTime(iso: string | undefined, nowMs: number): string {
	if (iso === undefined) return '-';
	const then = Date.parse(iso);
	if (Number.isNaN(then)) return '-';
	const seconds = Math.floor((nowMs - then) / 1000);
	if (seconds < 5) return 'just now';
	if (seconds < MINUTE) return `${seconds}s ago`;
	if (seconds < HOUR) return `${Math.floor(seconds / MINUTE)}m ago`;
	if (seconds < 2 * DAY) return `${Math.floor(seconds / HOUR)}h ago`;
	return `${Math.floor(seconds / DAY)}d ago`;
}

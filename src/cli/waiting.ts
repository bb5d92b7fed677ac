/**
 * On a terminal, a Hub that is slow to answer shows as such: once a request has waited a few
 * seconds, one transient line says for how long, and when the run gives up on it. Without it a
 * silent Hub looks like a hung tool.
 */
import type { Waiting } from '../hub/breaker.js';

/** A request unanswered for this long is shown. */
export const SHOW_WAITING_AFTER_MS = 3000;
const CHECK_EVERY_MS = 1000;

/**
 * Shows the oldest unanswered request through `write` (a transient line; '' clears it) until the
 * returned function is called.
 */
export function showWaiting(
	write: (text: string) => void,
	oldest: () => Waiting | undefined,
	every: (check: () => void, ms: number) => () => void = repeat
): () => void {
	let shown = false;
	const check = () => {
		const waiting = oldest();
		if (waiting && waiting.sinceMs >= SHOW_WAITING_AFTER_MS) {
			shown = true;
			write(waitingLine(waiting));
		} else if (shown) {
			shown = false;
			write('');
		}
	};
	const stop = every(check, CHECK_EVERY_MS);
	return () => {
		stop();
		if (shown) write('');
	};
}

export function waitingLine(waiting: Waiting): string {
	const seconds = Math.floor(waiting.sinceMs / 1000);
	const limit = Math.round(waiting.timeoutMs / 100) / 10;
	return `Waiting for the Hub at ${waiting.origin}: no answer for ${seconds} s (giving up after ${limit} s)...`;
}

function repeat(check: () => void, ms: number): () => void {
	const timer = setInterval(check, ms);
	timer.unref();
	return () => clearInterval(timer);
}

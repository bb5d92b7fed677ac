/**
 * A client-side brake shared by every worker: when the Hub answers 429, all calls wait out its
 * Retry-After (or a growing back-off when it named none), then the refused call is sent again.
 * A 429 means the Hub did nothing, so sending again is safe even for a create. A Hub whose limit
 * is below the parallelism refuses some of the woken calls again; that is progress, not failure,
 * so a call gives up only after a time budget, and woken calls are spread by a little jitter.
 */
import { RateLimitedError } from './errors.js';

const BUDGET_MS = 120_000;
const BASE_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;
const JITTER_MS = 200;

export class Throttle {
	private resumeAt = 0;
	limited = 0;

	constructor(
		private readonly sleep: (ms: number) => Promise<void> = (ms) =>
			new Promise((r) => setTimeout(r, ms)),
		// Monotonic: a wall clock set back (NTP, a laptop waking) would make the wait below hours.
		private readonly now: () => number = () => performance.now(),
		private readonly random: () => number = Math.random
	) {}

	async run<T>(call: () => Promise<T>): Promise<T> {
		const started = this.now();
		// What this call has waited, counted apart from the clock: a clock that goes back would
		// otherwise never see the budget spent.
		let waited = 0;
		for (let refusals = 0; ;) {
			// No wait is longer than the budget, whatever the clock did since resumeAt was set.
			const wait = Math.min(this.resumeAt - this.now(), BUDGET_MS);
			if (wait > 0) {
				await this.sleep(wait + this.random() * JITTER_MS);
				waited += wait;
			}
			try {
				return await call();
			} catch (error) {
				const spent = Math.max(this.now() - started, waited);
				if (!(error instanceof RateLimitedError) || spent > BUDGET_MS) throw error;
				refusals += 1;
				this.limited += 1;
				const growing = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (refusals - 1));
				// A Retry-After of 0, negative or in the past asks for no wait at all: a Hub that
				// keeps refusing would be asked again at once, as fast as it answers.
				const asked = error.retryAfterMs;
				const backoff = asked !== undefined && asked >= BASE_BACKOFF_MS ? asked : growing;
				// A Retry-After longer than the whole budget (hours, or 1e12 seconds, which no timer
				// can hold) is not waited for at all: the call fails now, saying why.
				if (backoff > BUDGET_MS) {
					throw new RateLimitedError(
						`${error.message}, which asks to wait ${describeWait(backoff)}: longer than the ${BUDGET_MS / 1000} s coder-sessions waits out a rate limit; run again later`,
						error.retryAfterMs
					);
				}
				this.resumeAt = Math.max(this.resumeAt, this.now() + backoff);
			}
		}
	}
}

function describeWait(ms: number): string {
	const seconds = Math.ceil(ms / 1000);
	if (seconds < 120) return `${seconds} s`;
	if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
	if (seconds < 2 * 86_400) return `${Math.round(seconds / 3600)} h`;
	return `${Math.round(seconds / 86_400)} days`;
}

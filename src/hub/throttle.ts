/**
 * A client-side brake shared by every worker: when the Hub answers 429, all calls wait out its
 * Retry-After (or a growing back-off when it named none), then the refused call is sent again.
 * A 429 means the Hub did nothing, so sending again is safe even for a create.
 */
import { RateLimitedError } from './errors.js';

const MAX_ATTEMPTS = 6;
const BASE_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 30_000;

export class Throttle {
	private resumeAt = 0;
	limited = 0;

	constructor(
		private readonly sleep: (ms: number) => Promise<void> = (ms) =>
			new Promise((r) => setTimeout(r, ms)),
		private readonly now: () => number = Date.now
	) {}

	async run<T>(call: () => Promise<T>): Promise<T> {
		for (let attempt = 1; ; attempt += 1) {
			const wait = this.resumeAt - this.now();
			if (wait > 0) await this.sleep(wait);
			try {
				return await call();
			} catch (error) {
				if (!(error instanceof RateLimitedError) || attempt >= MAX_ATTEMPTS) throw error;
				this.limited += 1;
				const backoff =
					error.retryAfterMs ?? Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));
				this.resumeAt = Math.max(this.resumeAt, this.now() + backoff);
			}
		}
	}
}

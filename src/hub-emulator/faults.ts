/**
 * Fault injection for /api requests: latency, 503s, a 429 token bucket, resets after commit; and
 * workspace snapshot builds that fail.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from './errors.js';

export interface FaultOptions {
	readonly latencyMs: number;
	readonly failRate: number;
	readonly rateLimitPerSec: number | undefined;
	readonly resetAfterCommitRate: number;
	readonly snapshotFailRate: number;
	readonly random: () => number;
	readonly nowMs: () => number;
}

export type FaultKind = 'latency' | '503' | '429' | 'reset' | 'snapshot';

export class FaultInjector {
	#tokens: number;
	#refilledAt: number;

	constructor(
		private readonly options: FaultOptions,
		private readonly record: (kind: FaultKind) => void
	) {
		this.#tokens = this.#capacity;
		this.#refilledAt = options.nowMs();
	}

	/** Waits the configured latency, then admits the request or throws a 429/503. */
	async admit(): Promise<void> {
		if (this.options.latencyMs > 0) {
			this.record('latency');
			await sleep(this.options.latencyMs);
		}
		this.#takeToken();
		if (this.options.failRate > 0 && this.options.random() < this.options.failRate) {
			this.record('503');
			throw new HttpError(
				503,
				'SERVICE_UNAVAILABLE',
				'Injected failure: the local Hub is configured to fail requests'
			);
		}
	}

	/** Drawn once per committed create: true means destroy the socket instead of answering. */
	resetAfterCommit(): boolean {
		const hit =
			this.options.resetAfterCommitRate > 0 &&
			this.options.random() < this.options.resetAfterCommitRate;
		if (hit) this.record('reset');
		return hit;
	}

	/** Drawn once per snapshot build: true means the build ends `failed`. */
	snapshotBuildFails(): boolean {
		const hit =
			this.options.snapshotFailRate > 0 && this.options.random() < this.options.snapshotFailRate;
		if (hit) this.record('snapshot');
		return hit;
	}

	get #capacity(): number {
		return Math.max(1, this.options.rateLimitPerSec ?? 0);
	}

	#takeToken(): void {
		const rate = this.options.rateLimitPerSec;
		if (rate === undefined) return;
		const now = this.options.nowMs();
		this.#tokens = Math.min(
			this.#capacity,
			this.#tokens + ((now - this.#refilledAt) / 1000) * rate
		);
		this.#refilledAt = now;
		if (this.#tokens >= 1) {
			this.#tokens -= 1;
			return;
		}
		this.record('429');
		const retryAfter = Math.max(1, Math.ceil((1 - this.#tokens) / rate));
		throw new HttpError(429, 'RATE_LIMITED', `Rate limit of ${rate} requests per second exceeded`, {
			'retry-after': String(retryAfter),
		});
	}
}

/**
 * Waiting for a record the Hub prepares after a write (a workspace's snapshot) to be ready,
 * within a deadline, reading it again at an interval and reporting progress as it changes.
 */
import type { AnyResourceKindRow, KindStore } from '../kinds/kind.js';

export interface SettleOptions {
	/** How long a record may take to settle (default 15 minutes: a snapshot installs packages). */
	readonly deadlineMs?: number;
	/** Between reads (default 1 s). */
	readonly intervalMs?: number;
	readonly onProgress?: (words: string) => void;
	/** For tests: the clock and the pause. */
	readonly now?: () => number;
	readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_SETTLE_DEADLINE_MS = 15 * 60_000;

/** Undefined once the record is ready; else why it is not (failed, gone, or the deadline passed). */
export async function waitToSettle(
	row: AnyResourceKindRow,
	id: string,
	store: KindStore<unknown, unknown, unknown>,
	options: SettleOptions = {}
): Promise<string | undefined> {
	const settle = row.settle!;
	// Monotonic: a wall clock set back would hold the wait for as long as it went back.
	const now = options.now ?? (() => performance.now());
	const sleep = options.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
	const deadlineMs = options.deadlineMs ?? DEFAULT_SETTLE_DEADLINE_MS;
	const started = now();
	const intervalMs = options.intervalMs ?? 1000;
	// The pauses are counted too: a clock that goes back never reaches the deadline by itself.
	let paused = 0;
	let told: string | undefined;
	for (;;) {
		const record = store.get
			? await store.get(id)
			: (await store.list()).find((each) => row.idOf(each) === id);
		if (record === undefined) return `${row.name} ${id} is no longer on the Hub`;
		const state = settle.state(record);
		if (state.ready) return undefined;
		if (state.failed !== undefined) return state.failed;
		const words = settle.describe(record);
		if (words !== told) options.onProgress?.(words);
		told = words;
		if (Math.max(now() - started, paused) >= deadlineMs)
			return `not ready after ${Math.round(deadlineMs / 1000)} s (${words}); the next apply waits for it again`;
		await sleep(intervalMs);
		paused += intervalMs;
	}
}

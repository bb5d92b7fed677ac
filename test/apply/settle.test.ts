import { describe, expect, it } from 'vitest';
import { waitToSettle } from '../../src/apply/settle.js';
import { workspaceKind } from '../../src/kinds/workspace.js';
import type { KindStore } from '../../src/kinds/kind.js';

type Snapshot = { status: string; error?: string } | undefined;

/** A store whose record answers each read with the next snapshot state (the last one repeats). */
function storeOf(
	states: Snapshot[],
	gone = false
): KindStore<unknown, unknown, unknown> & { reads: number } {
	const store = {
		reads: 0,
		list: async () => [],
		create: async () => ({ id: 'ws_1' }),
		update: async () => {},
		remove: async () => {},
		get: async () => {
			const snapshot = states[Math.min(store.reads, states.length - 1)];
			store.reads += 1;
			if (gone) return undefined;
			return { id: 'ws_1', snapshot };
		},
	};
	return store;
}

/** A clock that moves only when the wait sleeps. */
function clock() {
	let at = 0;
	return { now: () => at, sleep: async (ms: number) => void (at += ms) };
}

describe('waiting for a workspace snapshot', () => {
	it('reads again until the snapshot is ready, telling each new state once', async () => {
		const store = storeOf([{ status: 'building' }, { status: 'building' }, { status: 'ready' }]);
		const told: string[] = [];
		const problem = await waitToSettle(workspaceKind, 'ws_1', store, {
			...clock(),
			onProgress: (words) => told.push(words),
		});
		expect(problem).toBeUndefined();
		expect(store.reads).toBe(3);
		expect(told).toEqual(['snapshot building']);
	});

	it('gives the Hub its error when the build fails', async () => {
		const store = storeOf([
			{ status: 'building' },
			{ status: 'failed', error: 'apt: no package jqq' },
		]);
		expect(await waitToSettle(workspaceKind, 'ws_1', store, clock())).toBe('apt: no package jqq');
	});

	it('stops at the deadline, saying the next apply waits again', async () => {
		const store = storeOf([{ status: 'building' }]);
		const problem = await waitToSettle(workspaceKind, 'ws_1', store, {
			...clock(),
			deadlineMs: 5000,
			intervalMs: 1000,
		});
		expect(problem).toMatch(
			/^not ready after 5 s \(snapshot building\); the next apply waits for it again$/
		);
		expect(store.reads).toBe(6);
	});

	it('a clock set back while it waits still ends the wait at the deadline', async () => {
		// Ready only at the 1000th read: a wait that never ends still stops there.
		const store = storeOf([
			...Array.from({ length: 999 }, () => ({ status: 'building' })),
			{ status: 'ready' },
		]);
		let at = 0;
		const problem = await waitToSettle(workspaceKind, 'ws_1', store, {
			// Each pause of a second finds the clock an hour earlier.
			now: () => at,
			sleep: async () => void (at -= 3_600_000),
			deadlineMs: 5000,
			intervalMs: 1000,
		});
		expect(problem).toMatch(/^not ready after 5 s /);
		expect(store.reads).toBe(6);
	});

	it('says so when the record is gone', async () => {
		const problem = await waitToSettle(workspaceKind, 'ws_1', storeOf([], true), clock());
		expect(problem).toBe('workspace ws_1 is no longer on the Hub');
	});

	it('takes a workspace with nothing to build as ready at once', async () => {
		const store = storeOf([undefined]);
		expect(await waitToSettle(workspaceKind, 'ws_1', store, clock())).toBeUndefined();
		expect(store.reads).toBe(1);
	});
});

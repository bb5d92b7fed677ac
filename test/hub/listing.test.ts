/**
 * listPages against a fake Hub: `total` is a hint, so a Hub that claims a trillion sessions
 * costs what it lists, and a Hub that never answers a short page is stopped with a message.
 */
import type { CoderSessionListItem } from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import { listPages, type ListPageCall } from '../../src/hub/listing.js';
import type { ListQuery } from '../../src/hub/types.js';

const item = (index: number) =>
	({
		sessionId: `codesess_${index}`,
		createdAt: new Date(index * 1000).toISOString(),
		lastActivityAt: new Date(index * 1000).toISOString(),
		status: 'active',
		bucket: 'running',
		historyOnly: false,
	}) as unknown as CoderSessionListItem;

/** A Hub listing `count` sessions (Infinity: never ending) whose total says `total`. */
function fakeHub(count: number, total: number) {
	const offsets: number[] = [];
	const call: ListPageCall = async (offset, limit) => {
		offsets.push(offset);
		const end = Math.min(count, offset + limit);
		const sessions = Array.from({ length: Math.max(0, end - offset) }, (_, i) => item(offset + i));
		return { sessions, total };
	};
	return { call, offsets };
}

async function listed(call: ListPageCall, query: ListQuery, max?: number): Promise<number> {
	let count = 0;
	for await (const page of listPages(call, query, max)) count += page.sessions.length;
	return count;
}

describe('listPages', () => {
	for (const parallelism of [1, 8]) {
		it(`reads a listing whose total claims a trillion sessions until its short page (parallelism ${parallelism})`, async () => {
			const hub = fakeHub(250, 1e12);
			expect(await listed(hub.call, { includeArchived: true, parallelism })).toBe(250);
			// Three pages hold the sessions; at most `parallelism` more were in flight past the end.
			expect(hub.offsets.length).toBeLessThanOrEqual(3 + parallelism);
			expect(Math.max(...hub.offsets)).toBeLessThan(100 * (3 + parallelism));
		});
	}

	it('stops a Hub that never answers a short page at the cap, with a message', async () => {
		const hub = fakeHub(Infinity, 1e12);
		await expect(
			listed(hub.call, { includeArchived: true, parallelism: 4 }, 1_000)
		).rejects.toThrow(
			'list sessions: stopped after 1,000 sessions, the most one listing reads, and the Hub still lists more (its total says 1,000,000,000,000)'
		);
		expect(Math.max(...hub.offsets)).toBeLessThanOrEqual(1_000);
		const sequential = fakeHub(Infinity, 1e12);
		await expect(listed(sequential.call, { includeArchived: true }, 1_000)).rejects.toThrow(
			'list sessions: stopped after 1,000 sessions'
		);
		expect(sequential.offsets).toHaveLength(11);
	});

	it('reads a listing of exactly the cap', async () => {
		const hub = fakeHub(1_000, 1_000);
		expect(await listed(hub.call, { includeArchived: true, parallelism: 4 }, 1_000)).toBe(1_000);
		const sequential = fakeHub(1_000, 1_000);
		expect(await listed(sequential.call, { includeArchived: true }, 1_000)).toBe(1_000);
	});
});

/**
 * Listing sessions when the Hub's `total` is only a hint (it counts more than it lists) and its
 * pages are smaller than asked: every listing of the client layer reads each session exactly
 * once, and stops (on a page with nothing new) instead of paging on toward `total`.
 */
import { describe, expect, it } from 'vitest';
import { connect, PAGE_SIZE } from '../../src/hub/client.js';
import { MARKER } from '../../src/ownership/markers.js';
import { expectExit, planJson } from '../support/plan-output.js';
import { cli, hubForTest, useTempDir, writeSpec, type TestHub } from '../support/local-hub.js';

const SESSIONS = 230;
const STACK = 'paging';

async function seed(hub: TestHub, count: number): Promise<string[]> {
	const ids: string[] = [];
	for (let index = 0; index < count; index++) {
		const key = `k${String(index).padStart(3, '0')}`;
		const { sessionId } = await hub.client.createSession({
			task: `Task for ${key}`,
			metadata: { [MARKER.stack]: STACK, [MARKER.key]: key },
		});
		ids.push(sessionId);
	}
	return ids;
}

/** List calls the client makes for `sessions` on pages of `pageSize` with `surplus` extra in total. */
function expectedListCalls(sessions: number, pageSize: number, surplus: number): number {
	const pages = Math.ceil(sessions / pageSize);
	const lastIsShort = sessions % pageSize !== 0;
	// A short last page ends the listing unless `total` claims more: then one empty page does.
	return pages + (!lastIsShort || surplus > 0 ? 1 : 0);
}

const cases = [
	{ name: 'total above what the Hub lists', options: { totalSurplus: 17 } },
	{ name: 'pages capped below the asked limit', options: { maxPageSize: 40 } },
	{ name: 'both', options: { totalSurplus: 1000, maxPageSize: 40 } },
	{ name: 'both, with pages of one', options: { totalSurplus: 3, maxPageSize: 1 } },
] as const;

describe.concurrent('listing sessions whatever total and page size the Hub gives', () => {
	const dir = useTempDir();

	for (const { name, options } of cases) {
		it(`reads every session exactly once: ${name}`, async ({ onTestFinished }) => {
			const hub = await hubForTest(onTestFinished, options);
			const count = 'maxPageSize' in options && options.maxPageSize === 1 ? 7 : SESSIONS;
			const ids = await seed(hub, count);
			const client = connect({ url: hub.url });
			const pageSize = Math.min(
				PAGE_SIZE,
				'maxPageSize' in options ? options.maxPageSize : PAGE_SIZE
			);
			const surplus = 'totalSurplus' in options ? options.totalSurplus : 0;
			const listCalls = expectedListCalls(count, pageSize, surplus);

			await hub.resetStats();
			expect((await client.listSessionIds()).sort()).toEqual([...ids].sort());
			expect(hub.stats().list).toBe(listCalls);

			await hub.resetStats();
			const live = await client.readLiveSessions();
			expect(live.map((session) => session.id).sort()).toEqual([...ids].sort());
			expect(hub.stats()).toMatchObject({ list: listCalls, get: count });

			await hub.resetStats();
			const found = await client.findByKey(STACK, 'k003');
			expect(found.map((session) => session.id)).toEqual([ids[3]]);
			// The search matches one session: one page, and one empty page when total claims more.
			expect(hub.stats().list).toBe(surplus > 0 ? 2 : 1);
		});
	}

	it('plans against such a Hub with each session read once', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished, { totalSurplus: 5, maxPageSize: 4 });
		const keys = Array.from({ length: 10 }, (_, index) => `s${index}`);
		const file = await writeSpec(dir.path, 'paging.yaml', {
			stack: 'plan-paging',
			sessions: Object.fromEntries(keys.map((key) => [key, { task: `Work on ${key}.` }])),
		});
		const applied = await cli(hub, ['apply', '--auto-approve', '-f', file], { cwd: dir.path });
		expectExit(applied, 0);
		await hub.resetStats();
		const plan = planJson(
			await cli(hub, ['plan', '-f', file, '--format', 'json'], { cwd: dir.path })
		);
		expect(plan.actions.map((action) => action.kind)).toEqual(keys.map(() => 'noop'));
		// Pages of 4, 4, 2, then an empty one because total says 15.
		expect(hub.stats()).toMatchObject({ list: 4, get: 10 });
	});

	it('plans against a Hub whose total claims a trillion sessions, in a bounded number of list calls', async ({
		onTestFinished,
	}) => {
		// `total` is only a hint: it once made the listing build every offset up to it (a V8
		// fatal error, exit 133). `auto` reads an org this large through search, listing in parallel.
		const hub = await hubForTest(onTestFinished, { totalSurplus: 1e12 });
		const keys = ['a', 'b', 'c'];
		const file = await writeSpec(dir.path, 'huge-total.yaml', {
			stack: 'huge-total',
			sessions: Object.fromEntries(keys.map((key) => [key, { task: `Work on ${key}.` }])),
		});
		expectExit(await cli(hub, ['apply', '--auto-approve', '-f', file], { cwd: dir.path }), 0);
		await hub.resetStats();
		const plan = planJson(
			await cli(hub, ['plan', '-f', file, '--format', 'json'], { cwd: dir.path })
		);
		expect(plan.actions.map((action) => action.kind)).toEqual(keys.map(() => 'noop'));
		expect(plan.discovery).toMatch(/^Discovery: search verified/);
		// One page of the org, then the search and the active listing: each its short first page,
		// plus at most --parallelism (8) pages asked for at once past it.
		expect(hub.stats().list).toBeLessThanOrEqual(1 + (1 + 8) + (1 + 8));
	});
});

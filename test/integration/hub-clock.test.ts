/**
 * A Hub whose clock is not ours: hours or minutes behind or ahead. Creates whose answer is lost
 * are still found, concurrent applies still leave one session per key, and a plan still reads
 * the sessions the Hub's search has not indexed yet.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import {
	activeCountByKey,
	rewriteCreatedAt,
	startProxy,
	type ProxiedRequest,
} from '../support/apply-helpers.js';
import {
	cli,
	hubAndDirForTest,
	seedMarked,
	seedUnmarked,
	writeSpec,
} from '../support/local-hub.js';

const STACK = 'it-hub-clock';
const HOUR = 3_600_000;

const TASKS = { kept: { task: 'Keep me.' }, fresh: { task: 'Just made.' } };

/** The answer with session `id`'s lastActivityAt set to `at`, wherever it appears. */
function withLastActivity(value: unknown, id: string, at: string): unknown {
	if (Array.isArray(value)) return value.map((each) => withLastActivity(each, id, at));
	if (typeof value !== 'object' || value === null) return value;
	const record = Object.fromEntries(
		Object.entries(value).map(([name, field]) => [name, withLastActivity(field, id, at)])
	);
	return record.sessionId === id ? { ...record, lastActivityAt: at } : record;
}

describe('a plan when the Hub clock is behind ours', () => {
	const ODD_TIMES: readonly [string, (answer: unknown, odd: string) => unknown][] = [
		[
			'one listed time is unreadable',
			(answer, odd) => rewriteCreatedAt(answer, { [odd]: 'not a time' }),
		],
		[
			'one listed activity is a day ahead',
			(answer, odd) =>
				withLastActivity(answer, odd, new Date(Date.now() + 24 * HOUR).toISOString()),
		],
	];
	for (const [oddness, rewrite] of ODD_TIMES)
		it(`reads a session the search has not indexed yet, though ${oddness}`, async () => {
			let hubClockOffsetMs = -4 * HOUR;
			const { hub, dir } = await hubAndDirForTest(
				onTestFinished,
				{ now: () => new Date(Date.now() + hubClockOffsetMs), searchDelayMs: 10 * 60_000 },
				'hub-clock-'
			);
			// An org too large to read whole, and a session of the stack the search has indexed.
			const others: string[] = [];
			for (let i = 0; i < 105; i += 1) others.push(await seedUnmarked(hub, `Someone's task ${i}`));
			await seedMarked(hub, STACK, 'kept', TASKS.kept);
			// Another apply made this one a moment ago: the search does not show it yet.
			hubClockOffsetMs = -3 * HOUR;
			const fresh = await seedMarked(hub, STACK, 'fresh', TASKS.fresh);
			const proxy = await startProxy(hub.url, () => ({
				rewrite: (answer) => rewrite(answer, others[0]!),
			}));
			onTestFinished(() => proxy.close());
			const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions: TASKS });

			const plan = await cli(proxy.url, ['plan', '-f', file], { cwd: dir });
			expect(plan.code, plan.stdout + plan.stderr).toBe(0);
			expect(plan.stdout).toContain('Discovery: search');
			expect(plan.stdout).not.toMatch(/^\s*\+ create/m);
			expect(plan.stdout).toContain('No changes.');
			const apply = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
			expect(apply.code, apply.stdout + apply.stderr).toBe(0);
			expect(Object.fromEntries(await activeCountByKey(hub.url, STACK))).toEqual({
				kept: 1,
				fresh: 1,
			});
			expect(plan.stdout).toContain('2 sessions of the stack found');
			expect(fresh).toMatch(/^codesess_/);
		});
});

/** Is this request the create of entry `key`? */
const createOf = (request: ProxiedRequest, key: string) =>
	request.method === 'POST' &&
	request.path === '/api/hub/session' &&
	(request.body as { metadata?: Record<string, string> } | undefined)?.metadata?.[
		'coder-sessions/key'
	] === key;

/** A 500 after the Hub committed: the SDK does not send it again, apply must look. */
const internalError = {
	status: 500,
	body: { success: false, code: 'INTERNAL', message: 'Internal error', error: 'boom' },
};

const emptySearch = {
	status: 200,
	body: { sessions: { websocket: [], sandbox: [] }, total: 0 },
};

const SKEWS: readonly [string, number][] = [
	['3 hours behind', -3 * HOUR],
	['3 hours ahead', 3 * HOUR],
	['7 minutes behind', -7 * 60_000],
	['7 minutes ahead', 7 * 60_000],
	['20 minutes behind', -20 * 60_000],
];

describe('a create whose answer is lost, the Hub clock skewed', () => {
	for (const [name, skewMs] of SKEWS) {
		for (const search of ['finds it', 'misses it'] as const) {
			it(`${name}, the search ${search}: found and adopted, never created twice`, async () => {
				const { hub, dir } = await hubAndDirForTest(
					onTestFinished,
					{ now: () => new Date(Date.now() + skewMs) },
					'hub-clock-'
				);
				for (let i = 0; i < 12; i += 1) await seedUnmarked(hub, `Someone's task ${i}`);
				const proxy = await startProxy(hub.url, (request) => {
					if (createOf(request, 'lost')) return { reply: internalError };
					if (
						search === 'misses it' &&
						request.method === 'GET' &&
						/[?&]search=/.test(request.path)
					)
						return emptySearch;
					return undefined;
				});
				onTestFinished(() => proxy.close());
				const file = await writeSpec(dir, 'sessions.yaml', {
					stack: STACK,
					sessions: { lost: { task: 'Landed.', label: 'Lost answer' }, fine: { task: 'Fine.' } },
				});
				const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
				expect(result.code, result.stdout + result.stderr).toBe(0);
				expect(result.stdout).toMatch(/^ *applied +create lost \(codesess_\w+\): response lost/m);
				expect(proxy.log.filter((request) => createOf(request, 'lost'))).toHaveLength(1);
				const again = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
				expect(again.code, again.stdout + again.stderr).toBe(0);
				expect(Object.fromEntries(await activeCountByKey(hub.url, STACK))).toEqual({
					lost: 1,
					fine: 1,
				});
			});
		}
	}

	for (const [name, skewMs] of [SKEWS[0]!, SKEWS[1]!]) {
		it(`${name}: two concurrent applies, then one more, leave one session per key`, async () => {
			const { hub, dir } = await hubAndDirForTest(
				onTestFinished,
				{ now: () => new Date(Date.now() + skewMs), resetAfterCommitRate: 0.3 },
				'hub-clock-'
			);
			const sessions = Object.fromEntries(
				Array.from({ length: 8 }, (_, i) => [`s${i}`, { task: `Task ${i}.` }])
			);
			const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions });
			const args = ['apply', '-f', file, '--auto-approve'];
			const both = await Promise.all([
				cli(hub.url, args, { cwd: dir }),
				cli(hub.url, args, { cwd: dir }),
			]);
			for (const run of both) expect([0, 5], run.stdout + run.stderr).toContain(run.code);
			const last = await cli(hub.url, args, { cwd: dir });
			expect(last.code, last.stdout + last.stderr).toBe(0);
			expect(Object.fromEntries(await activeCountByKey(hub.url, STACK))).toEqual(
				Object.fromEntries(Object.keys(sessions).map((key) => [key, 1]))
			);
			const plan = await cli(hub.url, ['plan', '-f', file, '--detailed-exitcode'], { cwd: dir });
			expect(plan.code, plan.stdout + plan.stderr).toBe(0);
		});
	}
});

describe('a 429 whose Retry-After is a date by a Hub clock ahead of ours', () => {
	it('waits the seconds the Hub asked for, read against the Date it sent, and the create lands', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'hub-clock-');
		const hubNow = new Date(Date.now() + 3 * HOUR);
		let refused = 0;
		const proxy = await startProxy(hub.url, (request) =>
			createOf(request, 'limited') && refused++ === 0
				? {
						status: 429,
						headers: {
							date: hubNow.toUTCString(),
							'retry-after': new Date(hubNow.getTime() + 1000).toUTCString(),
						},
						body: { success: false, code: 'RATE_LIMITED', message: 'Too many requests' },
					}
				: undefined
		);
		onTestFinished(() => proxy.close());
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { limited: { task: 'Sent again.' } },
		});
		const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(result.code, result.stdout + result.stderr).toBe(0);
		expect(proxy.log.filter((request) => createOf(request, 'limited'))).toHaveLength(2);
		expect(Object.fromEntries(await activeCountByKey(hub.url, STACK))).toEqual({ limited: 1 });
	});
});

describe('a lost create, the Hub clock behind, one listed time in the future', () => {
	it('is still found, and not created twice', async () => {
		const { hub, dir } = await hubAndDirForTest(
			onTestFinished,
			{ now: () => new Date(Date.now() - 3 * HOUR) },
			'hub-clock-'
		);
		const odd = await seedUnmarked(hub, 'Active on a Hub node whose clock ran ahead');
		for (let i = 0; i < 12; i += 1) await seedUnmarked(hub, `Someone's task ${i}`);
		const tomorrow = new Date(Date.now() + 24 * HOUR).toISOString();
		const proxy = await startProxy(hub.url, (request) => {
			if (createOf(request, 'lost')) return { reply: internalError };
			if (request.method === 'GET' && /[?&]search=/.test(request.path)) return emptySearch;
			return { rewrite: (answer) => withLastActivity(answer, odd, tomorrow) };
		});
		onTestFinished(() => proxy.close());
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { lost: { task: 'Landed.', label: 'Lost answer' } },
		});
		const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(result.code, result.stdout + result.stderr).toBe(0);
		expect(result.stdout).toMatch(/^ *applied +create lost \(codesess_\w+\): response lost/m);
		expect(proxy.log.filter((request) => createOf(request, 'lost'))).toHaveLength(1);
	});
});

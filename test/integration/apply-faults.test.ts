/**
 * `apply` against a local Hub that misbehaves: resets after commit, 503s, 429s, and an apply
 * killed halfway. Slow by nature; each CLI run is bounded by a timeout.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { LocalHubOptions } from '../../src/hub-emulator/index.js';
import {
	activeCountByKey,
	exited,
	hubStats,
	manySessions,
	spawnCli,
	stackSessions,
	startProxy,
	waitFor,
	type HubProxy,
	type ProxiedRequest,
} from '../support/apply-helpers.js';
import { cli, hubAndDirForTest, writeSpec, type TestHub } from '../support/local-hub.js';
import { CLI_TIMEOUT_MS } from '../support/cli.js';
import { seededRandom } from '../support/seeded-random.js';

const STACK = 'it-faults';
// Each test runs up to three applies and a plan, each bounded by RUN_TIMEOUT_MS: 450 s a test.
const RUN_TIMEOUT_MS = CLI_TIMEOUT_MS;

const isCreate = (request: ProxiedRequest) =>
	request.method === 'POST' && request.path === '/api/hub/session';

let proxy: HubProxy | undefined;

afterEach(async () => {
	await proxy?.close();
	proxy = undefined;
});

function setUp(options: LocalHubOptions): Promise<{ hub: TestHub; dir: string }> {
	return hubAndDirForTest(onTestFinished, options, 'apply-faults-');
}

/** Every key of `keys` has exactly one active session, and nothing else of the stack is active. */
async function expectOnePerKey(url: string, keys: readonly string[]): Promise<void> {
	const counts = await activeCountByKey(url, STACK);
	expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(keys.map((key) => [key, 1])));
}

async function converged(url: string, keys: readonly string[]): Promise<boolean> {
	const counts = await activeCountByKey(url, STACK);
	return counts.size === keys.length && keys.every((key) => counts.get(key) === 1);
}

/**
 * Applies until the Hub holds one active session per key, at most 3 runs; then a plan of the
 * same spec must be empty.
 */
async function applyUntilConverged(url: string, dir: string, count: number): Promise<void> {
	const sessions = manySessions(count);
	const keys = Object.keys(sessions);
	const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions });
	let runs = 0;
	while (runs < 3) {
		runs += 1;
		const result = await cli(url, ['apply', '-f', file, '--auto-approve'], {
			cwd: dir,
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(
			result.signal,
			`apply run ${runs} timed out\n${result.stdout}${result.stderr}`
		).toBeNull();
		expect([0, 5], `apply run ${runs}\n${result.stdout}${result.stderr}`).toContain(result.code);
		if (result.code === 0 && (await converged(url, keys))) break;
	}
	await expectOnePerKey(url, keys);
	const final = await cli(url, ['plan', '-f', file, '--detailed-exitcode'], {
		cwd: dir,
		timeoutMs: RUN_TIMEOUT_MS,
	});
	expect(final.code, final.stdout + final.stderr).toBe(0);
}

describe('apply against a faulty Hub', () => {
	it('converges when creates commit but their responses are lost (reset after commit)', async () => {
		const { hub, dir } = await setUp({ resetAfterCommitRate: 0.3, random: seededRandom(7) });
		await applyUntilConverged(hub.url, dir, 20);
		// Resets did happen; each one left exactly one extra session (the SDK re-sent that POST,
		// apply itself never did), and every extra was archived by the dedupe that followed.
		const resets = (await hubStats(hub.url))['fault:reset'] ?? 0;
		expect(resets).toBeGreaterThan(0);
		const all = await stackSessions(hub.url, STACK, true);
		expect(all).toHaveLength(20 + resets);
		expect(all.filter((s) => s.archived)).toHaveLength(resets);
	}, 450_000);

	it('archives, in the same run, the duplicates that re-sent creates left behind', async () => {
		const { hub, dir } = await setUp({ resetAfterCommitRate: 0.3, random: seededRandom(7) });
		const sessions = manySessions(20);
		const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions });
		const args = ['-f', file, '--auto-approve'];
		const result = await cli(hub.url, ['apply', ...args], { cwd: dir, timeoutMs: RUN_TIMEOUT_MS });
		expect(result.code, result.stdout + result.stderr).toBe(0);
		const resets = (await hubStats(hub.url))['fault:reset'] ?? 0;
		expect(resets).toBeGreaterThan(0);
		expect(result.stdout.match(/^Archived duplicate /gm) ?? []).toHaveLength(resets);
		await expectOnePerKey(hub.url, Object.keys(sessions));
	}, 450_000);

	it('converges when the Hub answers 503 to a fifth of all calls', async () => {
		const { hub, dir } = await setUp({ failRate: 0.2, random: seededRandom(11) });
		await applyUntilConverged(hub.url, dir, 20);
		expect((await hubStats(hub.url))['fault:503'] ?? 0).toBeGreaterThan(0);
	}, 450_000);

	it('honours 429 Retry-After: 30 creates at parallelism 8 through a 20/s limit all land', async () => {
		const { hub, dir } = await setUp({ rateLimitPerSec: 20 });
		// However slow the machine (a slow client never drains the Hub's bucket), one create is
		// refused: the fifth, answered 429 by the proxy as the Hub would.
		let creates = 0;
		proxy = await startProxy(hub.url, (request) =>
			isCreate(request) && ++creates === 5
				? {
						status: 429,
						headers: { 'retry-after': '1' },
						body: { success: false, code: 'RATE_LIMITED', message: 'Too many requests' },
					}
				: undefined
		);
		const sessions = manySessions(30);
		const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions });
		const args = ['-f', file, '--auto-approve', '--parallelism', '8'];
		const result = await cli(proxy.url, ['apply', ...args], {
			cwd: dir,
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(result.code, result.stdout + result.stderr).toBe(0);
		expect(result.stdout).toContain('Apply finished: 30 applied, 0 failed, 0 skipped, 0 unknown.');

		// Every refused create was sent again, and each entry was created exactly once. How long
		// the workers wait after a 429 is the throttle's own test (test/hub/throttle.test.ts).
		const createStatuses = proxy.log.filter(isCreate).map((request) => request.status);
		const refused = createStatuses.filter((status) => status === 429).length;
		expect(refused).toBeGreaterThan(0);
		expect(createStatuses.filter((status) => status === 201)).toHaveLength(30);
		expect(createStatuses).toHaveLength(30 + refused);

		await expectOnePerKey(hub.url, Object.keys(sessions));
		const final = await cli(hub.url, ['plan', '-f', file, '--detailed-exitcode'], {
			cwd: dir,
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(final.code, final.stdout + final.stderr).toBe(0);
	}, 450_000);
});

describe('crash safety', () => {
	it('an apply killed with SIGKILL halfway through 200 creates converges on the next run', async () => {
		const { hub, dir } = await setUp({ latencyMs: 20 });
		const sessions = manySessions(200);
		const keys = Object.keys(sessions);
		const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions });

		// Killed the moment its 100th create reaches the proxy, however fast or slow it got there.
		let child: ChildProcess | undefined;
		let creates = 0;
		proxy = await startProxy(hub.url, (request) => {
			if (isCreate(request) && ++creates === 100) child?.kill('SIGKILL');
			return undefined;
		});
		child = spawnCli(dir, ['apply', '--url', proxy.url, '-f', file, '--auto-approve']);
		const bound = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
		try {
			expect((await exited(child)).signal).toBe('SIGKILL');
		} finally {
			clearTimeout(bound);
			child.kill('SIGKILL');
		}
		expect(creates, 'killed before its 100th create').toBeGreaterThanOrEqual(100);
		// Creates on their way at the kill still commit: count once the Hub has answered each.
		await waitFor(
			async () => proxy!.log.every((request) => request.status !== undefined),
			'the Hub to answer every create it was sent'
		);
		const landed = await activeCountByKey(hub.url, STACK);
		expect(landed.size).toBe(proxy.log.filter(isCreate).length);
		expect(landed.size).toBeGreaterThanOrEqual(100);
		expect(landed.size).toBeLessThan(200);

		const again = await cli(hub.url, ['apply', '-f', file, '--auto-approve'], {
			cwd: dir,
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(again.code, again.stdout + again.stderr).toBe(0);
		expect(again.stdout).toContain(`Plan: ${200 - landed.size} to create,`);

		await expectOnePerKey(hub.url, keys);
		expect(await stackSessions(hub.url, STACK, true)).toHaveLength(200);
		const final = await cli(hub.url, ['plan', '-f', file, '--detailed-exitcode'], {
			cwd: dir,
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(final.code, final.stdout + final.stderr).toBe(0);
	}, 450_000);
});

/**
 * `apply` against a local Hub that misbehaves: resets after commit, 503s, 429s, and an apply
 * killed halfway. Slow by nature; each CLI run is bounded by a timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalHub, LocalHubOptions } from '../../src/local-hub/index.js';
import {
	activeCountByKey,
	cli,
	exited,
	hubStats,
	manySessions,
	spawnCli,
	stackSessions,
	startHub,
	startProxy,
	tempDir,
	waitFor,
	writeSpec,
	type HubProxy,
} from '../support/apply-helpers.js';
import { seededRandom } from '../support/seeded-random.js';

const STACK = 'it-faults';
const RUN_TIMEOUT_MS = 60_000;

let hub: LocalHub | undefined;
let cleanup: (() => Promise<void>) | undefined;
let proxy: HubProxy | undefined;

afterEach(async () => {
	await proxy?.close();
	proxy = undefined;
	await hub?.close();
	hub = undefined;
	await cleanup?.();
	cleanup = undefined;
});

async function setUp(options: LocalHubOptions): Promise<{ hub: LocalHub; dir: string }> {
	hub = await startHub(options);
	const temp = await tempDir('apply-faults-');
	cleanup = temp.remove;
	return { hub, dir: temp.dir };
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
	const file = await writeSpec(dir, { stack: STACK, sessions });
	let runs = 0;
	while (runs < 3) {
		runs += 1;
		const result = await cli(dir, url, 'apply', ['-f', file, '--auto-approve'], {
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
	const final = await cli(dir, url, 'plan', ['-f', file, '--detailed-exitcode'], {
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
	}, 120_000);

	it('archives, in the same run, the duplicates that re-sent creates left behind', async () => {
		const { hub, dir } = await setUp({ resetAfterCommitRate: 0.3, random: seededRandom(7) });
		const sessions = manySessions(20);
		const file = await writeSpec(dir, { stack: STACK, sessions });
		const args = ['-f', file, '--auto-approve'];
		const result = await cli(dir, hub.url, 'apply', args, { timeoutMs: RUN_TIMEOUT_MS });
		expect(result.code, result.stdout + result.stderr).toBe(0);
		const resets = (await hubStats(hub.url))['fault:reset'] ?? 0;
		expect(resets).toBeGreaterThan(0);
		expect(result.stdout.match(/^Archived duplicate /gm) ?? []).toHaveLength(resets);
		await expectOnePerKey(hub.url, Object.keys(sessions));
	}, 120_000);

	it('converges when the Hub answers 503 to a fifth of all calls', async () => {
		const { hub, dir } = await setUp({ failRate: 0.2, random: seededRandom(11) });
		await applyUntilConverged(hub.url, dir, 20);
		expect((await hubStats(hub.url))['fault:503'] ?? 0).toBeGreaterThan(0);
	}, 120_000);

	it('honours 429 Retry-After: 30 creates at parallelism 8 through a 20/s limit all land', async () => {
		const { hub, dir } = await setUp({ rateLimitPerSec: 20 });
		proxy = await startProxy(hub.url);
		const sessions = manySessions(30);
		const file = await writeSpec(dir, { stack: STACK, sessions });
		const args = ['-f', file, '--auto-approve', '--parallelism', '8'];
		const result = await cli(dir, proxy.url, 'apply', args, { timeoutMs: RUN_TIMEOUT_MS });
		expect(result.code, result.stdout + result.stderr).toBe(0);
		expect(result.stdout).toContain('Apply finished: 30 applied, 0 failed, 0 skipped, 0 unknown.');

		// After the first 429 (Retry-After: 1) every worker waits it out: from shortly after it
		// (requests already on their way) until ~1 s, nothing arrives. A 250 ms back-off would.
		const first = proxy.log.find((request) => request.status === 429);
		expect(first, 'the Hub never answered 429').toBeDefined();
		const early = proxy.log.filter(
			(r) => r.at > first!.answeredAt! + 300 && r.at < first!.answeredAt! + 900
		);
		expect(
			early.map((r) => `${r.method} ${r.path} +${Math.round(r.at - first!.answeredAt!)}ms`)
		).toEqual([]);

		await expectOnePerKey(hub.url, Object.keys(sessions));
		const final = await cli(dir, hub.url, 'plan', ['-f', file, '--detailed-exitcode'], {
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(final.code, final.stdout + final.stderr).toBe(0);
	}, 120_000);
});

describe('crash safety', () => {
	it('an apply killed with SIGKILL halfway through 200 creates converges on the next run', async () => {
		const { hub, dir } = await setUp({ latencyMs: 20 });
		const sessions = manySessions(200);
		const keys = Object.keys(sessions);
		const file = await writeSpec(dir, { stack: STACK, sessions });

		const child = spawnCli(dir, ['apply', '--url', hub.url, '-f', file, '--auto-approve']);
		try {
			await waitFor(
				async () => ((await hubStats(hub.url)).create ?? 0) >= 100,
				'100 creates',
				30_000,
				5
			);
			child.kill('SIGKILL');
			expect((await exited(child)).signal).toBe('SIGKILL');
		} finally {
			child.kill('SIGKILL');
		}
		// Creates in flight at the kill may still commit: let them settle before counting.
		await new Promise((resolve) => setTimeout(resolve, 300));
		const landed = await activeCountByKey(hub.url, STACK);
		expect(landed.size).toBeGreaterThanOrEqual(90);
		expect(landed.size).toBeLessThan(200);

		const again = await cli(dir, hub.url, 'apply', ['-f', file, '--auto-approve'], {
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(again.code, again.stdout + again.stderr).toBe(0);
		expect(again.stdout).toContain(`Plan: ${200 - landed.size} to create,`);

		await expectOnePerKey(hub.url, keys);
		expect(await stackSessions(hub.url, STACK, true)).toHaveLength(200);
		const final = await cli(dir, hub.url, 'plan', ['-f', file, '--detailed-exitcode'], {
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(final.code, final.stdout + final.stderr).toBe(0);
	}, 120_000);
});

/**
 * Two applies of one stack at the same moment (two merges, a laptop and CI). The Hub has no lock,
 * so they cannot be kept apart: what must hold is that neither removes the other's sessions,
 * that a run which overlapped another says so, and that one more apply converges. Each run goes
 * through its own holding proxy, held at its first write until both have planned, so the two
 * runs certainly overlap.
 */
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { LocalHub } from '../../src/hub-emulator/index.js';
import { activeCountByKey, manySessions } from '../support/apply-helpers.js';
import {
	cli,
	startTestHub,
	tempDirForTest,
	writeSpec,
	type SpecDoc,
} from '../support/local-hub.js';
import type { CliResult } from '../support/cli.js';
import { afterPlan, startHoldingProxy } from '../support/holding-proxy.js';

const STACK = 'it-concurrent';
const ENTRIES = 30;
const TRIALS = 3;
const RUN_TIMEOUT_MS = 120_000;
const OVERLAP_MESSAGE = `Another apply changed stack ${STACK} while this one ran: plan again.`;

let hub: LocalHub | undefined;

afterEach(async () => {
	await hub?.close();
	hub = undefined;
});

async function setUp(): Promise<{ url: string; dir: string }> {
	hub = await startTestHub({ latencyMs: 20 });
	const dir = await tempDirForTest(onTestFinished, 'apply-concurrent-');
	return { url: hub.url, dir };
}

/** Two applies at once are two processes, as two CI jobs would be. */
const apply = (dir: string, url: string, args: readonly string[]) =>
	cli(url, ['apply', ...args], { cwd: dir, timeoutMs: RUN_TIMEOUT_MS, binary: true });

/**
 * Two applies (`args` each) that overlap for certain: each reaches the Hub through a proxy that
 * holds its first write until both runs have planned and reached theirs; then both go on.
 */
async function overlappingApplies(
	dir: string,
	url: string,
	args: readonly [readonly string[], readonly string[]],
	beforeRun: (proxyUrl: string, index: number) => Promise<void> = async () => {}
): Promise<CliResult[]> {
	const proxies = await Promise.all(args.map(() => startHoldingProxy(url, afterPlan)));
	onTestFinished(async () => {
		await Promise.all(proxies.map((proxy) => proxy.close()));
	});
	for (const [index, proxy] of proxies.entries()) await beforeRun(proxy.url, index);
	const runs = args.map((runArgs, index) => apply(dir, proxies[index]!.url, runArgs));
	const held = await Promise.all(
		proxies.map((proxy, index) => proxy.held(RUN_TIMEOUT_MS, runs[index]))
	);
	// Both planned before either wrote: each held request is a write (or a re-read for one).
	expect(held).toHaveLength(2);
	for (const proxy of proxies) proxy.release();
	return Promise.all(runs);
}

/**
 * Each run must end as a finished apply: 0, or 5 when it saw the other, saying so; and at least
 * one of two overlapping runs that both wrote sees the other (`overlapSeen`).
 */
function expectFinished(results: readonly CliResult[], overlapSeen: boolean): void {
	for (const result of results) {
		expect([0, 5], result.stdout + result.stderr).toContain(result.code);
		expect(result.stdout.includes(OVERLAP_MESSAGE), result.stdout).toBe(result.code === 5);
		expect(result.stdout).not.toContain('a re-sent create of this run made it');
	}
	expect(
		results.some((result) => result.code === 5),
		results.map((result) => result.stdout).join('\n')
	).toBe(overlapSeen);
}

/** Keys with no active session at all: what must never happen to a key both runs declare. */
async function keysWithoutSession(url: string, keys: readonly string[]): Promise<string[]> {
	const counts = await activeCountByKey(url, STACK);
	return keys.filter((key) => (counts.get(key) ?? 0) === 0);
}

/** One more apply of `file` leaves exactly one active session per key, and plans no changes. */
async function expectConverges(dir: string, url: string, file: string, keys: readonly string[]) {
	const again = await apply(dir, url, ['-f', file, '--auto-approve']);
	expect(again.code, again.stdout + again.stderr).toBe(0);
	const counts = await activeCountByKey(url, STACK);
	expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(keys.map((key) => [key, 1])));
	const plan = await cli(url, ['plan', '-f', file, '--detailed-exitcode'], { cwd: dir });
	expect(plan.code, plan.stdout + plan.stderr).toBe(0);
}

/** Where a key was left with two sessions, a run must have said that another apply overlapped. */
async function expectDuplicatesReported(url: string, results: readonly CliResult[]) {
	const counts = await activeCountByKey(url, STACK);
	const duplicated = [...counts.values()].some((count) => count > 1);
	expect(!duplicated || results.some((result) => result.code === 5)).toBe(true);
}

const spec = (sessions: SpecDoc['sessions']): SpecDoc => ({ stack: STACK, sessions });
const keysOf = (doc: SpecDoc) => Object.keys(doc.sessions).sort();

describe('two applies of one stack at the same moment', () => {
	/**
	 * Trials of two runs of one new spec at once, started by `twoRuns` in a fresh Hub: no key is
	 * ever left without a session, a run that overlapped says so, and one more apply converges.
	 */
	async function trialsOfTheSameSpec(
		prefix: string,
		twoRuns: (dir: string, url: string, file: string) => Promise<CliResult[]>
	): Promise<void> {
		for (let trial = 0; trial < TRIALS; trial += 1) {
			const { url, dir } = await setUp();
			const doc = spec(manySessions(ENTRIES, `${prefix}${trial}`));
			const file = await writeSpec(dir, 'sessions.yaml', doc);
			const results = await twoRuns(dir, url, file);
			expect(await keysWithoutSession(url, keysOf(doc))).toEqual([]);
			expectFinished(results, true);
			await expectDuplicatesReported(url, results);
			await expectConverges(dir, url, file, keysOf(doc));
			await hub?.close();
			hub = undefined;
		}
	}

	it(
		'of the same new spec: no key is left without a session, and one more apply converges',
		() =>
			trialsOfTheSameSpec('t', (dir, url, file) => {
				const args = ['-f', file, '--auto-approve'];
				return overlappingApplies(dir, url, [args, args]);
			}),
		TRIALS * 2 * RUN_TIMEOUT_MS
	);

	it(
		'of the same saved plan: no key is left without a session, and one more apply converges',
		() =>
			trialsOfTheSameSpec('p', async (dir, url, file) => {
				// The same plan, saved once for each run's way to the Hub (a saved plan is bound to
				// the URL it was made at); held at the first write, both passed their staleness check.
				const save = async (proxyUrl: string, index: number) => {
					const out = `plan-${index}.json`;
					const planned = await cli(proxyUrl, ['plan', '-f', file, '--out', out], { cwd: dir });
					expect(planned.code, planned.stderr).toBe(0);
				};
				return overlappingApplies(dir, url, [['plan-0.json'], ['plan-1.json']], save);
			}),
		TRIALS * 2 * RUN_TIMEOUT_MS
	);

	it(
		'of two different edits (labels, removals): the keys both keep stay, and one more apply converges',
		async () => {
			for (let trial = 0; trial < TRIALS; trial += 1) {
				const { url, dir } = await setUp();
				const base = manySessions(ENTRIES, `e${trial}`);
				const baseFile = await writeSpec(dir, 'sessions.yaml', spec(base));
				const first = await apply(dir, url, ['-f', baseFile, '--auto-approve']);
				expect(first.code, first.stdout + first.stderr).toBe(0);

				const relabelled = spec(
					Object.fromEntries(
						Object.entries(base).map(([key, entry]) => [key, { ...entry, label: `New ${key}` }])
					)
				);
				const kept = Object.keys(base).slice(5);
				const pruned = spec(Object.fromEntries(kept.map((key) => [key, base[key]!])));
				const labelsFile = await writeSpec(dir, 'labels.yaml', relabelled);
				const removalsFile = await writeSpec(dir, 'removals.yaml', pruned);
				const results = await overlappingApplies(dir, url, [
					['-f', labelsFile, '--auto-approve'],
					['-f', removalsFile, '--auto-approve'],
				]);
				expect(await keysWithoutSession(url, kept)).toEqual([]);
				expectFinished(results, true);
				await expectConverges(dir, url, removalsFile, keysOf(pruned));
				await hub?.close();
				hub = undefined;
			}
		},
		TRIALS * 2 * RUN_TIMEOUT_MS
	);
});

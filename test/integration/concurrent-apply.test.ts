/**
 * Two applies of one stack at the same moment (two merges, a laptop and CI). The Hub has no lock,
 * so they cannot be kept apart: what must hold is that neither removes the other's sessions,
 * that a run which overlapped another says so, and that one more apply converges.
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
 * Each run must end as a finished apply: 0, 5 when it saw the other, or (a saved plan) 4 when
 * the other had already changed the Hub before this one's staleness check.
 */
function expectFinished(results: readonly CliResult[], exits = [0, 5]): void {
	for (const result of results) {
		expect(exits, result.stdout + result.stderr).toContain(result.code);
		if (result.code === 5) expect(result.stdout).toContain(OVERLAP_MESSAGE);
		expect(result.stdout).not.toContain('a re-sent create of this run made it');
	}
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
	if (duplicated) expect(results.some((result) => result.code === 5)).toBe(true);
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
		exits: number[],
		twoRuns: (dir: string, url: string, file: string) => Promise<CliResult[]>
	): Promise<void> {
		for (let trial = 0; trial < TRIALS; trial += 1) {
			const { url, dir } = await setUp();
			const doc = spec(manySessions(ENTRIES, `${prefix}${trial}`));
			const file = await writeSpec(dir, 'sessions.yaml', doc);
			const results = await twoRuns(dir, url, file);
			expect(await keysWithoutSession(url, keysOf(doc))).toEqual([]);
			expectFinished(results, exits);
			await expectDuplicatesReported(url, results);
			await expectConverges(dir, url, file, keysOf(doc));
			await hub?.close();
			hub = undefined;
		}
	}

	it(
		'of the same new spec: no key is left without a session, and one more apply converges',
		() =>
			trialsOfTheSameSpec('t', [0, 5], (dir, url, file) => {
				const run = () => apply(dir, url, ['-f', file, '--auto-approve']);
				return Promise.all([run(), run()]);
			}),
		TRIALS * 2 * RUN_TIMEOUT_MS
	);

	it(
		'of the same saved plan: no key is left without a session, and one more apply converges',
		() =>
			trialsOfTheSameSpec('p', [0, 4, 5], async (dir, url, file) => {
				const planned = await cli(url, ['plan', '-f', file, '--out', 'plan.json'], { cwd: dir });
				expect(planned.code, planned.stderr).toBe(0);
				const run = () => apply(dir, url, ['plan.json']);
				return Promise.all([run(), run()]);
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
				const results = await Promise.all([
					apply(dir, url, ['-f', labelsFile, '--auto-approve']),
					apply(dir, url, ['-f', removalsFile, '--auto-approve']),
				]);
				expect(await keysWithoutSession(url, kept)).toEqual([]);
				expectFinished(results);
				await expectConverges(dir, url, removalsFile, keysOf(pruned));
				await hub?.close();
				hub = undefined;
			}
		},
		TRIALS * 2 * RUN_TIMEOUT_MS
	);
});

/**
 * Finding the stack's sessions through the Hub's search (`--discovery`), end to end: the built
 * CLI against a local Hub whose search can be weakened. Sessions made "long ago" come from a Hub
 * clock set two hours back, so the search has indexed them; sessions made during a test are new.
 */
import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import type { LocalHubOptions } from '../../src/hub-emulator/index.js';
import { MARKER } from '../../src/ownership/markers.js';
import type { PlanJsonV1 } from '../../src/render/json.js';
import { expectExit } from '../support/plan-output.js';
import { hubStats } from '../support/apply-helpers.js';
import {
	applySpec,
	cli,
	hubForTest,
	liveIdsByKey,
	seedMarked,
	seedSession,
	seedUnmarked,
	useTempDir,
	writeSpec,
	type SpecDoc,
	type TestHub,
} from '../support/local-hub.js';

const STACK = 'orbit';
const TWO_HOURS = 2 * 60 * 60 * 1000;

const doc = (sessions: SpecDoc['sessions'], prune: SpecDoc['prune'] = 'archive'): SpecDoc => ({
	stack: STACK,
	prune,
	sessions,
});

const entries = (keys: readonly string[]) =>
	Object.fromEntries(keys.map((key) => [key, { label: `Label ${key}`, task: `Task ${key}` }]));

/** A local Hub whose clock can be set back: what it makes meanwhile is old. */
async function hubWithClock(
	onTestFinished: (fn: () => Promise<void>) => void,
	options: LocalHubOptions = {}
) {
	let offsetMs = 0;
	const hub = await hubForTest(onTestFinished, {
		...options,
		now: () => new Date(Date.now() - offsetMs),
	});
	const longAgo = async <T>(body: () => Promise<T>, agoMs = TWO_HOURS): Promise<T> => {
		offsetMs = agoMs;
		try {
			return await body();
		} finally {
			offsetMs = 0;
		}
	};
	return { hub, longAgo };
}

/** Other people's sessions, some naming the stack in their label (search hits that are not ours). */
async function seedOthers(hub: TestHub): Promise<void> {
	await seedUnmarked(hub, 'Ad-hoc debugging');
	await seedUnmarked(hub, `Looking at the ${STACK} rollout`);
	await seedMarked(hub, 'other-team', 'x');
	await seedSession(hub, { task: 'Notes', metadata: { project: 'moon' } });
}

/** `count` sessions nobody manages: an org beyond what `auto` reads in full. */
async function seedCrowd(hub: TestHub, count: number): Promise<void> {
	const limit = pLimit(8);
	await Promise.all(
		Array.from({ length: count }, (_, i) => limit(() => seedUnmarked(hub, `Crowd session ${i}`)))
	);
}

/** Active sessions per key of the stack, read straight from the Hub. */
async function activeByKey(hub: TestHub): Promise<Record<string, number>> {
	const page = await hub.client.listSessions({ includeArchived: false, limit: 1000 });
	const counts: Record<string, number> = {};
	for (const item of page.sessions) {
		const metadata = (await hub.client.getSession(item.sessionId)).metadata ?? {};
		if (metadata[MARKER.stack] !== STACK) continue;
		const key = String(metadata[MARKER.key]);
		counts[key] = (counts[key] ?? 0) + 1;
	}
	return counts;
}

const planJsonOf = (stdout: string) => JSON.parse(stdout) as PlanJsonV1;

describe('discovery through search', () => {
	const dir = useTempDir('coder-sessions-discovery-');

	it('plans exactly as a full read does, reading only the stack and recent sessions in detail', async ({
		onTestFinished,
	}) => {
		const { hub, longAgo } = await hubWithClock(onTestFinished);
		const before = await writeSpec(
			dir.path,
			'equal-before.yaml',
			doc({ ...entries(['kept', 'changed', 'dropped', 'retired']) })
		);
		await longAgo(async () => {
			await applySpec(hub, before, { cwd: dir.path });
			await seedOthers(hub);
		});
		// `retired` now has an archived session only; `fresh` was made a moment ago.
		const ids = await activeIdsOf(hub);
		await hub.client.archiveSession(ids.retired!);
		await seedMarked(hub, STACK, 'fresh', { task: 'Task fresh', label: 'Label fresh' });
		const after = await writeSpec(
			dir.path,
			'equal-after.yaml',
			doc({
				...entries(['kept', 'retired', 'fresh', 'new']),
				changed: { label: 'Label changed, again', task: 'Task changed' },
			})
		);

		const run = (mode: string) =>
			cli(hub, ['plan', '-f', after, '--format', 'json', '--discovery', mode], { cwd: dir.path });
		const full = await run('full');
		const searched = await run('search');
		expectExit(full, 0);
		expectExit(searched, 0);
		const [a, b] = [planJsonOf(full.stdout), planJsonOf(searched.stdout)];
		expect(b.actions).toEqual(a.actions);
		expect(b.fingerprint).toBe(a.fingerprint);
		expect(b.hazards).toEqual(a.hazards);
		expect(b.removals).toBe(a.removals);
		expect(a.actions.map((action) => [action.kind, action.key])).toEqual([
			['create', 'new'],
			['create', 'retired'],
			['update', 'changed'],
			['archive', 'dropped'],
			['noop', 'fresh'],
			['noop', 'kept'],
		]);
		expect(a.discovery).toMatch(/^Discovery: full read \(--discovery full\)/);
		expect(b.discovery).toMatch(
			/^Discovery: search verified \(it matches stack orbit in metadata\)/
		);
		// The full read reads all 9 sessions; search reads the stack's own 5, the recent one, the
		// hit that only names the stack in its label and the archived one: never the others.
		expect(a.hubCalls?.get).toBe(9);
		expect(b.hubCalls?.get).toBeLessThan(a.hubCalls!.get);
	});

	it('plans under prune: delete in auto exactly what a full read plans, archived history included', async ({
		onTestFinished,
	}) => {
		const { hub, longAgo } = await hubWithClock(onTestFinished);
		const before = await writeSpec(
			dir.path,
			'delete-before.yaml',
			doc(entries(['kept', 'retired', 'gone']), 'delete')
		);
		await longAgo(async () => {
			await applySpec(hub, before, { cwd: dir.path });
			await seedOthers(hub);
			await seedCrowd(hub, 100);
		});
		// Both removed keys are history: no active session names them.
		const ids = await activeIdsOf(hub);
		await hub.client.archiveSession(ids.retired!);
		await hub.client.archiveSession(ids.gone!);
		const after = await writeSpec(dir.path, 'delete-after.yaml', doc(entries(['kept']), 'delete'));

		const run = (mode: string) =>
			cli(hub, ['plan', '-f', after, '--format', 'json', '--discovery', mode], { cwd: dir.path });
		const full = await run('full');
		const auto = await run('auto');
		expectExit(full, 0);
		expectExit(auto, 0);
		const [a, b] = [planJsonOf(full.stdout), planJsonOf(auto.stdout)];
		expect(a.actions.map((action) => [action.kind, action.key, action.sessionId])).toEqual([
			['delete', 'gone', ids.gone],
			['delete', 'retired', ids.retired],
			['noop', 'kept', ids.kept],
		]);
		expect(b.actions).toEqual(a.actions);
		expect(b.fingerprint).toBe(a.fingerprint);
		expect(b.summary).toEqual(a.summary);
		expect(b.discovery).toMatch(/^Discovery: search verified/);
		// It once said "192 of 80 active sessions": archived reads are counted apart.
		const counted =
			/, (\d+) of ([\d,]+) active sessions read in detail \(.*\), and (\d+) more not listed as active \(archived history the plan needs\)\.$/.exec(
				b.discovery ?? ''
			);
		expect(counted, b.discovery).not.toBeNull();
		expect(Number(counted![1])).toBeLessThanOrEqual(Number(counted![2]!.replace(/,/g, '')));
		expect(Number(counted![3])).toBeGreaterThanOrEqual(2);
	});

	it('reads in full a small org in auto, and an org with search that ignores metadata', async ({
		onTestFinished,
	}) => {
		const { hub, longAgo } = await hubWithClock(onTestFinished, { searchIgnoresMetadata: true });
		const file = await writeSpec(dir.path, 'auto.yaml', doc(entries(['a', 'b'])));
		await longAgo(() => applySpec(hub, file, { cwd: dir.path }));
		const auto = await cli(hub, ['plan', '-f', file, '--format', 'markdown'], { cwd: dir.path });
		expectExit(auto, 0);
		expect(auto.stdout).toContain('Discovery: full read (a small org: 2 sessions)');
		const forced = await cli(hub, ['plan', '-f', file, '--discovery', 'search'], {
			cwd: dir.path,
		});
		expectExit(forced, 1);
		expect(forced.stderr).toContain(
			`--discovery search: the Hub's search unverified: it found no session of stack ${STACK}`
		);
	});

	for (const [flag, options] of [
		['search that ignores metadata', { searchIgnoresMetadata: true }],
		['search that indexes new sessions an hour late', { searchDelayMs: 60 * 60 * 1000 }],
	] as const) {
		it(`applies twice with a ${flag} and ends with exactly one session per key`, async ({
			onTestFinished,
		}) => {
			const { hub, longAgo } = await hubWithClock(onTestFinished, options);
			const first = await writeSpec(dir.path, 'weak-1.yaml', doc(entries(['a', 'b'])));
			await longAgo(async () => {
				await applySpec(hub, first, { cwd: dir.path });
				await seedOthers(hub);
				await seedCrowd(hub, 100);
			});
			const second = await writeSpec(dir.path, 'weak-2.yaml', doc(entries(['a', 'b', 'c', 'd'])));
			const applied = await applySpec(hub, second, {
				cwd: dir.path,
				args: ['--discovery', 'auto'],
			});
			expect(applied.stdout).toContain('Plan: 2 to create');
			const again = await applySpec(hub, second, { cwd: dir.path, args: ['--discovery', 'auto'] });
			expect(again.stdout).toContain('Nothing to apply.');
			expect(again.stdout).toMatch(
				'searchIgnoresMetadata' in options
					? /Discovery: full read \(search unverified: it found no session of stack orbit\)/
					: /Discovery: search verified/
			);
			expect(await activeByKey(hub)).toEqual({ a: 1, b: 1, c: 1, d: 1 });
		});
	}

	it('never removes a protected session the search missed', async ({ onTestFinished }) => {
		const { hub, longAgo } = await hubWithClock(onTestFinished, { searchDelayMs: 60 * 60 * 1000 });
		const first = await writeSpec(dir.path, 'protect-1.yaml', doc(entries(['a'])));
		await longAgo(() => applySpec(hub, first, { cwd: dir.path }));
		// Made just now: the search does not show it yet.
		const guarded = await writeSpec(
			dir.path,
			'protect-2.yaml',
			doc({ ...entries(['a']), guarded: { task: 'Task guarded', protect: true } })
		);
		await applySpec(hub, guarded, { cwd: dir.path, args: ['--discovery', 'search'] });
		const searchMisses = await hub.client.listSessions({ search: STACK, includeArchived: true });
		expect(searchMisses.sessions).toHaveLength(1);

		const dropped = await writeSpec(dir.path, 'protect-3.yaml', doc(entries(['a'])));
		const result = await cli(
			hub,
			['apply', '--auto-approve', '-f', dropped, '--discovery', 'search'],
			{ cwd: dir.path }
		);
		expectExit(result, 3);
		expect(result.stderr).toContain('guarded');
		expect(await activeByKey(hub)).toEqual({ a: 1, guarded: 1 });
	});

	it('explains a key whose sessions are all archived, and leaves a declared-archived one be', async ({
		onTestFinished,
	}) => {
		const { hub, longAgo } = await hubWithClock(onTestFinished);
		const first = await writeSpec(dir.path, 'archived-1.yaml', doc(entries(['a', 'gone', 'old'])));
		await longAgo(() => applySpec(hub, first, { cwd: dir.path }));
		const ids = await activeIdsOf(hub);
		await hub.client.archiveSession(ids.gone!);
		await hub.client.archiveSession(ids.old!);
		const spec = await writeSpec(
			dir.path,
			'archived-2.yaml',
			doc({ ...entries(['a', 'gone']), old: { task: 'Task old', state: 'archived' } })
		);
		const result = await cli(
			hub,
			['plan', '-f', spec, '--format', 'json', '--discovery', 'search'],
			{ cwd: dir.path }
		);
		expectExit(result, 0);
		const plan = planJsonOf(result.stdout);
		expect(plan.actions.map((action) => [action.kind, action.key, action.reason])).toEqual([
			[
				'create',
				'gone',
				`the live session ${ids.gone} is archived, and archiving cannot be undone`,
			],
			['noop', 'a', 'matches the spec'],
			['noop', 'old', 'archived'],
		]);
	});
});

describe('discovery of a stack whose every task names it', () => {
	const dir = useTempDir('coder-sessions-discovery-named-');
	const BIG = 'big';
	const KEYS = Array.from({ length: 20 }, (_, i) => `k${String(i).padStart(2, '0')}`);
	/**
	 * Beyond a small org, as 100 sessions of a stack in an org of 3,000 are, scaled down; made
	 * before the stack, so that only the stack's sessions are recent enough to be read anyway.
	 */
	const CROWD = 150;
	const bigDoc = (label: (key: string) => string): SpecDoc => ({
		stack: BIG,
		prune: 'archive',
		sessions: Object.fromEntries(
			KEYS.map((key) => [key, { label: label(key), task: `Work on ${key} for big` }])
		),
	});
	const planAuto = (hub: TestHub, file: string) =>
		cli(hub, ['plan', '-f', file, '--format', 'json', '--discovery', 'auto'], { cwd: dir.path });
	/** As an earlier version left them: without the stack's search token (an empty marker is none). */
	const dropToken = async (hub: TestHub, ids: readonly string[]) => {
		for (const id of ids)
			await hub.client.updateSession(id, { metadata: { [MARKER.searchToken]: '' } });
	};

	it('reads only the stack in detail, sessions made before its token included', async ({
		onTestFinished,
	}) => {
		const { hub, longAgo } = await hubWithClock(onTestFinished);
		const file = await writeSpec(
			dir.path,
			'big.yaml',
			bigDoc((key) => `Label ${key}`)
		);
		await longAgo(() => seedCrowd(hub, CROWD), 2 * TWO_HOURS);
		await longAgo(async () => {
			await applySpec(hub, file, { cwd: dir.path });
			await dropToken(hub, Object.values(await liveIdsByKey(hub, BIG)).slice(0, 5));
		});

		await hub.resetStats();
		const auto = await planAuto(hub, file);
		expectExit(auto, 0);
		const stats = await hubStats(hub.url);
		const plan = planJsonOf(auto.stdout);
		expect(plan.discovery).toMatch(
			/^Discovery: search verified \(it matches the token of stack big in metadata\); 20 sessions of the stack found/
		);
		expect(plan.actions.map((action) => [action.kind, action.key])).toEqual(
			KEYS.map((key) => ['noop', key])
		);
		expect(stats.get).toBe(KEYS.length);

		const full = await cli(hub, ['plan', '-f', file, '--format', 'json', '--discovery', 'full'], {
			cwd: dir.path,
		});
		expectExit(full, 0);
		expect(plan.actions).toEqual(planJsonOf(full.stdout).actions);
		expect(plan.fingerprint).toBe(planJsonOf(full.stdout).fingerprint);
	});

	it('stamps the token on a session at its next write, never as a change of its own', async ({
		onTestFinished,
	}) => {
		const { hub, longAgo } = await hubWithClock(onTestFinished);
		const file = await writeSpec(
			dir.path,
			'big-1.yaml',
			bigDoc((key) => `Label ${key}`)
		);
		await longAgo(() => seedCrowd(hub, CROWD), 2 * TWO_HOURS);
		await longAgo(async () => {
			await applySpec(hub, file, { cwd: dir.path });
			await dropToken(hub, Object.values(await liveIdsByKey(hub, BIG)));
		});

		// Nothing to verify the search by: the whole org is read, and nothing planned to stamp.
		const unstamped = await planAuto(hub, file);
		expectExit(unstamped, 0);
		expect(planJsonOf(unstamped.stdout).discovery).toMatch(
			/^Discovery: full read \(search unverified: each session of stack big it found also names the stack outside its markers/
		);
		expect(planJsonOf(unstamped.stdout).summary).toMatchObject({ create: 0, update: 0 });
		expect((await applySpec(hub, file, { cwd: dir.path })).stdout).toContain('Nothing to apply.');

		const relabelled = await writeSpec(
			dir.path,
			'big-2.yaml',
			bigDoc((key) => `New ${key}`)
		);
		await applySpec(hub, relabelled, { cwd: dir.path });
		await hub.resetStats();
		const stamped = await planAuto(hub, relabelled);
		expectExit(stamped, 0);
		expect(planJsonOf(stamped.stdout).discovery).toMatch(/^Discovery: search verified/);
		expect((await hubStats(hub.url)).get).toBe(KEYS.length);
	});
});

async function activeIdsOf(hub: TestHub): Promise<Record<string, string>> {
	const page = await hub.client.listSessions({ includeArchived: false, limit: 1000 });
	const ids: Record<string, string> = {};
	for (const item of page.sessions) {
		const metadata = (await hub.client.getSession(item.sessionId)).metadata ?? {};
		if (metadata[MARKER.stack] === STACK) ids[String(metadata[MARKER.key])] = item.sessionId;
	}
	return ids;
}

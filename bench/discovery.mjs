// Discovery in a large org: 20,000 sessions (10,000 archived; 19,900 of other stacks or
// unmarked), a stack of 100, 10 ms of latency, every session older than any indexing delay.
// Plan with --discovery full against auto (verified search), with 10 new keys, with each
// weakened search of the local Hub, and in an org of the same shape whose stack of 100 is named
// by every one of its tasks (its name alone cannot verify the search).
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmtMs, ratio, runCli, specYaml, withHub, writeSpec } from './lib.mjs';

const ORG = 20_000;
const STACK = 100;
const ARCHIVED = 10_000;
const LATENCY_MS = 10;
const PARALLELISM = 8;
const TWO_DAYS = 2 * 24 * 60 * 60 * 1000;

export async function benchDiscovery(dir) {
	mkdirSync(dir, { recursive: true });
	const state = join(dir, 'hub.json');
	const namedState = join(dir, 'named-hub.json');
	const spec = writeSpec(dir, 'sessions.yaml', specYaml('orbit', STACK));
	const grown = writeSpec(dir, 'grown.yaml', specYaml('orbit', STACK + 10));
	const named = writeSpec(dir, 'named.yaml', namingItself('big', STACK));
	const seedStarted = performance.now();
	await seedOrg(dir, state, spec);
	await seedOrg(dir, namedState, named);
	const seedMs = performance.now() - seedStarted;
	console.log(
		`discovery: ${ORG.toLocaleString('en-US')} sessions (${ARCHIVED.toLocaleString('en-US')} archived, ${(ORG - STACK).toLocaleString('en-US')} not the stack's), stack of ${STACK}, ${LATENCY_MS} ms latency, parallelism ${PARALLELISM} (seeded in ${fmtMs(seedMs)})`
	);

	const runs = [
		['plan, --discovery full', spec, {}, 'full'],
		['plan, --discovery auto', spec, {}, 'auto'],
		['plan creating 10 keys, auto', grown, {}, 'auto'],
		['search ignores metadata, auto', spec, { searchIgnoresMetadata: true }, 'auto'],
		['search 10 min late, auto', spec, { searchDelayMs: 600_000 }, 'auto'],
		['stack its tasks name, auto', named, { stateFile: namedState }, 'auto'],
	];
	let fullMs;
	for (const [name, file, options, mode] of runs) {
		await withHub({ stateFile: state, latencyMs: LATENCY_MS, ...options }, async (hub) => {
			const args = [
				'plan',
				'--url',
				hub.url,
				'-f',
				file,
				'--format',
				'json',
				'--discovery',
				mode,
				'--parallelism',
				String(PARALLELISM),
			];
			// A plan that reads the whole org runs once; a fast one three times, its median shown
			// (one process start is a large share of it on a busy machine).
			const first = await runCli(args, { cwd: dir });
			if (first.code !== 0) throw new Error(`plan failed: ${first.stderr}`);
			const fast = JSON.parse(first.stdout || '{}').hubCalls?.get < ORG;
			const runs = fast
				? [first, await runCli(args, { cwd: dir }), await runCli(args, { cwd: dir })]
				: [first];
			const run = runs.sort((x, y) => x.ms - y.ms)[Math.floor(runs.length / 2)];
			if (run.code !== 0) throw new Error(`plan failed: ${run.stderr}`);
			const plan = JSON.parse(run.stdout);
			const { list, get } = plan.hubCalls;
			fullMs ??= run.ms;
			const versus = mode === 'full' ? 'baseline' : `${ratio(fullMs, run.ms)} faster than full`;
			console.log(
				`  ${name.padEnd(30)} ${fmtMs(run.ms).padStart(8)}  ${String(list).padStart(3)} list + ${String(get).padStart(5)} get; ${plan.summary.create} to create; ${versus}`
			);
			console.log(`  ${''.padEnd(30)} ${plan.discovery}`);
			if (fast)
				console.log(`  ${''.padEnd(30)} (median of 3: ${runs.map((r) => fmtMs(r.ms)).join(', ')})`);
		});
	}
	console.log('');
}

/** The stack through apply, two days ago by the Hub's clock; the rest written to its journal. */
async function seedOrg(dir, state, spec) {
	await withHub({ stateFile: state, now: () => new Date(Date.now() - TWO_DAYS) }, async (hub) => {
		const seeded = await runCli(['apply', '--auto-approve', '--url', hub.url, '-f', spec], {
			cwd: dir,
		});
		if (seeded.code !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
	});
	appendOthers(state, ORG - STACK);
}

/** A stack whose every task names it: a search for its name matches every task. */
function namingItself(stack, count) {
	return specYaml(stack, count).replace(/task: (.*)$/gm, `task: $1 for ${stack}`);
}

/** Sessions of another stack, unmarked ones and archived ones, written as journal puts. */
export function appendOthers(state, count) {
	const template = JSON.parse(readFileSync(state, 'utf8').split('\n')[1]).session;
	const base = Date.now() - 3 * TWO_DAYS;
	const lines = [];
	for (let i = 0; i < count; i += 1) {
		const createdAt = new Date(base + i * 1000).toISOString();
		const metadata =
			i % 2 === 0
				? { 'coder-sessions/stack': `team-${i % 50}`, 'coder-sessions/key': `k-${i}` }
				: { owner: `person-${i % 97}` };
		const session = {
			...template,
			id: `codesess_${(0x100000000000 + i).toString(16).slice(-12)}`,
			createdAt,
			updatedAt: createdAt,
			task: `Someone else's session ${i}`,
			label: `Someone else's session ${i}`,
			metadata,
			envKeys: [],
		};
		delete session.archivedAt;
		if (i < ARCHIVED) session.archivedAt = createdAt;
		lines.push(JSON.stringify({ op: 'put', session }));
	}
	appendFileSync(state, `${lines.join('\n')}\n`);
}

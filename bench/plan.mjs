// plan of a 1,000-session spec against a Hub holding them plus 1,000 sessions of another stack,
// with 10 ms of latency per request, beside the floor and a plain one-at-a-time script.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CoderClient } from '@agentuity/core/coder';
import { fileURLToPath } from 'node:url';
import {
	fmtMs,
	median,
	ratio,
	runCli,
	runScript,
	seedForeign,
	specYaml,
	withHub,
	writeSpec,
} from './lib.mjs';

const BARE_READ = fileURLToPath(new URL('./bare-read-child.mjs', import.meta.url));

const SESSIONS = 1000;
const LATENCY_MS = 10;
const PARALLELISM = 8;
const ROUNDS = 3;

export async function benchPlan(dir) {
	mkdirSync(dir, { recursive: true });
	const state = join(dir, 'hub.json');
	const spec = writeSpec(dir, 'sessions.yaml', specYaml('bench', SESSIONS));
	await withHub({ stateFile: state }, async (hub) => {
		const seeded = await runCli(['apply', '--auto-approve', '--url', hub.url, '-f', spec], {
			cwd: dir,
		});
		if (seeded.code !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
		await seedForeign(hub.url, SESSIONS);
	});

	await withHub({ stateFile: state, latencyMs: LATENCY_MS }, async (hub) => {
		// The plan and the bare read take turns, three times each: the median of each is shown.
		const plans = [];
		const bares = [];
		for (let round = 0; round < ROUNDS; round += 1) {
			plans.push(await planRun(hub.url, dir));
			bares.push(await bareRead(hub.url, dir));
		}
		const run = middle(plans);
		const bare = middle(bares);
		const { list, get } = run.plan.hubCalls;
		const floor = (list + get / PARALLELISM) * LATENCY_MS;
		const plain = await plainScript(hub.url);
		console.log(
			`plan: ${SESSIONS} sessions in the spec, ${2 * SESSIONS} on the Hub, ${LATENCY_MS} ms latency, parallelism ${PARALLELISM}; median of ${ROUNDS}`
		);
		console.log(
			`  coder-sessions plan  ${fmtMs(run.ms)}  ${list} list + ${get} get calls; ${run.plan.summary.noop} unchanged  (${times(plans)})`
		);
		console.log(
			`  floor                ${fmtMs(floor)}  (list + get / ${PARALLELISM}) x ${LATENCY_MS} ms; plan is ${ratio(run.ms, floor)} of it (goal 1.25x)`
		);
		console.log(
			`  bare SDK read        ${fmtMs(bare.ms)}  ${bare.calls.list} list + ${bare.calls.get} get, ${PARALLELISM} at a time, in a process of its own; plan is ${ratio(run.ms, bare.ms)} of it (goal 1.15x)  (${times(bares)})`
		);
		console.log(
			`  plain script         ${fmtMs(plain.ms)}  ${plain.calls} calls one at a time; plan is ${ratio(plain.ms, run.ms)} faster\n`
		);
	});
}

async function planRun(url, dir) {
	const args = ['plan', '--url', url, '-f', join(dir, 'sessions.yaml'), '--format', 'json'];
	const run = await runCli([...args, '--parallelism', String(PARALLELISM)], { cwd: dir });
	if (run.code !== 0) throw new Error(`plan failed: ${run.stderr}`);
	return { ms: run.ms, plan: JSON.parse(run.stdout) };
}

async function bareRead(url, dir) {
	const bare = await runScript(BARE_READ, [url, String(PARALLELISM)], { cwd: dir });
	if (bare.code !== 0) throw new Error(`bare read failed: ${bare.stderr}`);
	return { ms: bare.ms, calls: JSON.parse(bare.stdout) };
}

/** The run of median time. */
const middle = (runs) => runs.find((run) => run.ms === median(runs.map((r) => r.ms)));
const times = (runs) => runs.map((run) => fmtMs(run.ms)).join(', ');

/** What a user would write first: list every page, then getSession for each, one by one. */
async function plainScript(url) {
	const client = new CoderClient({ url, apiKey: 'bench' });
	const started = performance.now();
	let calls = 0;
	const ids = [];
	for (let offset = 0; ; offset += 100) {
		const page = await client.listSessions({ includeArchived: true, limit: 100, offset });
		calls += 1;
		ids.push(...page.sessions.map((s) => s.sessionId));
		if (page.sessions.length < 100) break;
	}
	for (const id of ids) {
		await client.getSession(id);
		calls += 1;
	}
	return { ms: performance.now() - started, calls };
}

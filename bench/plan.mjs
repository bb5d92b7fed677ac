// plan of a 1,000-session spec against a Hub holding them plus 1,000 sessions of another stack,
// with 10 ms of latency per request, beside the floor and a plain one-at-a-time script.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CoderClient } from '@agentuity/core/coder';
import { fileURLToPath } from 'node:url';
import {
	fmtMs,
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
		const run = await runCli(
			[
				'plan',
				'--url',
				hub.url,
				'-f',
				spec,
				'--format',
				'json',
				'--parallelism',
				String(PARALLELISM),
			],
			{ cwd: dir }
		);
		if (run.code !== 0) throw new Error(`plan failed: ${run.stderr}`);
		const plan = JSON.parse(run.stdout);
		const { list, get } = plan.hubCalls;
		const floor = (list + get / PARALLELISM) * LATENCY_MS;
		const bare = await runScript(BARE_READ, [hub.url, String(PARALLELISM)], { cwd: dir });
		if (bare.code !== 0) throw new Error(`bare read failed: ${bare.stderr}`);
		const bareCalls = JSON.parse(bare.stdout);
		const plain = await plainScript(hub.url);
		console.log(
			`plan: ${SESSIONS} sessions in the spec, ${2 * SESSIONS} on the Hub, ${LATENCY_MS} ms latency, parallelism ${PARALLELISM}`
		);
		console.log(
			`  coder-sessions plan  ${fmtMs(run.ms)}  ${list} list + ${get} get calls; ${plan.summary.noop} unchanged`
		);
		console.log(
			`  floor                ${fmtMs(floor)}  (list + get / ${PARALLELISM}) x ${LATENCY_MS} ms; plan is ${ratio(run.ms, floor)} of it (goal 1.25x)`
		);
		console.log(
			`  bare SDK read        ${fmtMs(bare.ms)}  ${bareCalls.list} list + ${bareCalls.get} get, ${PARALLELISM} at a time, in a process of its own; plan is ${ratio(run.ms, bare.ms)} of it (goal 1.15x)`
		);
		console.log(
			`  plain script         ${fmtMs(plain.ms)}  ${plain.calls} calls one at a time; plan is ${ratio(plain.ms, run.ms)} faster\n`
		);
	});
}

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

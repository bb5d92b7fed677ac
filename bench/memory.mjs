// Peak memory of an apply creating 10,000 sessions and of a plan over them (goal: under 200 MB),
// and the diff alone without the network (goal: at most 120 ms). Each runs in a child process so
// its RSS is its own.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtMs, median, specYaml, withHub, writeSpec } from './lib.mjs';

const SESSIONS = 10_000;
const ROUNDS = 3;
const child = fileURLToPath(new URL('./plan-child.mjs', import.meta.url));
const applyChild = fileURLToPath(new URL('./apply-child.mjs', import.meta.url));

export async function benchPlanMemory(dir) {
	mkdirSync(dir, { recursive: true });
	const spec = writeSpec(dir, 'sessions.yaml', specYaml('bench', SESSIONS));
	await withHub({ stateFile: join(dir, 'hub.json') }, async (hub) => {
		const applied = JSON.parse(await runChild([applyChild, hub.url, spec]));
		if (applied.code !== 0) throw new Error(`apply of ${SESSIONS} sessions exited ${applied.code}`);
		// Three plans: the diff's median, and the highest peak of memory.
		const plans = [];
		for (let round = 0; round < ROUNDS; round += 1)
			plans.push(JSON.parse(await runChild([child, hub.url, spec])));
		const diffMs = median(plans.map((plan) => plan.diffMs));
		const result = {
			...plans.find((plan) => plan.diffMs === diffMs),
			maxRssMb: Math.max(...plans.map((plan) => plan.maxRssMb)),
		};
		const all = (pick) => plans.map(pick).join(', ');
		console.log(`plan over ${SESSIONS} sessions (no injected latency), ${ROUNDS} plans`);
		console.log(
			`  apply creating them     ${fmtMs(applied.ms)}; peak memory (max RSS) ${applied.maxRssMb} MB  (goal: under 200 MB)`
		);
		console.log(
			`  peak memory (max RSS)   ${result.maxRssMb} MB, the highest of ${all((plan) => plan.maxRssMb)}  (goal: under 200 MB)`
		);
		console.log(
			`  read the Hub            ${fmtMs(result.readMs)}  (${result.calls.list} list + ${result.calls.get} get)`
		);
		console.log(
			`  diff alone, no network  ${fmtMs(result.diffMs)}, the median of ${all((plan) => fmtMs(plan.diffMs))}  (goal: at most 120 ms); ${result.noop} unchanged\n`
		);
	});
}

function runChild(args) {
	return new Promise((resolve, reject) => {
		const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
		let out = '';
		proc.stdout.on('data', (chunk) => (out += chunk));
		proc.on('error', reject);
		proc.on('close', (code) =>
			code === 0 ? resolve(out) : reject(new Error(`plan child exited ${code}`))
		);
	});
}

// Peak memory of an apply creating 10,000 sessions and of a plan over them (goal: under 200 MB),
// and the diff alone without the network (goal: at most 120 ms). Each runs in a child process so
// its RSS is its own.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtMs, specYaml, withHub, writeSpec } from './lib.mjs';

const SESSIONS = 10_000;
const child = fileURLToPath(new URL('./plan-child.mjs', import.meta.url));
const applyChild = fileURLToPath(new URL('./apply-child.mjs', import.meta.url));

export async function benchPlanMemory(dir) {
	mkdirSync(dir, { recursive: true });
	const spec = writeSpec(dir, 'sessions.yaml', specYaml('bench', SESSIONS));
	await withHub({ stateFile: join(dir, 'hub.json') }, async (hub) => {
		const applied = JSON.parse(await runChild([applyChild, hub.url, spec]));
		if (applied.code !== 0) throw new Error(`apply of ${SESSIONS} sessions exited ${applied.code}`);
		const result = JSON.parse(await runChild([child, hub.url, spec]));
		console.log(`plan over ${SESSIONS} sessions (no injected latency)`);
		console.log(
			`  apply creating them     ${fmtMs(applied.ms)}; peak memory (max RSS) ${applied.maxRssMb} MB  (goal: under 200 MB)`
		);
		console.log(`  peak memory (max RSS)   ${result.maxRssMb} MB  (goal: under 200 MB)`);
		console.log(
			`  read the Hub            ${fmtMs(result.readMs)}  (${result.calls.list} list + ${result.calls.get} get)`
		);
		console.log(
			`  diff alone, no network  ${fmtMs(result.diffMs)}  (goal: at most 120 ms); ${result.noop} unchanged\n`
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

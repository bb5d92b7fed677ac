// apply of 1,000 creates, then of 1,000 updates, against a Hub with 10 ms of latency, beside the
// floor (calls / parallelism) x latency.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fmtMs, ratio, resetStats, runCli, specYaml, stats, withHub, writeSpec } from './lib.mjs';

const SESSIONS = 1000;
const LATENCY_MS = 10;
const PARALLELISM = 8;
/** Hub calls per session at most: a create; the plan's read, the re-read before the write, the write. */
const GOAL_PER_SESSION = { creates: 1.15, updates: 3.15 };

export async function benchApply(dir) {
	mkdirSync(dir, { recursive: true });
	const created = writeSpec(dir, 'v1.yaml', specYaml('bench', SESSIONS));
	const relabelled = writeSpec(
		dir,
		'v2.yaml',
		specYaml('bench', SESSIONS, (i) => `Renamed session ${i}`)
	);
	console.log(`apply: ${SESSIONS} sessions, ${LATENCY_MS} ms latency, parallelism ${PARALLELISM}`);
	await withHub({ stateFile: join(dir, 'hub.json'), latencyMs: LATENCY_MS }, async (hub) => {
		for (const [name, spec] of [
			['creates', created],
			['updates', relabelled],
		]) {
			await resetStats(hub.url);
			const run = await runCli(
				[
					'apply',
					'--auto-approve',
					'--url',
					hub.url,
					'-f',
					spec,
					'--parallelism',
					String(PARALLELISM),
				],
				{ cwd: dir }
			);
			if (run.code !== 0) throw new Error(`apply failed: ${run.stderr}`);
			const calls = (await stats(hub.url)).total;
			const floor = (calls / PARALLELISM) * LATENCY_MS;
			const perSession = (calls / SESSIONS).toFixed(2);
			console.log(
				`  ${SESSIONS} ${name.padEnd(8)} ${fmtMs(run.ms).padStart(8)}  ${calls} Hub calls (plan, writes, read-back), ${perSession} per ${name.slice(0, -1)} (goal ${GOAL_PER_SESSION[name]}); floor ${fmtMs(floor)}; ${ratio(run.ms, floor)} of it (goal 1.25x)`
			);
		}
	});
	console.log('');
}

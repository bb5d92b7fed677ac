// apply of 1,000 creates, then of 1,000 updates, against a Hub with 10 ms of latency, beside the
// floor (calls / parallelism) x latency and beside a bare SDK script making the same writes on a
// Hub of its own (bare-write-child.mjs), once through Node's fetch as the SDK sends, and once
// through node:http (http-fetch.mjs). Three rounds, each on new Hubs, the three clients taking
// turns within a round; the median of each is shown.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	fmtMs,
	median,
	ratio,
	resetStats,
	runCli,
	runScript,
	specYaml,
	stats,
	withHub,
	writeSpec,
} from './lib.mjs';

const BARE_WRITE = fileURLToPath(new URL('./bare-write-child.mjs', import.meta.url));
const SESSIONS = 1000;
const LATENCY_MS = 10;
const PARALLELISM = 8;
const ROUNDS = 3;
/** Hub calls per session at most: a create; the plan's read, the re-read before the write, the write. */
const GOAL_PER_SESSION = { creates: 1.15, updates: 3.15 };
const PHASES = ['creates', 'updates'];
const CLIENTS = ['cli', 'fetch', 'http'];

export async function benchApply(dir) {
	mkdirSync(dir, { recursive: true });
	const specs = {
		creates: writeSpec(dir, 'v1.yaml', specYaml('bench', SESSIONS)),
		updates: writeSpec(
			dir,
			'v2.yaml',
			specYaml('bench', SESSIONS, (i) => `Renamed session ${i}`)
		),
	};
	console.log(
		`apply: ${SESSIONS} sessions, ${LATENCY_MS} ms latency, parallelism ${PARALLELISM}; median of ${ROUNDS} rounds`
	);
	/** runs[phase][client]: one { ms, calls } per round. */
	const runs = Object.fromEntries(
		PHASES.map((phase) => [phase, Object.fromEntries(CLIENTS.map((client) => [client, []]))])
	);
	for (let round = 0; round < ROUNDS; round += 1) {
		const hubOptions = (client) => ({
			stateFile: join(dir, `hub-${round}-${client}.json`),
			latencyMs: LATENCY_MS,
		});
		await withHub(hubOptions('cli'), (cliHub) =>
			withHub(hubOptions('fetch'), (fetchHub) =>
				withHub(hubOptions('http'), async (httpHub) => {
					const hubs = { cli: cliHub, fetch: fetchHub, http: httpHub };
					for (const phase of PHASES) {
						for (const client of CLIENTS) {
							const { url } = hubs[client];
							const run =
								client === 'cli'
									? () => runCli(applyArgs(url, specs[phase]), { cwd: dir })
									: () =>
											runScript(
												BARE_WRITE,
												[url, phase, String(SESSIONS), String(PARALLELISM), client],
												{ cwd: dir }
											);
							runs[phase][client].push(await measure(url, run));
						}
					}
				})
			)
		);
	}
	for (const phase of PHASES) {
		const [cli, bare, http] = CLIENTS.map((client) => summary(runs[phase][client]));
		const one = phase.slice(0, -1);
		console.log(
			`  ${SESSIONS} ${phase.padEnd(8)} ${fmtMs(cli.ms).padStart(8)}  ${cli.calls} Hub calls (plan, writes, read-back), ${(cli.calls / SESSIONS).toFixed(2)} per ${one} (goal ${GOAL_PER_SESSION[phase]}); floor ${fmtMs(cli.floor)}; ${ratio(cli.ms, cli.floor)} of it (goal 1.25x)  (${cli.all})`
		);
		console.log(
			`    bare SDK writes ${fmtMs(bare.ms).padStart(8)}  ${bare.calls} Hub calls, ${PARALLELISM} at a time, in a process of its own; ${ratio(bare.ms, bare.floor)} of its floor; apply is ${ratio(cli.ms, bare.ms)} of it  (${bare.all})`
		);
		console.log(
			`    the same over node:http ${fmtMs(http.ms).padStart(8)}  instead of Node's fetch; ${ratio(http.ms, http.floor)} of its floor  (${http.all})`
		);
	}
	console.log('');
}

function applyArgs(url, spec) {
	return ['apply', '--auto-approve', '--url', url, '-f', spec, '--parallelism', `${PARALLELISM}`];
}

/** Runs one client against a Hub: its wall time and the Hub calls it made. */
async function measure(url, run) {
	await resetStats(url);
	const result = await run();
	if (result.code !== 0) throw new Error(`run failed: ${result.stderr}`);
	return { ms: result.ms, calls: (await stats(url)).total };
}

/** The median run of a client, its floor, and every round's time. */
function summary(rounds) {
	const ms = median(rounds.map((run) => run.ms));
	const calls = median(rounds.map((run) => run.calls));
	return {
		ms,
		calls,
		floor: (calls / PARALLELISM) * LATENCY_MS,
		all: rounds.map((run) => fmtMs(run.ms)).join(', '),
	};
}

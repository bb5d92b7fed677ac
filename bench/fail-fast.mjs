// How fast the CLI gives up when there is no Hub to talk to: none configured, or nothing
// listening at its address (the SDK alone would retry for ~30 s), beside the CLI's own start-up.
// Medians of a few runs, each a fresh process.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fmtMs, runCli, specYaml, writeSpec } from './lib.mjs';

const RUNS = 5;

export async function benchFailFast(dir) {
	mkdirSync(dir, { recursive: true });
	const spec = writeSpec(dir, 'sessions.yaml', specYaml('bench', 3));
	const port = await closedPort();
	const cases = [
		['--version (start-up alone)', ['--version'], 0],
		['plan, no Hub configured', ['plan', '-f', spec], 1],
		['plan, Hub not listening', ['plan', '-f', spec, '--url', `http://127.0.0.1:${port}`], 1],
	];
	console.log(`fail fast: median of ${RUNS} runs`);
	for (const [name, args, expected] of cases) {
		const times = [];
		for (let run = 0; run < RUNS; run += 1) {
			const result = await runCli(args, { cwd: dir });
			if (result.code !== expected) {
				throw new Error(`${name}: exit ${result.code}, expected ${expected}\n${result.stderr}`);
			}
			times.push(result.ms);
		}
		times.sort((a, b) => a - b);
		console.log(`  ${name.padEnd(28)} ${fmtMs(times[Math.floor(RUNS / 2)])}`);
	}
	console.log('');
}

/** A loopback port with nothing listening on it. */
async function closedPort() {
	const server = createServer();
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	await new Promise((resolve) => server.close(resolve));
	return port;
}

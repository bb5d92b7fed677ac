// Start-up: how long a fresh process takes for commands that never talk to the Hub, beside
// `node -e 0` (the floor no CLI can beat). Each figure is the median of RUNS fresh processes.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cli, fmtMs, median, ratio } from './lib.mjs';

const RUNS = 15;
const example = fileURLToPath(new URL('../examples/sessions.yaml', import.meta.url));

/** Wall time of one fresh `node ARGS` process, in ms; throws when it does not exit 0. */
function timeNode(args) {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(process.execPath, args, {
			env: { PATH: process.env.PATH, NO_COLOR: '1' },
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code) => {
			if (code === 0) resolve(performance.now() - started);
			else reject(new Error(`node ${args.join(' ')}: exit ${code}\n${stderr}`));
		});
	});
}

export async function benchStartup() {
	const cases = [
		['node -e 0', ['-e', '0']],
		['--version', [cli, '--version']],
		['validate (examples/sessions.yaml)', [cli, 'validate', '-f', example]],
	];
	// Interleaved, so that a busy moment of the machine weighs on every case alike.
	const times = cases.map(() => []);
	for (let run = 0; run < RUNS; run += 1) {
		for (const [index, [, args]] of cases.entries()) times[index].push(await timeNode(args));
	}
	const floor = median(times[0]);
	console.log(
		`start-up: median of ${RUNS} runs, ratio to node -e 0 (goals: --version 2x, validate 3.5x)`
	);
	for (const [index, [name]] of cases.entries()) {
		const ms = median(times[index]);
		console.log(`  ${name.padEnd(34)} ${fmtMs(ms).padStart(7)}  ${ratio(ms, floor)}`);
	}
	console.log('');
}

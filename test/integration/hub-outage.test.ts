/**
 * A Hub process that dies (SIGKILL) in the middle of a run: apply stops within seconds with one
 * line naming the Hub and what is unknown, then its summary, exit 5; reads end with one error
 * line, exit 1. The Hub restarted on the same state file, the next apply converges.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import {
	activeCountByKey,
	hubStats,
	manySessions,
	sdkClient,
	waitFor,
} from '../support/apply-helpers.js';
import { tempDirForTest, writeSpec } from '../support/local-hub.js';
import { runCli as runCommandLine, type CliResult, type CliOptions } from '../support/cli.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';
import { closedPort } from '../support/ports.js';

/** The built binary: a Hub process that stops and starts again under a running apply. */
const runCli = (args: readonly string[], options: CliOptions = {}) =>
	runCommandLine(args, { ...options, binary: true });

const STACK = 'it-outage';
const ENTRIES = 60;
/** Generous bounds: the unfixed CLI took 7 to 15 minutes to give up on a dead Hub. */
const RUN_TIMEOUT_MS = 60_000;
const TEST_TIMEOUT_MS = 180_000;

let hub: HubProcess | undefined;

afterEach(async () => {
	await hub?.stop('SIGKILL');
	hub = undefined;
});

interface Setup {
	readonly dir: string;
	readonly file: string;
	readonly keys: readonly string[];
	/** Starts (or restarts) the Hub on the same port and state file. */
	readonly serve: (extra?: readonly string[]) => Promise<HubProcess>;
}

async function setUp(): Promise<Setup> {
	const dir = await tempDirForTest(onTestFinished, 'hub-outage-');
	const port = await closedPort();
	const sessions = manySessions(ENTRIES);
	const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions });
	const state = join(dir, 'hub-state.json');
	const serve = async (extra: readonly string[] = []) => {
		hub = await startHubProcess(['--port', String(port), '--state', state, ...extra], {
			cwd: dir,
		});
		return hub;
	};
	return { dir, file, keys: Object.keys(sessions), serve };
}

function apply(setup: Setup, url: string): Promise<CliResult> {
	return runCli(['apply', '--url', url, '-f', setup.file, '--auto-approve'], {
		cwd: setup.dir,
		timeoutMs: RUN_TIMEOUT_MS,
	});
}

/** Kills the Hub once `ready` holds for its request counts; the run must still be going then. */
async function killWhen(
	served: HubProcess,
	ready: (stats: Record<string, number>) => boolean,
	what: string
): Promise<void> {
	await waitFor(async () => ready(await hubStats(served.url)), what, RUN_TIMEOUT_MS, 5);
	expect((await served.stop('SIGKILL')).signal).toBe('SIGKILL');
}

/** The stopped run's output: one line about the Hub, the summary, few error lines; exit 5. */
function expectStoppedRun(result: CliResult, url: string): void {
	const output = result.stdout + result.stderr;
	expect(result.signal, `apply did not end within ${RUN_TIMEOUT_MS} ms\n${output}`).toBeNull();
	expect(result.code, output).toBe(5);
	const about = result.stderr.split('\n').filter((line) => line.includes(`The Hub at ${url}`));
	expect(about, output).toHaveLength(1);
	expect(about[0]).toMatch(
		new RegExp(`^The Hub at ${url} stopped answering \\(connection (refused|reset)\\): `)
	);
	expect(about[0]).toMatch(/; run apply again once it is back\.$/);
	expect(result.stdout).toMatch(/^Apply finished: \d+ applied, /m);
	expect(output).not.toContain('HTTP 503');
	const errorLines = output.split('\n').filter((line) => /unknown |failed |Error/.test(line));
	expect(errorLines.length, output).toBeLessThanOrEqual(10);
}

async function expectConvergedAfterRestart(setup: Setup): Promise<void> {
	const again = await setup.serve();
	const result = await apply(setup, again.url);
	expect(result.code, result.stdout + result.stderr).toBe(0);
	const counts = await activeCountByKey(again.url, STACK);
	expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(setup.keys.map((k) => [k, 1])));
}

describe('apply when the Hub dies', () => {
	it(
		'after the creates landed: stops at once, skips the read-back, and the next run converges',
		async () => {
			const setup = await setUp();
			const served = await setup.serve(['--latency-ms', '200']);
			const run = apply(setup, served.url);
			// All creates answered: the reads after them (duplicate sweep, read-back) are under way.
			let readsBefore = Infinity;
			await killWhen(
				served,
				(stats) => {
					const reads = (stats.list ?? 0) + (stats.get ?? 0);
					if ((stats.create ?? 0) < ENTRIES) return false;
					readsBefore = Math.min(readsBefore, reads);
					return reads > readsBefore;
				},
				'a read after the last create'
			);
			const result = await run;
			expectStoppedRun(result, served.url);
			expect(result.stdout).toContain(`Apply finished: ${ENTRIES} applied, 0 failed,`);
			await expectConvergedAfterRestart(setup);
		},
		TEST_TIMEOUT_MS
	);

	it(
		'during the creates: in-flight actions are unknown, the rest not attempted, and the next run converges',
		async () => {
			const setup = await setUp();
			const served = await setup.serve(['--latency-ms', '200']);
			const run = apply(setup, served.url);
			await killWhen(served, (stats) => (stats.create ?? 0) >= 20, '20 creates');
			const result = await run;
			expectStoppedRun(result, served.url);
			const about = result.stderr.split('\n').find((line) => line.startsWith('The Hub at '))!;
			const [, notAttempted] = /, (\d+) not attempted;/.exec(about) ?? [];
			expect(Number(notAttempted), about).toBeGreaterThan(0);
			expect(result.stdout).toContain(`, ${notAttempted} not attempted.`);
			// Not attempted actions are counted in the one line, not listed one by one.
			expect(result.stdout).not.toContain('not attempted  create');
			await expectConvergedAfterRestart(setup);
		},
		TEST_TIMEOUT_MS
	);
});

describe('reads when the Hub dies', () => {
	for (const command of ['plan', 'status'] as const) {
		it(
			`${command} ends with one line naming the Hub, exit 1`,
			async () => {
				const setup = await setUp();
				const seeded = await setup.serve();
				expect((await apply(setup, seeded.url)).code).toBe(0);
				await seeded.stop('SIGTERM');
				// Restarted slow: the reads are under way (the list answered) when it dies.
				const served = await setup.serve(['--latency-ms', '500']);
				const run = runCli([command, '--url', served.url, '-f', setup.file], {
					cwd: setup.dir,
					timeoutMs: RUN_TIMEOUT_MS,
				});
				await killWhen(served, (stats) => (stats.get ?? 0) >= 1, 'the first detail read');
				const result = await run;
				const output = result.stdout + result.stderr;
				expect(result.signal, output).toBeNull();
				expect(result.code, output).toBe(1);
				expect(result.stderr.trim()).toMatch(
					new RegExp(
						`^Error: the Hub at ${served.url} stopped answering \\(connection (refused|reset)\\)$`
					)
				);
			},
			TEST_TIMEOUT_MS
		);
	}
});

describe('a Hub process frozen (SIGSTOP): it accepts connections and answers nothing', () => {
	it(
		'plan and apply end at their request deadline, and the process exits',
		async () => {
			const setup = await setUp();
			const frozen = await setup.serve();
			frozen.child.kill('SIGSTOP');
			for (const args of [['plan'], ['apply', '--auto-approve']]) {
				const result = await runCli(
					[...args, '--url', frozen.url, '-f', setup.file, '--request-timeout', '3'],
					{ cwd: setup.dir, timeoutMs: RUN_TIMEOUT_MS }
				);
				const output = result.stdout + result.stderr;
				// A process held open by a half-closed probe socket would be killed by the bound.
				expect(result.signal, output).toBeNull();
				expect(result.code, output).toBe(1);
				expect(result.stderr).toContain(
					`the Hub at ${frozen.url} stopped answering (no answer within 3 s)`
				);
			}
		},
		TEST_TIMEOUT_MS
	);
});

describe('a Hub frozen while apply waits for a workspace snapshot', () => {
	it(
		'the wait ends at the request deadline, what stands on the workspace is not attempted, and once the Hub thaws the next apply converges',
		async () => {
			const dir = await tempDirForTest(onTestFinished, 'frozen-snapshot-');
			const port = await closedPort();
			const file = await writeSpec(dir, 'coder.yaml', {
				stack: 'it-frozen-snapshot',
				workspaces: { docs: { name: 'Docs workspace', dependencies: ['jq'] } },
				sessions: { work: { task: 'Work in the docs workspace.', workspace: 'docs' } },
			});
			hub = await startHubProcess(
				['--port', String(port), '--no-state', '--snapshot-ready-after-ms', '6000'],
				{ cwd: dir }
			);
			const served = hub;
			const args = ['apply', '--url', served.url, '-f', file, '--auto-approve'];
			const run = runCli([...args, '--request-timeout', '3'], {
				cwd: dir,
				timeoutMs: RUN_TIMEOUT_MS,
			});
			const client = sdkClient(served.url);
			await waitFor(
				async () => (await client.listWorkspaces()).workspaces.length > 0,
				'the workspace exists, its snapshot building',
				RUN_TIMEOUT_MS
			);
			served.child.kill('SIGSTOP');
			const result = await run;
			const output = result.stdout + result.stderr;
			expect(result.signal, output).toBeNull();
			expect(result.code, output).toBe(5);
			expect(result.stderr).toContain(
				`The Hub at ${served.url} stopped answering (no answer within 3 s)`
			);
			expect(result.stdout).toMatch(/^unknown +create workspaces\.docs \(workspace\)/m);
			expect(result.stdout).toMatch(/1 not attempted/);

			served.child.kill('SIGCONT');
			const again = await runCli(args, { cwd: dir, timeoutMs: RUN_TIMEOUT_MS });
			expect(again.code, again.stdout + again.stderr).toBe(0);
			const { workspaces } = await client.listWorkspaces();
			expect(workspaces).toHaveLength(1);
			expect(await activeCountByKey(served.url, 'it-frozen-snapshot')).toEqual(
				new Map([['work', 1]])
			);
		},
		TEST_TIMEOUT_MS
	);
});

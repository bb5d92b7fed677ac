/**
 * `apply` stopped by Ctrl-C or SIGTERM: before approval it has changed nothing and says so;
 * while writing it says actions in flight may have happened, and the next apply converges.
 * Both exit 130, as shells report an interrupted command.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import {
	activeCountByKey,
	manySessions,
	startProxy,
	type HubProxy,
	type ProxiedRequest,
} from '../support/apply-helpers.js';
import { CLI_TIMEOUT_MS, cliPath, type CliResult } from '../support/cli.js';
import { cli, hubAndDirForTest, writeSpec } from '../support/local-hub.js';

const STACK = 'it-interrupted';
const COUNT = 20;

let proxy: HubProxy | undefined;

afterEach(async () => {
	await proxy?.close();
	proxy = undefined;
});

const isCreate = (request: ProxiedRequest) =>
	request.method === 'POST' && request.path === '/api/hub/session';
const isList = (request: ProxiedRequest) =>
	request.method === 'GET' && request.path.startsWith('/api/hub/sessions');

/**
 * `apply --auto-approve` of COUNT new sessions through a proxy that sends `signal` to the CLI at
 * the first request `when` picks; bounded by CLI_TIMEOUT_MS.
 */
async function applyStoppedAt(when: (request: ProxiedRequest) => boolean, signal: NodeJS.Signals) {
	const { hub, dir } = await hubAndDirForTest(onTestFinished, { latencyMs: 20 }, 'interrupted-');
	const file = await writeSpec(dir, 'sessions.yaml', {
		stack: STACK,
		sessions: manySessions(COUNT),
	});
	let child: ChildProcess | undefined;
	let sent = false;
	proxy = await startProxy(hub.url, (request) => {
		if (!sent && when(request)) {
			sent = true;
			child?.kill(signal);
		}
		return undefined;
	});
	const args = ['apply', '--url', proxy.url, '-f', file, '--auto-approve'];
	child = spawn(process.execPath, [cliPath, ...args], {
		cwd: dir,
		env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const result = await ended(child);
	return { hub, dir, file, result, sent };
}

function ended(child: ChildProcess): Promise<CliResult> {
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const bound = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
	return new Promise((resolve) =>
		child.on('close', (code, signal) => {
			clearTimeout(bound);
			resolve({ code, signal, stdout, stderr });
		})
	);
}

describe('apply interrupted', () => {
	it.each(['SIGINT', 'SIGTERM'] as const)(
		'by %s while it plans says nothing was changed, and exits 130',
		async (signal) => {
			const { hub, result, sent } = await applyStoppedAt(isList, signal);
			expect(sent).toBe(true);
			expect(result.code, result.stderr).toBe(130);
			expect(result.stderr).toContain(
				`Interrupted (${signal}) before apply changed anything; nothing was changed.`
			);
			expect(proxy!.log.filter(isCreate)).toEqual([]);
			expect((await activeCountByKey(hub.url, STACK)).size).toBe(0);
		}
	);

	it('by SIGTERM while it writes says what may have happened; the next apply converges', async () => {
		let creates = 0;
		const { hub, dir, file, result } = await applyStoppedAt(
			(request) => isCreate(request) && ++creates === 5,
			'SIGTERM'
		);
		expect(result.code, result.stderr).toBe(130);
		expect(result.stderr).toMatch(
			/Interrupted \(SIGTERM\) after \d+ of 20 actions; those in flight may or may not have been applied\. Run apply again to converge\./
		);
		expect(result.stderr).not.toContain('nothing was changed');

		const again = await cli(hub.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(again.code, again.stdout + again.stderr).toBe(0);
		const counts = await activeCountByKey(hub.url, STACK);
		expect(counts.size).toBe(COUNT);
		expect([...counts.values()].every((count) => count === 1)).toBe(true);
	});
});

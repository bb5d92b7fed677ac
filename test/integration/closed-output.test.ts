/**
 * The built CLI when its output goes away: a reader that stops early (`apply | head -1`) never
 * decides how much of an apply reaches the Hub, as the apply runs to its end with its exit code;
 * output that cannot be written (a full disk under `> out.json`) is said on stderr, exit 1,
 * without a stack trace.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import { activeCountByKey, manySessions, startProxy } from '../support/apply-helpers.js';
import { CLI_TIMEOUT_MS, cliPath, type CliResult } from '../support/cli.js';
import { hubAndDirForTest, useTempDir, writeSpec } from '../support/local-hub.js';

const STACK = 'closed-output';
const COUNT = 8;
const CHILD_ENV = { PATH: process.env.PATH ?? '', NO_COLOR: '1' };

function ended(child: ChildProcess): Promise<CliResult> {
	let stdout = '';
	let stderr = '';
	child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
	child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	const bound = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
	return new Promise((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(bound);
			resolve({ code, signal, stdout, stderr });
		});
	});
}

describe.skipIf(process.platform === 'win32')('output that goes away', () => {
	it.each([
		['before the plan is printed', 'start'],
		['at the first create', 'create'],
	] as const)(
		'apply --auto-approve whose reader closes stdout %s applies every action and exits 0',
		async (_, when) => {
			const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'closed-output-');
			const file = await writeSpec(dir, 'sessions.yaml', {
				stack: STACK,
				sessions: manySessions(COUNT),
			});
			let child: ChildProcess | undefined;
			let closed = false;
			const closeReader = () => {
				if (closed) return;
				closed = true;
				child?.stdout?.destroy();
			};
			const proxy = await startProxy(hub.url, (request) => {
				if (when === 'create' && request.method === 'POST') closeReader();
				return undefined;
			});
			onTestFinished(() => proxy.close());
			const args = [
				'apply',
				'--url',
				proxy.url,
				'-f',
				file,
				'--auto-approve',
				'--parallelism',
				'1',
			];
			child = spawn(process.execPath, [cliPath, ...args], {
				cwd: dir,
				env: CHILD_ENV,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			if (when === 'start') closeReader();
			const result = await ended(child);
			expect(closed).toBe(true);
			expect(result.code, result.stderr).toBe(0);
			expect(result.stderr).toContain(
				'note: standard output was closed; the run goes on to its end without it'
			);
			expect(result.stderr).not.toMatch(/\n\s+at /);
			const counts = await activeCountByKey(hub.url, STACK);
			expect(counts.size).toBe(COUNT);
			expect([...counts.values()].every((count) => count === 1)).toBe(true);
		}
	);

	describe('stdout to a file that fills up midway', () => {
		const dir = useTempDir('closed-output-file-');

		it('is said on stderr, exit 1, rather than a file cut short and exit 0', async () => {
			// `ulimit -f 2`: a write that crosses 1 KiB is cut short there, the next one fails (EFBIG),
			// as on a disk that fills up; the schema is one write of far more.
			const child = spawn(
				'/bin/sh',
				['-c', 'ulimit -f 2 && exec "$0" "$@" > schema.json', process.execPath, cliPath, 'schema'],
				{ cwd: dir.path, env: CHILD_ENV, stdio: ['ignore', 'ignore', 'pipe'] }
			);
			const result = await ended(child);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(
				'Error: cannot write to standard output (the file is too large)'
			);
			expect(result.stderr).not.toMatch(/\n\s+at /);
		});
	});

	// /dev/full answers every write with ENOSPC, as a full disk does.
	it.skipIf(!existsSync('/dev/full'))(
		'stdout on a full disk is said on stderr, exit 1, no stack trace',
		async () => {
			const full = await open('/dev/full', 'w');
			onTestFinished(() => full.close());
			const child = spawn(process.execPath, [cliPath, 'schema'], {
				env: CHILD_ENV,
				stdio: ['ignore', full.fd, 'pipe'],
			});
			const result = await ended(child);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(
				'Error: cannot write to standard output (no space left on the device)'
			);
			expect(result.stderr).not.toMatch(/\n\s+at /);
		}
	);
});

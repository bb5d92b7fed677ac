// Shared pieces of the benchmark: a local Hub over a state file, the CLI as a child process,
// and spec generation. Everything talks to 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';
import { CoderClient } from '@agentuity/core/coder';
import { startLocalHub } from '../dist/hub-emulator/index.js';

export const cli = fileURLToPath(new URL('../dist/bin/coder-sessions.js', import.meta.url));
export const workdir = () => mkdtempSync(join(tmpdir(), 'coder-sessions-bench-'));

export function specYaml(stack, count, label = (i) => `Session ${i}`) {
	const lines = ['version: 1', `stack: ${stack}`, 'prune: keep', 'sessions:'];
	for (let i = 0; i < count; i += 1) {
		lines.push(
			`  s-${String(i).padStart(5, '0')}:`,
			`    task: Benchmark task number ${i}`,
			`    label: ${label(i)}`,
			'    tags: [bench]'
		);
	}
	return `${lines.join('\n')}\n`;
}

export function writeSpec(dir, name, text) {
	const file = join(dir, name);
	writeFileSync(file, text);
	return file;
}

export async function withHub(options, body) {
	const hub = await startLocalHub({ onWarning: () => {}, ...options });
	try {
		return await body(hub);
	} finally {
		await hub.close();
	}
}

/** Runs the built CLI; resolves with exit code, output and wall time in ms. */
export function runCli(args, options = {}) {
	return runScript(cli, args, options);
}

/** Runs a Node script in a process of its own, as the CLI runs: exit code, output, wall time. */
export function runScript(script, args, { cwd, env = {} } = {}) {
	return new Promise((resolve, reject) => {
		const started = performance.now();
		const child = spawn(
			process.execPath,
			[
				...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : []),
				script,
				...args,
			],
			{
				cwd,
				env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
				stdio: ['ignore', 'pipe', 'pipe'],
			}
		);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
	});
}

/** Creates `count` sessions of another stack (or unmarked) straight through the SDK. */
export async function seedForeign(url, count, parallelism = 8) {
	const client = new CoderClient({ url, apiKey: 'bench' });
	const limit = pLimit(parallelism);
	await Promise.all(
		Array.from({ length: count }, (_, i) =>
			limit(() =>
				client.createSession({
					task: `Someone else's session ${i}`,
					metadata: { 'coder-sessions/stack': 'other-team', 'coder-sessions/key': `o-${i}` },
				})
			)
		)
	);
}

export async function stats(url) {
	const response = await fetch(`${url}/_local/stats`);
	return response.json();
}

export async function resetStats(url) {
	await fetch(`${url}/_local/stats/reset`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
	});
}

export const fmtMs = (ms) =>
	ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
export const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

/** The middle value (the upper one of an even count). */
export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

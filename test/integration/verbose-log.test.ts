/**
 * `--verbose` and CODER_SESSIONS_LOG=debug describe each Hub request on stderr (method, path,
 * status, milliseconds) and nothing that could be a secret. Real CLI, local Hub on 127.0.0.1.
 */
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { cli, hubForTest, useTempDir, writeSpec, type TestHub } from '../support/local-hub.js';

const API_KEY = 'api-Key-Secret-5d3e';
const ENV_VALUE = 'env-Secret-Value-77af';
const LITERAL = 'literal-Secret-Text-1b9c';
const TASK = 'Task-Body-Marker-04c2 reviews the docs';
const CALL_LINE = /^hub: (GET|POST|PUT|PATCH|DELETE) \/\S+ \d{3} \d+ms$/;

const callLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('hub: '));

/** No credential or env value anywhere; no request or answer body (the task) in the log. */
function expectNoSecret(result: { stdout: string; stderr: string }): void {
	for (const secret of [API_KEY, ENV_VALUE, LITERAL, 'Bearer']) {
		expect(result.stdout + result.stderr).not.toContain(secret);
	}
	expect(result.stderr).not.toContain('Task-Body-Marker');
	expect(result.stderr.toLowerCase()).not.toContain('authorization');
}

describe.concurrent('the Hub call log', () => {
	const dir = useTempDir();
	const env = { AGENTUITY_SDK_KEY: API_KEY, DOCS_TOKEN: ENV_VALUE };
	const writeVault = () =>
		writeSpec(dir.path, 'vault.yaml', {
			stack: 'verbose',
			sessions: {
				vault: { task: TASK, env: { TOKEN: '${DOCS_TOKEN}', LIT: LITERAL } },
			},
		});
	const hubWithKey = (onTestFinished: (fn: () => Promise<void>) => void): Promise<TestHub> =>
		hubForTest(onTestFinished, { token: API_KEY });

	it('apply --verbose logs every request the Hub received, one line each, and no secret', async ({
		onTestFinished,
	}) => {
		const hub = await hubWithKey(onTestFinished);
		const file = await writeVault();
		const result = await cli(hub, ['apply', '--auto-approve', '--verbose', '-f', file], {
			cwd: dir.path,
			env,
		});
		expect(result.code, result.stderr).toBe(0);
		const lines = callLines(result.stderr);
		for (const line of lines) expect(line).toMatch(CALL_LINE);
		expect(lines.length).toBe(hub.stats().total);
		expect(lines.some((line) => /^hub: POST \/\S+ 201 /.test(line))).toBe(true);
		expect(lines.some((line) => /^hub: GET \/\S+\?includeArchived=true&limit=\d+/.test(line))).toBe(
			true
		);
		expectNoSecret(result);
	});

	it('CODER_SESSIONS_LOG=debug logs the same way for plan, and hides query values', async ({
		onTestFinished,
	}) => {
		const hub = await hubWithKey(onTestFinished);
		const file = await writeVault();
		const result = await cli(hub, ['plan', '-f', file], {
			cwd: dir.path,
			env: { ...env, CODER_SESSIONS_LOG: 'debug' },
		});
		expect(result.code, result.stderr).toBe(0);
		const lines = callLines(result.stderr);
		expect(lines.length).toBeGreaterThan(0);
		expect(lines.length).toBe(hub.stats().total);
		for (const line of lines) expect(line).toMatch(CALL_LINE);
		expectNoSecret(result);
	});

	it('a refused request is logged with its status, still without the key', async ({
		onTestFinished,
	}) => {
		const hub = await hubWithKey(onTestFinished);
		const file = await writeVault();
		const result = await cli(hub, ['plan', '--verbose', '-f', file], {
			cwd: dir.path,
			env: { ...env, AGENTUITY_SDK_KEY: `${API_KEY}-wrong` },
		});
		expect(result.code).toBe(1);
		expect(callLines(result.stderr).some((line) => / 401 \d+ms$/.test(line))).toBe(true);
		expectNoSecret(result);
	});

	it('plan --local --verbose logs the requests to the embedded Hub too', async () => {
		const cwd = join(dir.path, 'local');
		await mkdir(cwd, { recursive: true });
		const file = await writeSpec(cwd, 'local.yaml', {
			stack: 'verbose',
			sessions: { vault: { task: TASK, env: { TOKEN: '${DOCS_TOKEN}', LIT: LITERAL } } },
		});
		const result = await runCli(['plan', '--local', '--verbose', '-f', file], {
			cwd,
			env: { DOCS_TOKEN: ENV_VALUE },
		});
		expect(result.code, result.stderr).toBe(0);
		const lines = callLines(result.stderr);
		expect(lines.length).toBeGreaterThan(0);
		for (const line of lines) expect(line).toMatch(CALL_LINE);
		expectNoSecret(result);
	});

	it('without --verbose or CODER_SESSIONS_LOG nothing is logged', async ({ onTestFinished }) => {
		const hub = await hubWithKey(onTestFinished);
		const file = await writeVault();
		const result = await cli(hub, ['plan', '-f', file], {
			cwd: dir.path,
			env: { ...env, CODER_SESSIONS_LOG: 'info' },
		});
		expect(result.code, result.stderr).toBe(0);
		expect(callLines(result.stderr)).toEqual([]);
	});

	it('a request past its deadline is logged with what happened to it', async ({
		onTestFinished,
	}) => {
		// Accepts the connection and never answers.
		const silent = createServer(() => {});
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		onTestFinished(async () => {
			silent.closeAllConnections();
			await new Promise<void>((resolve) => silent.close(() => resolve()));
		});
		const { port } = silent.address() as AddressInfo;
		const file = await writeVault();
		const result = await runCli(
			[
				'plan',
				'--verbose',
				'--request-timeout',
				'0.5',
				'-f',
				file,
				'--url',
				`http://127.0.0.1:${port}`,
			],
			{ cwd: dir.path, env }
		);
		expect(result.code).toBe(1);
		const lines = callLines(result.stderr);
		expect(lines.length).toBeGreaterThan(0);
		for (const line of lines) {
			expect(line).toMatch(
				/^hub: GET \/\S+ failed \((the Hub at \S+ stopped answering \()?no answer within 0\.5 s\)+ \d+ms$/
			);
		}
		expectNoSecret(result);
	});
});

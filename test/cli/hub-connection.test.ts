import { createServer } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli as runCommandLine, type CliOptions } from '../support/cli.js';

/** The built binary: the SDK's environment as a process meets it. */
const runCli = (args: readonly string[], options: CliOptions = {}) =>
	runCommandLine(args, { ...options, binary: true });

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describe('connecting to a Hub', () => {
	it('fails at once, naming every way to name a Hub, when none is given', async () => {
		const result = await runCli(['plan', '-f', 'test/fixtures/docs-team/sessions.yaml']);
		expect(result.code).toBe(1);
		for (const name of [
			'AGENTUITY_SDK_KEY',
			'AGENTUITY_REGION',
			'--region',
			'--org',
			'AGENTUITY_CODER_URL',
			'--url',
			'--local',
		]) {
			expect(result.stderr).toContain(name);
		}
	});

	it('says a Hub that refuses connections cannot be reached, without the SDK retrying for 30 s', async () => {
		const port = await closedPort();
		const result = await runCli([
			'plan',
			'-f',
			'test/fixtures/docs-team/sessions.yaml',
			'--url',
			`http://127.0.0.1:${port}`,
		]);
		expect(result.code).toBe(1);
		expect(result.stderr.trim()).toBe(
			`Error: cannot reach the Hub at http://127.0.0.1:${port} (connection refused)`
		);
	});

	it('rejects a Hub URL that ends in /api', async () => {
		const result = await runCli([
			'plan',
			'-f',
			'test/fixtures/docs-team/sessions.yaml',
			'--url',
			'http://127.0.0.1:1/api',
		]);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('give the Hub root');
	});

	it('rejects a Hub URL that holds a password, without printing it', async () => {
		const { startLocalHub } = await import('../../src/hub-emulator/index.js');
		const hub = await startLocalHub({ onWarning: () => {} });
		onTestFinished(() => hub.close());
		const withPassword = hub.url.replace('http://', 'http://ci-user:pw-Secret-7731@');
		for (const [args, env] of [
			[['--url', withPassword], {}],
			[[], { AGENTUITY_CODER_URL: withPassword }],
		] as const) {
			const result = await runCli(
				['plan', '-f', 'test/fixtures/docs-team/sessions.yaml', '--no-repo-check', ...args],
				{ env }
			);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain('holds a user name or password');
			expect(result.stdout + result.stderr).not.toContain('pw-Secret-7731');
		}
	});
});

describe('a Hub that wants a token', () => {
	it('says the key was refused and where it comes from', async () => {
		const { startLocalHub } = await import('../../src/hub-emulator/index.js');
		const hub = await startLocalHub({ token: 'right-token', onWarning: () => {} });
		try {
			const result = await runCli(
				['plan', '-f', 'test/fixtures/docs-team/sessions.yaml', '--url', hub.url],
				{
					env: { AGENTUITY_SDK_KEY: 'wrong-token' },
				}
			);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain('HTTP 401');
			expect(result.stderr).toContain('(check the API key in AGENTUITY_SDK_KEY)');
			expect(result.stderr).not.toContain('wrong-token');
		} finally {
			await hub.close();
		}
	});

	it('says no key was sent when none is set', async () => {
		const { startLocalHub } = await import('../../src/hub-emulator/index.js');
		const hub = await startLocalHub({ token: 'right-token', onWarning: () => {} });
		try {
			const result = await runCli([
				'plan',
				'-f',
				'test/fixtures/docs-team/sessions.yaml',
				'--url',
				hub.url,
			]);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain('HTTP 401');
			expect(result.stderr).toContain('(no API key was sent: set AGENTUITY_SDK_KEY)');
			expect(result.stderr).not.toMatch(/\n\s+at /);
		} finally {
			await hub.close();
		}
	});
});

describe('a URL that leads to something other than a Hub', () => {
	it('says there is no Hub API there and how to name the Hub root', async () => {
		const { createServer: createHttpServer } = await import('node:http');
		const server = createHttpServer((_request, response) => {
			response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as { port: number };
		try {
			const url = `http://127.0.0.1:${port}/docs`;
			const result = await runCli([
				'plan',
				'-f',
				'test/fixtures/docs-team/sessions.yaml',
				'--no-repo-check',
				'--url',
				url,
			]);
			expect(result.code).toBe(1);
			expect(result.stderr).toMatch(
				new RegExp(
					`^Error: list \\w+: HTTP 404: .*\\(no Hub API at ${url}/api/hub/\\S+: give the Hub's root URL with --url or AGENTUITY_CODER_URL\\)\\n$`
				)
			);
			expect(result.stderr).not.toMatch(/\n\s+at /);
		} finally {
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});

/**
 * The Hub URL as users mistype it, and as an attacker would shape it to reach the API key: the
 * built CLI against a small server on 127.0.0.1 that records what reaches it.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli as runCommandLine, type CliOptions } from '../support/cli.js';

/** The built binary: the SDK reads the process's own environment too. */
const runCli = (args: readonly string[], options: CliOptions = {}) =>
	runCommandLine(args, { ...options, binary: true });

const SPEC = 'test/fixtures/docs-team/sessions.yaml';
const KEY = 'sk_live_cred_0123456789abcdef';

interface Recorder {
	readonly port: number;
	readonly requests: { path: string; authorization: string | undefined }[];
	close(): Promise<void>;
}

/** Answers every request 401, as a Hub refusing the key would, and records each. */
async function recordingServer(): Promise<Recorder> {
	const requests: Recorder['requests'] = [];
	const server = createServer((request: IncomingMessage, response) => {
		requests.push({ path: request.url ?? '', authorization: request.headers.authorization });
		response.writeHead(401, { 'content-type': 'application/json' });
		response.end(JSON.stringify({ message: 'unauthorized' }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

let server: Recorder | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

/** Every form a secret may take in an echo: plain, percent-encoded, and base64 as Basic auth. */
function formsOf(secret: string): string[] {
	return [
		secret,
		encodeURIComponent(secret),
		Buffer.from(secret).toString('base64'),
		Buffer.from(`user:${secret}`).toString('base64'),
	];
}

function expectNoneOf(text: string, secrets: readonly string[]): void {
	for (const secret of secrets)
		for (const form of formsOf(secret)) expect(text).not.toContain(form);
}

describe('a Hub URL carrying a credential', () => {
	it('with a user name and password is refused before any request, the password never shown', async () => {
		server = await recordingServer();
		const result = await runCli(
			[
				'plan',
				'-f',
				SPEC,
				'--verbose',
				'--url',
				`http://user:hunter2pass@127.0.0.1:${server.port}/`,
			],
			{ env: { AGENTUITY_SDK_KEY: KEY } }
		);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(
			/^Error: Hub URL "http:\/\/…@127\.0\.0\.1:\d+\/" holds a user name or password/
		);
		expect(result.stderr).toContain('AGENTUITY_SDK_KEY');
		expectNoneOf(result.stdout + result.stderr, ['hunter2pass', KEY]);
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expect(server.requests).toEqual([]);
	});

	it('with a password is refused however else the URL is wrong, the password never shown', async () => {
		for (const url of [
			'http://user:hunter2pass@127.0.0.1:1/api',
			'http://user:hunter2pass@/x',
			'http://user:hunter2pass/x@127.0.0.1:1/',
			'http://user:hunter2pass?x@127.0.0.1:1/',
			'user:hunter2pass@127.0.0.1:1',
		]) {
			const result = await runCli(['plan', '-f', SPEC, '--url', url], {
				env: { AGENTUITY_SDK_KEY: KEY },
			});
			expect(result.code).toBe(1);
			expectNoneOf(result.stderr, ['hunter2pass']);
		}
	});

	it('with a query or a fragment is refused before any request, their values never shown', async () => {
		server = await recordingServer();
		for (const tail of [
			'/?token=tok_query_secret',
			'/#tok_query_secret',
			'/api?token=tok_query_secret',
		]) {
			const result = await runCli(
				['plan', '-f', SPEC, '--verbose', '--url', `http://127.0.0.1:${server.port}${tail}`],
				{ env: { AGENTUITY_SDK_KEY: KEY } }
			);
			expect(result.code).toBe(1);
			expect(result.stderr).toMatch(/^Error: Hub URL "http:\/\/127\.0\.0\.1:\d+\/[^"]*" /);
			expectNoneOf(result.stdout + result.stderr, ['tok_query_secret', KEY]);
			expect(result.stderr).not.toMatch(/\n\s+at /);
		}
		expect(server.requests).toEqual([]);
	});
});

describe('a Hub URL mistyped', () => {
	it('blank in AGENTUITY_CODER_URL is named as such, and no request is sent', async () => {
		const result = await runCli(['plan', '-f', SPEC], {
			env: { AGENTUITY_SDK_KEY: KEY, AGENTUITY_CODER_URL: '   ' },
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(
			"Error: AGENTUITY_CODER_URL is blank: unset it, or set it to the Hub's root URL\n"
		);
	});

	it('empty in --url is refused, not taken as leave-it-out (AGENTUITY_CODER_URL goes unchecked then)', async () => {
		const result = await runCli(['plan', '-f', SPEC, '--url', ''], {
			env: { AGENTUITY_SDK_KEY: KEY, AGENTUITY_CODER_URL: 'file:///etc/passwd' },
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(
			"Error: --url is empty: give the Hub's root URL, or leave --url out\n"
		);
	});

	it('with a line break inside is refused; one at its end (as `$(cat file)` leaves none, but a pasted secret may) is not', async () => {
		server = await recordingServer();
		const inside = await runCli(['plan', '-f', SPEC], {
			env: {
				AGENTUITY_SDK_KEY: KEY,
				AGENTUITY_CODER_URL: `http://127.0.0.1:${server.port}/pre\nfix`,
			},
		});
		expect(inside.code).toBe(1);
		expect(inside.stderr).toMatch(
			/^Error: Hub URL "http:\/\/127\.0\.0\.1:\d+\/pre\\nfix" holds a space, tab or line break/
		);
		expect(server.requests).toEqual([]);

		const atEnd = await runCli(['plan', '-f', SPEC, '--no-repo-check', '--no-reference-check'], {
			env: { AGENTUITY_SDK_KEY: KEY, AGENTUITY_CODER_URL: `http://127.0.0.1:${server.port}\n` },
		});
		expect(atEnd.code).toBe(1);
		expect(atEnd.stderr).toContain('HTTP 401');
		expect(server.requests.length).toBeGreaterThan(0);
	});

	it('with trailing slashes after a path prefix reaches the API under that prefix', async () => {
		server = await recordingServer();
		const result = await runCli(
			[
				'plan',
				'-f',
				SPEC,
				'--no-repo-check',
				'--no-reference-check',
				'--url',
				`http://127.0.0.1:${server.port}/hub//`,
			],
			{ env: { AGENTUITY_SDK_KEY: KEY } }
		);
		expect(result.code).toBe(1);
		expect(server.requests.length).toBeGreaterThan(0);
		for (const { path } of server.requests) expect(path).toMatch(/^\/hub\/api\/hub\//);
	});
});

describe('the API key as the environment gives it', () => {
	it('is sent without surrounding whitespace or a trailing line break', async () => {
		server = await recordingServer();
		await runCli(
			[
				'plan',
				'-f',
				SPEC,
				'--no-repo-check',
				'--no-reference-check',
				'--url',
				`http://127.0.0.1:${server.port}`,
			],
			{
				env: { AGENTUITY_SDK_KEY: `  ${KEY}\n` },
			}
		);
		expect(server.requests.length).toBeGreaterThan(0);
		for (const { authorization } of server.requests) expect(authorization).toBe(`Bearer ${KEY}`);
	});

	it('refused (401) from AGENTUITY_CLI_KEY: the message names AGENTUITY_CLI_KEY, exit 1, nothing saved', async () => {
		server = await recordingServer();
		const { mkdtemp, readdir } = await import('node:fs/promises');
		const { tmpdir } = await import('node:os');
		const { join } = await import('node:path');
		const dir = await mkdtemp(join(tmpdir(), 'hub-url-'));
		const result = await runCli(
			[
				'plan',
				'-f',
				SPEC,
				'--no-repo-check',
				'--no-reference-check',
				'--url',
				`http://127.0.0.1:${server.port}`,
				'--out',
				join(dir, 'plan.json'),
			],
			{ env: { AGENTUITY_CLI_KEY: KEY } }
		);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('HTTP 401');
		expect(result.stderr).toContain('(check the API key in AGENTUITY_CLI_KEY)');
		expect(result.stderr).not.toContain('AGENTUITY_SDK_KEY');
		expectNoneOf(result.stderr, [KEY]);
		expect(await readdir(dir)).toEqual([]);
	});

	it('with a line break or another character a header cannot carry inside is refused before any request, no part of it shown', async () => {
		server = await recordingServer();
		for (const key of [
			'sk_first_half\nsk_second_half',
			'sk_first_half\tsk_second',
			'sk_first€half',
		]) {
			const result = await runCli(
				['plan', '-f', SPEC, '--url', `http://127.0.0.1:${server.port}`],
				{
					env: { AGENTUITY_SDK_KEY: key },
				}
			);
			expect(result.code).toBe(1);
			expect(result.stderr).toBe(
				'Error: AGENTUITY_SDK_KEY holds a space, line break or a character an API key cannot have inside it: set it to the key alone\n'
			);
		}
		expect(server.requests).toEqual([]);
	});

	it('blank is named as such, not sent as an empty Bearer', async () => {
		server = await recordingServer();
		const result = await runCli(['plan', '-f', SPEC, '--url', `http://127.0.0.1:${server.port}`], {
			env: { AGENTUITY_SDK_KEY: '  \n' },
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(
			'Error: AGENTUITY_SDK_KEY is blank: unset it, or set it to the API key\n'
		);
		expect(server.requests).toEqual([]);
	});

	it('sent to a loopback Hub over plain http draws no warning', async () => {
		server = await recordingServer();
		const result = await runCli(
			[
				'plan',
				'-f',
				SPEC,
				'--no-repo-check',
				'--no-reference-check',
				'--url',
				`http://127.0.0.1:${server.port}`,
			],
			{ env: { AGENTUITY_SDK_KEY: KEY } }
		);
		expect(result.stderr).not.toContain('warning');
	});
});

describe('a region', () => {
	it("that is not a plain name is refused before discovery: the SDK makes the host of the key's first request of it", async () => {
		for (const [args, env] of [
			[['--region', '127.0.0.1.nip.io:4690/#'], {}],
			[[], { AGENTUITY_REGION: 'evil.example.com/#' }],
		] as const) {
			const result = await runCli(['plan', '-f', SPEC, '--verbose', ...args], {
				env: { AGENTUITY_SDK_KEY: KEY, ...env },
			});
			expect(result.code).toBe(1);
			expect(result.stderr).toMatch(
				/^Error: (--region|AGENTUITY_REGION) ".*" is not a region: expected a name of letters, digits and dashes \(e\.g\. usc\)\n$/
			);
		}
	});
});

describe('an org', () => {
	it('with a line break or space inside is refused before any request, not reported as a Hub out of reach', async () => {
		server = await recordingServer();
		const result = await runCli(
			[
				'plan',
				'-f',
				SPEC,
				'--url',
				`http://127.0.0.1:${server.port}`,
				'--org',
				'org_1\nX-Injected: 1',
			],
			{ env: { AGENTUITY_SDK_KEY: KEY } }
		);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(
			'Error: --org "org_1\\nX-Injected: 1" is not an organization id: expected no space or line break\n'
		);
		expect(server.requests).toEqual([]);
	});
});

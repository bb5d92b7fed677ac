/**
 * A Hub, or the discovery endpoint that names it, that cannot be talked to: the CLI fails at
 * once (no 30 s of SDK retries) with one line naming the URL and the cause. Loopback only:
 * discovery is pointed at 127.0.0.1 through the SDK's AGENTUITY_CATALYST_URL.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalHub } from '../../src/hub-emulator/index.js';
import { startTestHub } from '../support/local-hub.js';
import { runCli as runCommandLine, type CliOptions } from '../support/cli.js';
import { closedPort } from '../support/ports.js';

/** The built binary: the SDK's discovery and retries as a process meets them. */
const runCli = (args: readonly string[], options: CliOptions = {}) =>
	runCommandLine(args, { ...options, binary: true });

/** Well below the SDK's 30 s of retries, well above a loaded machine's start-up time. */
const RUN_TIMEOUT_MS = 25_000;
const SPEC = 'test/fixtures/docs-team/sessions.yaml';

let hub: LocalHub | undefined;
let catalyst: Server | undefined;

afterEach(async () => {
	await hub?.close();
	hub = undefined;
	if (catalyst) {
		const server = catalyst;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
	catalyst = undefined;
});

/** A stand-in for Catalyst's GET /coder, answering with the given Hub URL. */
async function startCatalyst(hubUrl: string): Promise<string> {
	const requests: string[] = [];
	catalyst = createServer((request, response) => {
		requests.push(`${request.method} ${request.url}`);
		if (request.method === 'GET' && request.url === '/coder') {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ url: hubUrl }));
			return;
		}
		response.writeHead(404, { 'content-type': 'application/json' });
		response.end(JSON.stringify({ error: 'not found' }));
	});
	await new Promise<void>((resolve) => catalyst!.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(catalyst.address() as AddressInfo).port}`;
}

function discoveringEnv(catalystUrl: string): Record<string, string> {
	return { AGENTUITY_SDK_KEY: 'test-key', AGENTUITY_CATALYST_URL: catalystUrl };
}

function plan(args: readonly string[], env: Record<string, string> = {}) {
	return runCli(['plan', '-f', SPEC, ...args], { env, timeoutMs: RUN_TIMEOUT_MS });
}

describe('a Hub that cannot be talked to', () => {
	it('says an https URL names a Hub that speaks plain HTTP', async () => {
		hub = await startTestHub();
		const https = hub.url.replace(/^http:/, 'https:');
		const result = await plan(['--url', https]);
		expect(result.signal, result.stderr).toBeNull();
		expect(result.code).toBe(1);
		expect(result.stderr.trim()).toBe(
			`Error: the Hub at ${https} does not speak TLS: is it ${hub.url}?`
		);
	});

	it('says discovery failed, for which region and at which URL, when Catalyst refuses', async () => {
		const port = await closedPort();
		const result = await plan([], discoveringEnv(`http://127.0.0.1:${port}`));
		expect(result.signal, result.stderr).toBeNull();
		expect(result.code).toBe(1);
		expect(result.stderr.trim()).toBe(
			`Error: could not discover the Hub for region usc at http://127.0.0.1:${port}: connection refused`
		);
	});

	it('names the region discovery was for', async () => {
		const port = await closedPort();
		const result = await plan(['--region', 'euw'], discoveringEnv(`http://127.0.0.1:${port}`));
		expect(result.code).toBe(1);
		expect(result.stderr.trim()).toBe(
			`Error: could not discover the Hub for region euw at http://127.0.0.1:${port}: connection refused`
		);
	});

	it('names the discovered Hub when it refuses connections', async () => {
		const port = await closedPort();
		const result = await plan([], discoveringEnv(await startCatalyst(`http://127.0.0.1:${port}`)));
		expect(result.signal, result.stderr).toBeNull();
		expect(result.code).toBe(1);
		expect(result.stderr.trim()).toBe(
			`Error: cannot reach the Hub at http://127.0.0.1:${port} (connection refused)`
		);
	});

	it('plans against the Hub discovery names', async () => {
		hub = await startTestHub();
		const result = await plan(['--no-repo-check'], {
			...discoveringEnv(await startCatalyst(hub.url)),
			// The spec's creates need it: plan fails without it, as apply would.
			DOCS_API_TOKEN: 'demo-token',
		});
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toContain('Plan: ');
	});
});

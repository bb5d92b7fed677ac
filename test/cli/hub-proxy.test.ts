/**
 * HTTP_PROXY and NO_PROXY, as the built binary meets them on a runner behind a proxy: a local
 * Hub and a small forward proxy, both on 127.0.0.1; the proxy's log tells which requests went
 * through it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runCli as runCommandLine, type CliOptions } from '../support/cli.js';
import { hubForTest } from '../support/local-hub.js';

/** The built binary, with the env value the spec's sessions need. */
const runCli = (args: readonly string[], options: CliOptions = {}) =>
	runCommandLine(args, {
		...options,
		env: { DOCS_API_TOKEN: 'docs-token', ...options.env },
		binary: true,
	});

const SPEC = 'test/fixtures/docs-team/sessions.yaml';
const PASSWORD = 'pr0xy-s3cret';
const PROXY_AUTH = `Basic ${Buffer.from(`ci:${PASSWORD}`).toString('base64')}`;

interface TestProxy {
	/** host:port, to put in a proxy URL. */
	readonly address: string;
	/** Each request as it arrived: method and the absolute URI it named. */
	readonly log: string[];
}

/**
 * A forward proxy for plain HTTP (absolute-URI requests) that asks for `ci:PASSWORD`: a request
 * without it, or with another, is answered 407 as a real proxy does. It forwards to 127.0.0.1
 * only, whatever host the request names: every test's Hub is there. `auth` is the
 * Proxy-Authorization it takes (default: `ci:PASSWORD`'s). A request `blocks` picks is
 * answered with the proxy's own page instead (HTML), with the status `blocks` gives: 200 for a
 * filtering proxy's block page, 504 for its gateway timeout. `breaksOff`: every answer is cut
 * after its first bytes. A request `holds` picks is never answered.
 */
async function proxyForTest({
	blocks = () => undefined,
	auth = PROXY_AUTH,
	breaksOff = false,
	holds = () => false,
}: {
	blocks?: (method: string, url: string) => number | undefined;
	auth?: string;
	breaksOff?: boolean;
	holds?: (url: string) => boolean;
} = {}): Promise<TestProxy> {
	const log: string[] = [];
	const server = createHttpServer((request, response) => {
		log.push(`${request.method} ${request.url}`);
		if (request.headers['proxy-authorization'] !== auth) {
			response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' });
			response.end('proxy authentication required');
			return;
		}
		if (breaksOff) {
			response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
			response.write('[{"id":', () => response.destroy());
			return;
		}
		if (holds(request.url ?? '')) return;
		const blocked = blocks(request.method ?? '', request.url ?? '');
		if (blocked) {
			response.writeHead(blocked, { 'content-type': 'text/html' });
			response.end('<html><body>Blocked by the web filter</body></html>');
			return;
		}
		const target = new URL(request.url ?? '');
		const { 'proxy-authorization': _, ...headers } = request.headers;
		const upstream = httpRequest(
			{
				host: '127.0.0.1',
				port: target.port,
				path: `${target.pathname}${target.search}`,
				method: request.method,
				// The Hub, on 127.0.0.1, answers only requests addressed to it there.
				headers: { ...headers, host: `127.0.0.1:${target.port}` },
			},
			(answer) => {
				response.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(response);
			}
		);
		upstream.on('error', () => {
			response.writeHead(502);
			response.end();
		});
		request.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	onTestFinished(
		() =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	);
	const { port } = server.address() as { port: number };
	return { address: `127.0.0.1:${port}`, log };
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

function expectNoPassword(output: string): void {
	expect(output).not.toContain(PASSWORD);
	expect(output).not.toContain(PROXY_AUTH.slice('Basic '.length));
}

/**
 * The Hub's URL under a name only the test proxy knows (it forwards every request to 127.0.0.1):
 * a loopback URL is never proxied, and the client never resolves this name itself.
 */
const behindProxy = (hubUrl: string) => hubUrl.replace('127.0.0.1', 'hub.test');

describe('a Hub behind a proxy (HTTP_PROXY, NO_PROXY)', () => {
	it('sends every Hub request through the proxy HTTP_PROXY names, with its user and password never shown', async () => {
		const hub = await hubForTest(onTestFinished);
		const proxy = await proxyForTest();
		const url = behindProxy(hub.url);
		const result = await runCli(
			['plan', '-f', SPEC, '--no-repo-check', '--url', url, '--verbose'],
			{
				env: { HTTP_PROXY: `http://ci:${PASSWORD}@${proxy.address}` },
			}
		);
		expect(result.stderr).not.toContain('cannot reach');
		expect(result.code, result.stderr).toBe(0);
		expect(proxy.log.length).toBeGreaterThan(0);
		for (const line of proxy.log) expect(line).toMatch(new RegExp(`^GET ${url}/api/`));
		expect(result.stderr).toContain(
			`requests to ${url} go through the proxy in HTTP_PROXY (http://${proxy.address})`
		);
		expect(hub.stats().total).toBe(proxy.log.length);
		expectNoPassword(result.stdout + result.stderr);
	});

	it('goes to a Hub on this machine directly, proxy or not, and says so with --verbose', async () => {
		const hub = await hubForTest(onTestFinished);
		const proxy = await proxyForTest();
		const result = await runCli(
			['plan', '-f', SPEC, '--no-repo-check', '--url', hub.url, '--verbose'],
			{ env: { HTTP_PROXY: `http://ci:${PASSWORD}@${proxy.address}` } }
		);
		expect(result.code, result.stderr).toBe(0);
		expect(proxy.log).toEqual([]);
		expect(result.stderr).toContain(`${hub.url} is on this machine: requests go to it directly`);
		expect(hub.stats().total).toBeGreaterThan(0);
	});

	it('names the proxy and its variable when the proxy asks for credentials (HTTP 407)', async () => {
		const hub = await hubForTest(onTestFinished);
		const proxy = await proxyForTest();
		const result = await runCli(
			['plan', '-f', SPEC, '--no-repo-check', '--url', behindProxy(hub.url), '--verbose'],
			{
				env: { http_proxy: `http://ci:wrong-${PASSWORD}@${proxy.address}` },
			}
		);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(`the proxy in http_proxy (http://${proxy.address})`);
		expect(result.stderr).toContain('HTTP 407');
		expect(result.stderr).toContain('refused the user and password in http_proxy');
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expect(hub.stats().total ?? 0).toBe(0);
		expectNoPassword(result.stdout + result.stderr);
	});

	it('names the proxy and its variable when the proxy refuses the connection', async () => {
		const hub = await hubForTest(onTestFinished);
		const port = await closedPort();
		const result = await runCli(
			['plan', '-f', SPEC, '--no-repo-check', '--url', behindProxy(hub.url)],
			{ env: { HTTP_PROXY: `http://ci:${PASSWORD}@127.0.0.1:${port}` } }
		);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(
			`cannot reach the proxy in HTTP_PROXY (http://127.0.0.1:${port}) (connection refused)`
		);
		expectNoPassword(result.stdout + result.stderr);
	});

	it("names the proxy when what answers through it is a block page, not the Hub's API", async () => {
		const hub = await hubForTest(onTestFinished);
		const proxy = await proxyForTest({ blocks: () => 200 });
		const url = behindProxy(hub.url);
		const result = await runCli(['plan', '-f', SPEC, '--no-repo-check', '--url', url], {
			env: { HTTP_PROXY: `http://ci:${PASSWORD}@${proxy.address}` },
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(
			`the Hub at ${url}, reached through the proxy in HTTP_PROXY (http://${proxy.address}), answered GET`
		);
		expect(result.stderr).toContain('with an HTML page (HTTP 200)');
		expect(result.stderr).not.toContain('Blocked by the web filter');
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expectNoPassword(result.stdout + result.stderr);
	});

	it('names the proxy in an HTTP error that came through it, such as its gateway timeout', async () => {
		const hub = await hubForTest(onTestFinished);
		const proxy = await proxyForTest({ blocks: () => 504 });
		const url = behindProxy(hub.url);
		const result = await runCli(['plan', '-f', SPEC, '--no-repo-check', '--url', url], {
			env: { HTTP_PROXY: `http://ci:${PASSWORD}@${proxy.address}` },
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(
			`HTTP 504 through the proxy in HTTP_PROXY (http://${proxy.address}): `
		);
		expect(result.stderr).not.toContain('Blocked by the web filter');
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expectNoPassword(result.stdout + result.stderr);
	});

	it('names the proxy when an answer through it breaks off', async () => {
		const hub = await hubForTest(onTestFinished);
		const proxy = await proxyForTest({ breaksOff: true });
		const url = behindProxy(hub.url);
		const result = await runCli(['plan', '-f', SPEC, '--no-repo-check', '--url', url], {
			env: { HTTP_PROXY: `http://ci:${PASSWORD}@${proxy.address}` },
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(
			`the Hub at ${url}, reached through the proxy in HTTP_PROXY (http://${proxy.address}), broke off its answer`
		);
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expectNoPassword(result.stdout + result.stderr);
	});

	it('does not blame the proxy, with --verbose, for the requests the end of the command cut short', async () => {
		const hub = await hubForTest(onTestFinished);
		// The skills list fails at once; the other reads are held until the command has ended.
		const proxy = await proxyForTest({
			blocks: (_, url) => (url.includes('/skills/library') ? 400 : undefined),
			holds: (url) => !url.includes('/skills/library'),
		});
		const url = behindProxy(hub.url);
		const result = await runCli(
			['plan', '-f', SPEC, '--no-repo-check', '--url', url, '--verbose'],
			{
				env: { HTTP_PROXY: `http://ci:${PASSWORD}@${proxy.address}` },
			}
		);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(`list skills: HTTP 400 through the proxy in HTTP_PROXY`);
		expect(result.stderr).not.toContain('destroyed');
		expect(result.stderr).not.toMatch(/failed \(via the proxy/);
	});

	it('apply marks a write the proxy blocked as unknown, names the proxy, and converges without it', async () => {
		const hub = await hubForTest(onTestFinished);
		const proxy = await proxyForTest({ blocks: (method) => (method !== 'GET' ? 200 : undefined) });
		const dir = await mkdtemp(join(tmpdir(), 'hub-proxy-'));
		onTestFinished(() => rm(dir, { recursive: true, force: true }));
		const spec = resolve(SPEC);
		const apply = (url: string, env: NodeJS.ProcessEnv = {}) =>
			runCli(
				[
					'apply',
					'-f',
					spec,
					'--no-repo-check',
					'--auto-approve',
					'--parallelism',
					'1',
					'--url',
					url,
				],
				{ cwd: dir, env }
			);
		const blocked = await apply(behindProxy(hub.url), {
			HTTP_PROXY: `http://ci:${PASSWORD}@${proxy.address}`,
		});
		expect(blocked.code, blocked.stderr).toBe(5);
		expect(blocked.stdout).toMatch(/^\s*unknown\s+create \S+: its answer was not accepted/m);
		expect(blocked.stdout + blocked.stderr).toContain(
			`reached through the proxy in HTTP_PROXY (http://${proxy.address})`
		);
		expect(blocked.stdout + blocked.stderr).not.toMatch(/\n\s+at /);
		expectNoPassword(blocked.stdout + blocked.stderr);

		const again = await apply(hub.url);
		expect(again.code, again.stdout + again.stderr).toBe(0);
		const plan = await runCli(
			['plan', '-f', spec, '--no-repo-check', '--detailed-exitcode', '--url', hub.url],
			{ cwd: dir }
		);
		expect(plan.code, plan.stdout + plan.stderr).toBe(0);
	});

	it('sends a user with an empty password, a user alone, and percent-encoded ones as curl and Go do, never shown', async () => {
		const hub = await hubForTest(onTestFinished);
		const url = behindProxy(hub.url);
		// As written in the URL, and as the proxy must receive them.
		const cases = [
			{ written: 'ci', sent: 'ci:' },
			{ written: 'ci:', sent: 'ci:' },
			{ written: 'c%3Ai:p%40ss%3Aw', sent: 'c:i:p@ss:w' },
			{ written: `ci:${encodeURIComponent(`${PASSWORD}@:/`)}`, sent: `ci:${PASSWORD}@:/` },
		];
		for (const { written, sent } of cases) {
			const auth = `Basic ${Buffer.from(sent).toString('base64')}`;
			const proxy = await proxyForTest({ auth });
			const result = await runCli(
				['plan', '-f', SPEC, '--no-repo-check', '--url', url, '--verbose'],
				{
					env: { HTTP_PROXY: `http://${written}@${proxy.address}` },
				}
			);
			expect(result.code, `${written}: ${result.stderr}`).toBe(0);
			expect(proxy.log.length, written).toBeGreaterThan(0);
			const output = result.stdout + result.stderr;
			expect(output).not.toContain(auth.slice('Basic '.length));
			expect(output).not.toContain('p@ss:w');
			expect(output).not.toContain('p%40ss%3Aw');
			expectNoPassword(output);
		}
	});

	it('refuses a proxy variable that is not a URL without showing it', async () => {
		const hub = await hubForTest(onTestFinished);
		const result = await runCli(['plan', '-f', SPEC, '--no-repo-check', '--url', hub.url], {
			env: { HTTPS_PROXY: `ftp://ci:${PASSWORD}@proxy.invalid` },
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('HTTPS_PROXY is not a proxy URL');
		expectNoPassword(result.stdout + result.stderr);
	});

	it('ends when a proxy takes the connection and never answers, an https Hub (CONNECT) too', async () => {
		// Accepts, reads, never answers: the tunnel a request waits for never opens.
		const held: Socket[] = [];
		const silent = createServer((socket) => {
			held.push(socket);
			socket.on('data', () => {});
		});
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		onTestFinished(
			() =>
				new Promise<void>((resolve) => {
					for (const socket of held.splice(0)) socket.destroy();
					silent.close(() => resolve());
				})
		);
		const { port } = silent.address() as { port: number };
		for (const url of ['https://hub.test', 'http://hub.test:4100']) {
			const result = await runCli(
				['plan', '-f', SPEC, '--no-repo-check', '--url', url, '--request-timeout', '2'],
				{
					env: { HTTPS_PROXY: `http://127.0.0.1:${port}`, HTTP_PROXY: `http://127.0.0.1:${port}` },
					// The command ends at its deadline; without closing the tunnel the process would
					// live on until the proxy hung up, past this bound.
					timeoutMs: 45_000,
				}
			);
			expect(result.code, url).toBe(1);
			const variable = url.startsWith('https:') ? 'HTTPS_PROXY' : 'HTTP_PROXY';
			expect(result.stderr, url).toContain(
				`the Hub at ${url}, reached through the proxy in ${variable} (http://127.0.0.1:${port}), stopped answering (no answer within 2 s)`
			);
			expect(result.stderr).not.toMatch(/\n\s+at /);
		}
	});
});

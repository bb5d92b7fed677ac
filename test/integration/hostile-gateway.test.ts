/**
 * A broken or hostile proxy or gateway between the CLI and the Hub: bodies that never end or
 * unpack to gigabytes, redirects to another address, HTML pages, answers broken off. Each ends
 * the command at once with one line naming what happened, never the API key, a stack or the page.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import {
	activeCountByKey,
	manySessions,
	startProxy,
	type CannedReply,
	type HubProxy,
	type ProxiedRequest,
} from '../support/apply-helpers.js';
import { runCli, type CliOptions } from '../support/cli.js';
import { cli, hubAndDirForTest, writeSpec, type TestHub } from '../support/local-hub.js';

const SPEC = 'test/fixtures/docs-team/sessions.yaml';
const KEY = 'sk-gateway-test-key-0123456789';
const ORG = 'org_gateway';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];
let proxy: HubProxy | undefined;

afterEach(async () => {
	await proxy?.close();
	proxy = undefined;
	for (const server of servers.splice(0)) {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
});

/** A loopback server answering every request with `handle`; the requests it saw, in order. */
async function serve(handle: Handler): Promise<{ url: string; seen: string[] }> {
	const seen: string[] = [];
	const server = createServer((request, response) => {
		seen.push(`${request.method} ${request.url}`);
		handle(request, response);
	});
	servers.push(server);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** `plan` of the docs-team spec, as a process, with an API key and an org. */
function plan(url: string, options: CliOptions = {}) {
	return runCli(['plan', '-f', SPEC, '--url', url, '--org', ORG, '--no-repo-check'], {
		binary: true,
		...options,
		env: { AGENTUITY_SDK_KEY: KEY, DOCS_API_TOKEN: 'x', ...options.env },
	});
}

/** The one error line, and nothing a user should never see. */
function errorLine(result: { stdout: string; stderr: string }): string {
	const output = result.stdout + result.stderr;
	expect(output).not.toContain(KEY);
	expect(output).not.toMatch(/\n\s+at /);
	const lines = result.stderr.trim().split('\n');
	expect(lines, result.stderr).toHaveLength(1);
	return lines[0]!;
}

/** Writes 64 KB chunks for as long as the client reads (bounded by the client's own cap). */
const endless: Handler = (request, response) => {
	response.writeHead(200, { 'content-type': 'application/json' });
	const chunk = Buffer.alloc(64 * 1024, 0x20);
	const pump = () => {
		while (!response.destroyed && response.write(chunk));
	};
	response.on('drain', pump);
	request.socket.on('close', () => response.off('drain', pump));
	pump();
};

describe('answers too large to hold', () => {
	it('a 200 whose body never ends stops at the size cap, exit 1', async () => {
		const gateway = await serve(endless);
		const result = await plan(gateway.url);
		expect(result.code, result.stderr).toBe(1);
		expect(errorLine(result)).toMatch(
			new RegExp(
				`^Error: the Hub at ${gateway.url} sent more than 32 MiB in answer to GET /api/hub/\\S+ \\(the most one answer may hold\\)$`
			)
		);
	});

	it('a gzip body of a few KB that unpacks past the cap is cut where it passes it', async () => {
		const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
		expect(bomb.byteLength).toBeLessThan(1024 * 1024);
		const gateway = await serve((_, response) => {
			response.writeHead(200, {
				'content-type': 'application/json',
				'content-encoding': 'gzip',
				'content-length': String(bomb.byteLength),
			});
			response.end(bomb);
		});
		const result = await plan(gateway.url);
		expect(result.code, result.stderr).toBe(1);
		expect(errorLine(result)).toContain(`the Hub at ${gateway.url} sent more than 32 MiB`);
	});
});

describe('redirects', () => {
	it('to another origin: not followed, the key and org never reach it, the message names it without its query', async () => {
		const elsewhere = await serve((_, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('{}');
		});
		const gateway = await serve((request, response) => {
			response.writeHead(307, { location: `${elsewhere.url}${request.url}?token=leak-me` });
			response.end();
		});
		const result = await plan(gateway.url);
		expect(result.code, result.stderr).toBe(1);
		const line = errorLine(result);
		expect(line).toMatch(
			new RegExp(
				`^Error: the Hub at ${gateway.url} redirects to ${elsewhere.url}/api/hub/\\S+ \\(HTTP 307\\); `
			)
		);
		expect(line).toContain('name it with --url');
		expect(line).not.toContain('leak-me');
		expect(elsewhere.seen).toEqual([]);
	});

	it('to another scheme, or in a loop: says so, not that the Hub cannot be reached', async () => {
		const toFtp = await serve((_, response) => {
			response.writeHead(302, { location: 'ftp://files.invalid/x?token=leak-me' });
			response.end();
		});
		const ftp = await plan(toFtp.url);
		expect(ftp.code, ftp.stderr).toBe(1);
		expect(errorLine(ftp)).toContain(
			`the Hub at ${toFtp.url} redirects to a non-HTTP address (ftp:) (HTTP 302)`
		);

		const loop = await serve((request, response) => {
			response.writeHead(302, { location: request.url });
			response.end();
		});
		const looped = await plan(loop.url);
		expect(looped.code, looped.stderr).toBe(1);
		expect(errorLine(looped)).toMatch(
			/redirects GET \/api\/hub\/\S+ more than 5 times \(a redirect loop\)$/
		);
		// Five redirects followed per request at most: a handful of requests in all.
		expect(loop.seen.length).toBeLessThanOrEqual(6 * 5);
	});

	it('apply: a create redirected to another origin is sent there never, and the run stops, exit 5', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'gateway-');
		const elsewhere = await serve((_, response) => {
			response.writeHead(201, { 'content-type': 'application/json' });
			response.end('{}');
		});
		proxy = await startProxy(hub.url, (request) =>
			request.method === 'POST'
				? { status: 307, body: null, headers: { location: `${elsewhere.url}${request.path}` } }
				: undefined
		);
		const file = await writeSpec(dir, 'sessions.yaml', { stack: 'gw', sessions: manySessions(3) });
		const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], {
			cwd: dir,
			binary: true,
			env: { AGENTUITY_SDK_KEY: KEY },
		});
		const output = result.stdout + result.stderr;
		expect(result.code, output).toBe(5);
		expect(output).not.toContain(KEY);
		expect(elsewhere.seen).toEqual([]);
		expect(result.stderr).toContain(
			`The Hub at ${proxy.url} redirects to ${elsewhere.url}/api/hub/session (HTTP 307)`
		);
		expect(result.stdout).toMatch(/^Apply finished: 0 applied, 0 failed, 0 skipped, \d+ unknown/m);
	});
});

describe('pages and broken answers', () => {
	it('an HTML 200 from a sign-in portal: named as such, the page never shown', async () => {
		const portal = await serve((_, response) => {
			response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			response.end(`<html><body>\n::error::owned\n\u001b[2J${'x'.repeat(5000)}</body></html>`);
		});
		const result = await plan(portal.url);
		expect(result.code, result.stderr).toBe(1);
		expect(errorLine(result)).toMatch(
			new RegExp(
				`^Error: the Hub at ${portal.url} answered GET /api/hub/\\S+ with an HTML page \\(HTTP 200\\), not the Hub's API`
			)
		);
		expect(result.stderr).not.toContain('<html');
		expect(result.stderr).not.toContain('\u001b');
	});

	it('a page labelled JSON: says the answer is not JSON, shows none of it', async () => {
		const proxyPage = await serve((_, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.end('<html>\n::error::owned\u001b[2J</html>');
		});
		const result = await plan(proxyPage.url);
		expect(result.code, result.stderr).toBe(1);
		expect(errorLine(result)).toMatch(
			/^Error: list \w+: the Hub's answer is not JSON \(is a proxy in the way\?\)$/
		);
	});

	it('a connection reset after the headers: the answer was broken off, not the Hub unreachable', async () => {
		const cutter = await serve((request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' });
			response.write('{"sessions":{"websocket":[');
			setTimeout(() => request.socket.resetAndDestroy(), 20);
		});
		const result = await plan(cutter.url);
		expect(result.code, result.stderr).toBe(1);
		expect(errorLine(result)).toBe(
			`Error: the Hub at ${cutter.url} broke off its answer (connection reset)`
		);
	});
});

/** A sign-in page, with what a terminal or a CI log would act on if it were ever printed. */
const SIGN_IN_PAGE: CannedReply = {
	status: 200,
	body: null,
	headers: { 'content-type': 'text/html; charset=utf-8' },
	raw: `<html><body>\n::error::owned\n\u001b[2JSign in to continue${'x'.repeat(5000)}</body></html>`,
};

/** An answer past the 32 MiB cap, labelled JSON. */
const TOO_LARGE: CannedReply = {
	status: 201,
	body: null,
	raw: Buffer.alloc(33 * 1024 * 1024, 0x20),
};

const REFUSED_ADVICE =
	"fix or bypass the proxy in the way, or name the Hub's own URL with --url or AGENTUITY_CODER_URL, then run apply again.";

describe('apply: a write answered by a proxy with a page, or with too much', () => {
	const isCreate = (request: ProxiedRequest) =>
		request.method === 'POST' && request.path === '/api/hub/session';
	const isUpdate = (request: ProxiedRequest) =>
		request.method === 'PATCH' && request.path.startsWith('/api/hub/session/');

	/** `apply` of `file` through `url`, one Hub call at a time (the first write meets the proxy). */
	function applyThrough(url: string, file: string, dir: string) {
		return cli(url, ['apply', '-f', file, '--auto-approve', '--parallelism', '1'], {
			cwd: dir,
			binary: true,
			env: { AGENTUITY_SDK_KEY: KEY },
		});
	}

	/** Applied again against the Hub itself, then planned: nothing left to do, one session a key. */
	async function convergesWithoutProxy(hub: TestHub, file: string, dir: string, keys: string[]) {
		const again = await applyThrough(hub.url, file, dir);
		expect(again.code, again.stdout + again.stderr).toBe(0);
		const plan = await cli(hub, ['plan', '-f', file, '--detailed-exitcode'], {
			cwd: dir,
			binary: true,
		});
		expect(plan.code, plan.stdout + plan.stderr).toBe(0);
		const counts = await activeCountByKey(hub.url, 'gw');
		expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(keys.map((key) => [key, 1])));
	}

	/** The run stopped: exit 5, the write unknown, advice about the proxy, nothing it must not print. */
	function expectStoppedByTheProxy(
		result: { code: number | null; stdout: string; stderr: string },
		verb: 'create' | 'update',
		refused: RegExp
	): void {
		const output = result.stdout + result.stderr;
		expect(result.code, output).toBe(5);
		expect(output).not.toContain(KEY);
		expect(output).not.toMatch(/\n\s+at /);
		expect(output).not.toContain('<html');
		expect(output).not.toContain('Sign in to continue');
		expect(output).not.toContain('\u001b');
		expect(output).not.toMatch(/^::error::/m);
		expect(result.stdout).toMatch(
			new RegExp(`^\\s*unknown\\s+${verb} \\S*s-000: its answer was not accepted`, 'm')
		);
		expect(result.stdout).toMatch(
			/^Apply finished: 0 applied, 0 failed, 0 skipped, 1 unknown, 2 not attempted\.$/m
		);
		const closing = result.stderr
			.split('\n')
			.find((line) => line.startsWith(`The Hub at ${proxy!.url} `));
		expect(closing, result.stderr).toMatch(refused);
		expect(closing).toContain('1 action may or may not have happened, 2 not attempted; ');
		expect(closing!.slice(-REFUSED_ADVICE.length)).toBe(REFUSED_ADVICE);
		expect(output).not.toContain('once it is back');
	}

	it.each([
		[
			'an HTML page',
			SIGN_IN_PAGE,
			/answered POST \/api\/hub\/session with an HTML page \(HTTP 200\), not the Hub's API/,
		],
		[
			'more than 32 MiB',
			TOO_LARGE,
			/sent more than 32 MiB in answer to POST \/api\/hub\/session \(the most one answer may hold\)/,
		],
	])(
		'a create the Hub made, answered with %s: unknown, exit 5, and a run against the Hub converges',
		async (_, reply, refused) => {
			const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'gateway-');
			// The create reaches the Hub; what comes back is the proxy's.
			proxy = await startProxy(hub.url, (request) => (isCreate(request) ? { reply } : undefined));
			const sessions = manySessions(3);
			const file = await writeSpec(dir, 'sessions.yaml', { stack: 'gw', sessions });
			const result = await applyThrough(proxy.url, file, dir);
			expectStoppedByTheProxy(result, 'create', refused);
			expect(proxy.log.filter(isCreate)).toHaveLength(1);
			await convergesWithoutProxy(hub, file, dir, Object.keys(sessions));
		}
	);

	it('an update answered with a sign-in page: unknown, exit 5, and a run against the Hub converges', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'gateway-');
		const sessions = manySessions(3);
		const keys = Object.keys(sessions);
		const first = await writeSpec(dir, 'sessions.yaml', { stack: 'gw', sessions });
		const created = await applyThrough(hub.url, first, dir);
		expect(created.code, created.stdout + created.stderr).toBe(0);
		const relabelled = await writeSpec(dir, 'relabelled.yaml', {
			stack: 'gw',
			sessions: Object.fromEntries(
				keys.map((key) => [key, { ...sessions[key], label: `New ${key}` }])
			),
		});
		proxy = await startProxy(hub.url, (request) =>
			isUpdate(request) ? { reply: SIGN_IN_PAGE } : undefined
		);
		const result = await applyThrough(proxy.url, relabelled, dir);
		expectStoppedByTheProxy(
			result,
			'update',
			/answered PATCH \/api\/hub\/session\/\S+ with an HTML page \(HTTP 200\), not the Hub's API/
		);
		expect(proxy.log.filter(isUpdate)).toHaveLength(1);
		await convergesWithoutProxy(hub, relabelled, dir, keys);
	});

	it("apply's JSON report tells a refused answer from an outage", async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'gateway-');
		proxy = await startProxy(hub.url, (request) =>
			isCreate(request) ? { reply: SIGN_IN_PAGE } : undefined
		);
		const file = await writeSpec(dir, 'sessions.yaml', { stack: 'gw', sessions: manySessions(3) });
		const result = await cli(
			proxy.url,
			['apply', '-f', file, '--auto-approve', '--parallelism', '1', '--format', 'json'],
			{ cwd: dir, binary: true, env: { AGENTUITY_SDK_KEY: KEY } }
		);
		expect(result.code, result.stderr).toBe(5);
		const report = JSON.parse(result.stdout) as Record<string, unknown>;
		expect(report).toMatchObject({ exitCode: 5, succeeded: false, hubAnswerRefused: true });
		expect(report.hubUnavailable).toMatch(/with an HTML page \(HTTP 200\), not the Hub's API/);
		expect(result.stdout).not.toContain('Sign in to continue');
	});
});

/**
 * Env values stay secret end to end: error bodies that echo a request (in the encodings gateways
 * use, and its headers with the API key), saved plans with literal env text, and templates
 * renamed over the same value. Real CLI, local Hub on 127.0.0.1.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startProxy, type HubProxy, type ProxiedRequest } from '../support/apply-helpers.js';
import { runCli as runCommandLine, type CliResult, type CliOptions } from '../support/cli.js';
import {
	cli as hubCommandLine,
	hubForTest,
	liveIdsByKey,
	useTempDir,
	writeSpec,
	type SpecDoc,
	type TestHub,
} from '../support/local-hub.js';
import { TEST_ENV_SECRET } from '../support/session-builders.js';

/** The built binary: what the binary itself prints and saves. */
const runCli = (args: readonly string[], options: CliOptions = {}) =>
	runCommandLine(args, { ...options, binary: true });
const cli = (hub: TestHub, args: readonly string[], options: CliOptions = {}) =>
	hubCommandLine(hub, args, { ...options, binary: true });

const TOKEN = 'tok-Secret-Value-9f2';
const LITERAL = 'literal-Secret-Text-7c1';
const KEY = { CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET };
/** Generous: the machine may be loaded; a hang would still fail. */
const RUN_TIMEOUT_MS = 60_000;

const isCreate = (request: Pick<ProxiedRequest, 'method' | 'path'>) =>
	request.method === 'POST' && /\/hub\/session(\?|$)/.test(request.path);

function throughProxy(proxy: HubProxy, args: readonly string[], cwd: string, env = {}) {
	return runCli([...args, '--url', proxy.url], {
		cwd,
		env: { ...KEY, ...env },
		timeoutMs: RUN_TIMEOUT_MS,
	});
}

const all = (result: CliResult) => result.stdout + result.stderr;

describe.concurrent('errors that echo the request', () => {
	const dir = useTempDir();
	const spec: SpecDoc = {
		stack: 'echo',
		sessions: {
			vault: { task: 'Uses a token.', env: { TOKEN: '${TOKEN}', LIT: LITERAL, S: 'ab' } },
		},
	};

	for (const status of [400, 500]) {
		it(`a create answered ${status} with the request body: apply never prints a value`, async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished);
			const proxy = await startProxy(hub.url, (request) =>
				isCreate(request)
					? {
							status,
							// As a proxy that quotes the request in its error does (its env first: the
							// message keeps the first 300 characters).
							body: {
								error: `rejected env ${JSON.stringify((request.body as { env: unknown }).env)}: ${JSON.stringify(request.body)}`,
							},
						}
					: undefined
			);
			onTestFinished(() => proxy.close());
			const file = await writeSpec(dir.path, `echo-${status}.yaml`, spec);
			const result = await throughProxy(proxy, ['apply', '--auto-approve', '-f', file], dir.path, {
				TOKEN,
			});
			expect(result.code).not.toBe(0);
			// The proxy did echo the values: the request reached it with them.
			expect(JSON.stringify(proxy.log.find(isCreate)?.body)).toContain(TOKEN);
			expect(all(result), all(result)).toContain('[redacted]');
			expect(all(result)).not.toContain(TOKEN);
			expect(all(result)).not.toContain(LITERAL);
			expect(all(result)).not.toContain('"ab"');
		}, 90_000);
	}
});

describe.concurrent('saved plans with literal env text', () => {
	const dir = useTempDir();
	const spec = (literal: string): SpecDoc => ({
		stack: 'literal',
		sessions: {
			vault: {
				task: 'Uses a literal.',
				env: { LIT: literal, AUTH: 'Bearer ${TOKEN}', PRICE: 'costs $$5' },
			},
		},
	});

	it('hold no literal text, and apply sends the values read back from the spec file', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const proxy = await startProxy(hub.url);
		onTestFinished(() => proxy.close());
		const file = await writeSpec(dir.path, 'sent.yaml', spec(LITERAL));
		// Planned and applied through the same proxy: a saved plan is for the Hub at its URL.
		const planned = await throughProxy(
			proxy,
			['plan', '-f', file, '--out', 'sent.plan'],
			dir.path,
			{
				TOKEN,
			}
		);
		expect(planned.code, planned.stderr).toBe(0);
		const saved = await readFile(join(dir.path, 'sent.plan'), 'utf8');
		for (const text of [LITERAL, TOKEN, 'Bearer', 'costs']) expect(saved).not.toContain(text);
		expect(saved).toContain('${TOKEN}');

		const applied = await throughProxy(proxy, ['apply', 'sent.plan'], dir.path, { TOKEN });
		expect(applied.code, all(applied)).toBe(0);
		expect((proxy.log.find(isCreate)?.body as { env?: unknown }).env).toEqual({
			LIT: LITERAL,
			AUTH: `Bearer ${TOKEN}`,
			PRICE: 'costs $5',
		});
		expect(all(applied)).not.toContain(LITERAL);
	}, 90_000);

	it('apply refuses when the literal text changed (exit 4) or the spec file is gone (exit 1)', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'moved.yaml', spec(LITERAL));
		const planned = await cli(hub, ['plan', '-f', file, '--out', 'moved.plan'], {
			cwd: dir.path,
			timeoutMs: RUN_TIMEOUT_MS,
			env: { TOKEN },
		});
		expect(planned.code, planned.stderr).toBe(0);

		await writeSpec(dir.path, 'moved.yaml', spec('another-literal'));
		const changed = await cli(hub, ['apply', 'moved.plan'], {
			cwd: dir.path,
			env: { TOKEN },
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(changed.code, all(changed)).toBe(4);
		expect(changed.stderr).toContain(
			'vault.env.LIT has other literal text than when the plan was made'
		);
		expect(all(changed)).not.toContain('another-literal');

		await rm(join(dir.path, 'moved.yaml'));
		const gone = await cli(hub, ['apply', 'moved.plan'], {
			cwd: dir.path,
			env: { TOKEN },
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(gone.code, all(gone)).toBe(1);
		expect(gone.stderr).toContain(
			'which cannot be read (apply from the folder the plan was made in, or give the spec files with -f)'
		);
		expect(gone.stderr).not.toContain('Internal error');

		// -f names where the text is read from instead.
		await writeSpec(dir.path, 'elsewhere.yaml', spec(LITERAL));
		const given = await cli(hub, ['apply', 'moved.plan', '-f', 'elsewhere.yaml'], {
			cwd: dir.path,
			timeoutMs: RUN_TIMEOUT_MS,
			env: { TOKEN },
		});
		expect(given.code, all(given)).toBe(0);
		expect(Object.keys(await liveIdsByKey(hub, 'literal'))).toEqual(['vault']);
	}, 90_000);

	it('without the key: no digests in the file, and apply says what it did not check', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const noKey = { TOKEN, CODER_SESSIONS_ENV_KEY: undefined };
		const file = await writeSpec(dir.path, 'nokey.yaml', spec(LITERAL));
		const planned = await cli(hub, ['plan', '-f', file, '--out', 'nokey.plan'], {
			cwd: dir.path,
			timeoutMs: RUN_TIMEOUT_MS,
			env: noKey,
		});
		expect(planned.code, planned.stderr).toBe(0);
		const saved = JSON.parse(await readFile(join(dir.path, 'nokey.plan'), 'utf8'));
		expect(saved.env).toEqual({ values: {}, templates: {} });
		const applied = await cli(hub, ['apply', 'nokey.plan'], {
			cwd: dir.path,
			env: noKey,
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(applied.code, all(applied)).toBe(0);
		expect(applied.stderr).toContain('note: literal env text of vault.env.LIT');
		expect(applied.stderr).toContain('note: env values not checked against the saved plan');
	}, 90_000);
});

describe.concurrent('a template changed over the same value', () => {
	const dir = useTempDir();

	const planOf = (hub: TestHub, file: string, env: Record<string, string | undefined>) =>
		cli(hub, ['plan', '-f', file, '--detailed-exitcode'], {
			cwd: dir.path,
			env,
			timeoutMs: RUN_TIMEOUT_MS,
		});

	it('is no change when the value is known equal (keyed digest), a replace without the key', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const before = await writeSpec(dir.path, 'renamed-1.yaml', {
			stack: 'renamed',
			sessions: { svc: { task: 'T.', env: { API_TOKEN: '${HC_SECRET}' } } },
		});
		const applied = await cli(hub, ['apply', '--auto-approve', '-f', before], {
			cwd: dir.path,
			timeoutMs: RUN_TIMEOUT_MS,
			env: { HC_SECRET: TOKEN },
		});
		expect(applied.code, all(applied)).toBe(0);
		const after = await writeSpec(dir.path, 'renamed-2.yaml', {
			stack: 'renamed',
			sessions: { svc: { task: 'T.', env: { API_TOKEN: '${API_TOKEN}' } } },
		});
		const same = await planOf(hub, after, { API_TOKEN: TOKEN });
		expect(same.code, all(same)).toBe(0);
		expect(same.stdout).toContain('No changes');
		const other = await planOf(hub, after, { API_TOKEN: 'another-value' });
		expect(other.code).toBe(2);
		expect(other.stdout).toMatch(/~ env\.API_TOKEN: \(sensitive, changed; reads API_TOKEN\)/);
		const keyless = await planOf(hub, after, {
			API_TOKEN: TOKEN,
			CODER_SESSIONS_ENV_KEY: undefined,
		});
		expect(keyless.code).toBe(2);
		expect(keyless.stderr).toContain(
			'note: env values not compared, as CODER_SESSIONS_ENV_KEY is not set'
		);
		expect(keyless.stderr.match(/note:/g)).toHaveLength(1);
	}, 90_000);

	it('export round-trips a stack whose templates are not ${KEY}, once the variables hold the values', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'exported-1.yaml', {
			stack: 'exported',
			sessions: {
				svc: {
					task: 'T.',
					env: { TOKEN: '${HC_SECRET}', AUTH: 'Bearer ${HC_SECRET}', MODE: 'fast' },
				},
			},
		});
		const applied = await cli(hub, ['apply', '--auto-approve', '-f', file], {
			cwd: dir.path,
			timeoutMs: RUN_TIMEOUT_MS,
			env: { HC_SECRET: TOKEN },
		});
		expect(applied.code, all(applied)).toBe(0);
		const exported = await cli(hub, ['export', '--stack', 'exported'], {
			cwd: dir.path,
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(exported.code, exported.stderr).toBe(0);
		await writeFile(join(dir.path, 'exported-2.yaml'), exported.stdout);
		const replanned = await planOf(hub, 'exported-2.yaml', {
			TOKEN,
			AUTH: `Bearer ${TOKEN}`,
			MODE: 'fast',
		});
		expect(replanned.code, all(replanned)).toBe(0);
	}, 90_000);
});

/** Every character as `\uXXXX` (lower or upper case hex), as an encoder that escapes all writes it. */
const uEscaped = (text: string, upper = false): string =>
	[...Array(text.length).keys()]
		.map((i) => text.charCodeAt(i).toString(16).padStart(4, '0'))
		.map((hex) => `\\u${upper ? hex.toUpperCase() : hex}`)
		.join('');

/** The base64 characters that depend on `value` alone when it starts at `offset` (mod 3). */
function base64Core(value: string, offset: number): string {
	const bytes = Buffer.from(value, 'utf8');
	const encoded = Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(2)]).toString('base64');
	return encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + bytes.length) * 8) / 6));
}

interface EchoRequest {
	readonly method: string;
	readonly path: string;
	readonly headers: IncomingHttpHeaders;
	readonly body: unknown;
}

/**
 * A gateway in front of the Hub that answers some requests itself, with an error quoting what it
 * received (its body, or its headers), and forwards the rest.
 */
async function startEchoGateway(
	target: string,
	answer: (request: EchoRequest) => { status: number; error: string } | undefined
): Promise<{ url: string; close: () => Promise<void> }> {
	const server = createServer((request, response) => {
		void (async () => {
			const chunks: Buffer[] = [];
			for await (const chunk of request) chunks.push(chunk as Buffer);
			const raw = Buffer.concat(chunks).toString('utf8');
			const method = request.method ?? 'GET';
			const path = request.url ?? '/';
			const body = raw ? (JSON.parse(raw) as unknown) : undefined;
			const decision = answer({ method, path, headers: request.headers, body });
			if (decision) {
				response.writeHead(decision.status, { 'content-type': 'application/json' });
				response.end(JSON.stringify({ error: decision.error }));
				return;
			}
			const headers: Record<string, string> = {};
			for (const [name, value] of Object.entries(request.headers)) {
				if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
					headers[name] = value;
			}
			const upstream = await fetch(`${target}${path}`, {
				method,
				headers,
				...(raw ? { body: raw } : {}),
			});
			response.writeHead(upstream.status, { 'content-type': 'application/json' });
			response.end(await upstream.text());
		})().catch((error: unknown) => {
			response.writeHead(502, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ error: String(error) }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

describe.concurrent('gateways that echo the request in other encodings', () => {
	const dir = useTempDir();
	const SHORT = 'ab';

	/** How a gateway may quote the env it was sent, one per create. */
	const ENCODINGS: readonly [string, (env: string) => string][] = [
		['u-lower', (env) => uEscaped(env)],
		['u-upper', (env) => uEscaped(env, true)],
		['json-twice', (env) => JSON.stringify(JSON.stringify(env))],
		['percent', (env) => encodeURIComponent(env)],
		['base64', (env) => Buffer.from(env).toString('base64')],
		['base64-1', (env) => Buffer.from(`x${env}`).toString('base64')],
		['base64url-2', (env) => Buffer.from(`xy${env}`).toString('base64url')],
	];

	it('apply prints no env value, short ones included, however the gateway encoded it', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		let creates = 0;
		const gateway = await startEchoGateway(hub.url, (request) => {
			if (!isCreate(request)) return undefined;
			const [name, encode] = ENCODINGS[creates++ % ENCODINGS.length]!;
			const env = (request.body as { env: { S: string; TOKEN: string; LIT: string } }).env;
			// The values first: the message keeps the first 300 characters.
			const sent = JSON.stringify({ S: env.S, TOKEN: env.TOKEN });
			return { status: 400, error: `echo-${name}: ${encode(sent)} LIT=${encode(env.LIT)}` };
		});
		onTestFinished(() => gateway.close());
		const sessions = Object.fromEntries(
			ENCODINGS.map(([name]) => [
				`s-${name}`,
				{ task: `Uses ${name}.`, env: { TOKEN: '${TOKEN}', LIT: LITERAL, S: SHORT } },
			])
		);
		const file = await writeSpec(dir.path, 'encodings.yaml', { stack: 'encodings', sessions });
		const result = await runCli(['apply', '--auto-approve', '-f', file, '--url', gateway.url], {
			cwd: dir.path,
			env: { ...KEY, TOKEN },
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(result.code, all(result)).toBe(5);
		const out = all(result);
		// Every echo was printed, its values redacted.
		for (const [name] of ENCODINGS)
			expect(out, out).toMatch(new RegExp(`echo-${name}: \\S*\\[redacted\\]`));
		const forbidden = [TOKEN, LITERAL].flatMap((value) => [
			value,
			uEscaped(value).slice(0, 36),
			uEscaped(value, true).slice(0, 36),
			encodeURIComponent(value),
			...[0, 1, 2].flatMap((offset) => {
				const core = base64Core(value, offset);
				return [core, core.replace(/\+/g, '-').replace(/\//g, '_')];
			}),
		]);
		forbidden.push(
			`"${SHORT}"`,
			`\\"${SHORT}\\"`,
			uEscaped(`"${SHORT}"`),
			uEscaped(`"${SHORT}"`, true),
			encodeURIComponent(`"${SHORT}"`)
		);
		for (const text of forbidden) expect(out, `${text} in ${out}`).not.toContain(text);
	}, 90_000);

	it('plan prints no API key when a gateway echoes the request headers', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const apiKey = 'ak_live_Zq8vW2mN4pX7rT1y';
		const gateway = await startEchoGateway(hub.url, (request) => {
			const authorization = String(request.headers.authorization);
			return {
				status: 400,
				error: [
					`authorization=${authorization}`,
					`u=${uEscaped(authorization)}`,
					`b64=${Buffer.from(authorization).toString('base64')}`,
					`headers=${JSON.stringify(request.headers)}`,
				].join(' '),
			};
		});
		onTestFinished(() => gateway.close());
		const file = await writeSpec(dir.path, 'headers.yaml', {
			stack: 'headers',
			sessions: { one: { task: 'One.' } },
		});
		const result = await runCli(['plan', '-f', file, '--url', gateway.url], {
			cwd: dir.path,
			env: { ...KEY, AGENTUITY_SDK_KEY: apiKey },
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(result.code, all(result)).toBe(1);
		const out = all(result);
		expect(out).toContain('authorization=[redacted]');
		for (const text of [apiKey, 'Zq8vW2mN4p', uEscaped(apiKey).slice(0, 36), base64Core(apiKey, 1)])
			expect(out, out).not.toContain(text);
	}, 90_000);

	it('shortens an echoed error after redacting it: a cut never leaves part of a value', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const gateway = await startEchoGateway(hub.url, (request) =>
			isCreate(request)
				? { status: 400, error: `${'x'.repeat(285)}${TOKEN}${'y'.repeat(5000)}` }
				: undefined
		);
		onTestFinished(() => gateway.close());
		const file = await writeSpec(dir.path, 'long.yaml', {
			stack: 'long',
			sessions: { one: { task: 'One.', env: { TOKEN: '${TOKEN}' } } },
		});
		const result = await runCli(['apply', '--auto-approve', '-f', file, '--url', gateway.url], {
			cwd: dir.path,
			env: { ...KEY, TOKEN },
			timeoutMs: RUN_TIMEOUT_MS,
		});
		expect(result.code, all(result)).toBe(5);
		const line = result.stdout.split('\n').find((l) => l.includes('xxxxxxxxxx')) ?? '';
		expect(line, result.stdout).toMatch(/x{285}\[redacted\]y{5}… \(\d+ more characters\)$/);
		expect(line.length).toBeLessThan(500);
		expect(all(result)).not.toContain(TOKEN.slice(0, 8));
	}, 90_000);
});

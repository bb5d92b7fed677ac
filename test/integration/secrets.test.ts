/**
 * Env values stay secret end to end: error bodies that echo a request, saved plans with literal
 * env text, and templates renamed over the same value. Real CLI, local Hub on 127.0.0.1.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
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

const isCreate = (request: ProxiedRequest) =>
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
							// As a proxy that quotes the request in its error does.
							body: { error: `rejected: ${JSON.stringify(request.body)}` },
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
		expect(gone.stderr).toContain('which cannot be read (give the spec files with -f)');
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
		expect(other.stdout).toMatch(/~ env\.API_TOKEN: \(sensitive, changed\)/);
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

/**
 * `apply` end to end: the built CLI against a real local Hub (issue "apply: idempotent,
 * crash-safe, verified"). The slow fault cases live in apply-faults.test.ts.
 */
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import type { LocalHub } from '../../src/hub-emulator/index.js';
import { projectRoot, runCli } from '../support/cli.js';
import {
	NO_WRITES,
	hasScript,
	hubStats,
	manySessions,
	resetStats,
	runInTerminal,
	sdkClient,
	stackSessions,
	startProxy,
	writesIn,
	type HubProxy,
	type HubSession,
	type ProxiedRequest,
} from '../support/apply-helpers.js';
import {
	cli,
	GITHUB_REPOS,
	hubAndDirForTest,
	hubForTest,
	writeSpec,
} from '../support/local-hub.js';
import { TEST_ENV_SECRET } from '../support/session-builders.js';

const STACK = 'it-apply';
const SECRET = 'sentinel-7f3a9c';
/** A 500 from the proxy: the SDK does not retry it, so apply sees an unknown outcome. */
const internalError = {
	status: 500,
	body: { success: false, code: 'INTERNAL', message: 'Internal error', error: 'boom' },
};

let hub: LocalHub;
let dir: string;
let proxy: HubProxy | undefined;

beforeEach(async () => {
	({ hub, dir } = await hubAndDirForTest(
		onTestFinished,
		{ githubRepos: GITHUB_REPOS },
		'apply-it-'
	));
});

afterEach(async () => {
	await proxy?.close();
	proxy = undefined;
});

/** Is this request the create of entry `key`? */
const createOf = (request: ProxiedRequest, key: string) =>
	request.method === 'POST' &&
	request.path === '/api/hub/session' &&
	(request.body as { metadata?: Record<string, string> } | undefined)?.metadata?.[
		'coder-sessions/key'
	] === key;

const apply = (args: readonly string[], env?: Record<string, string>) =>
	cli(hub.url, ['apply', ...args], { cwd: dir, env });
const plan = (args: readonly string[], env?: Record<string, string>) =>
	cli(hub.url, ['plan', ...args], { cwd: dir, env });
const output = (result: { stdout: string; stderr: string }) => result.stdout + result.stderr;

async function byKey(includeArchived = false): Promise<Map<string, HubSession[]>> {
	const map = new Map<string, HubSession[]>();
	for (const session of await stackSessions(hub.url, STACK, includeArchived)) {
		map.set(session.key ?? '', [...(map.get(session.key ?? '') ?? []), session]);
	}
	return map;
}

async function expectNoWrites(): Promise<void> {
	expect(writesIn(await hubStats(hub.url))).toEqual(NO_WRITES);
}

/** Applies `sessions` with --auto-approve and checks it went through. */
async function applied(
	sessions: Record<string, Record<string, unknown>>,
	env?: Record<string, string>
): Promise<void> {
	const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions });
	const result = await apply(['-f', file, '--auto-approve'], env);
	expect(result.code, output(result)).toBe(0);
}

describe('apply converges and is idempotent', () => {
	it('leaves an empty plan behind, and a second apply sends no writes at all', async () => {
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			defaults: { tags: ['managed'], visibility: 'org' },
			sessions: {
				'architecture-review': {
					label: 'Architecture review',
					task: 'Inspect this repo and explain the current architecture.\nWrite it up as Markdown.\n',
					tags: ['architecture'],
					repo: 'agentuity/sdk#main',
					metadata: { ticket: 'DOCS-123' },
				},
				'nightly-sync': {
					task: 'Keep the API reference in sync.',
					workflowMode: 'loop',
					loop: { goal: 'Every symbol documented.', maxIterations: 20 },
					env: { API_TOKEN: '${API_TOKEN}' },
				},
				'plain-one': { task: 'Nothing special.' },
			},
		});
		const env = { API_TOKEN: SECRET };

		const first = await apply(['-f', file, '--auto-approve'], env);
		expect(first.code, output(first)).toBe(0);
		expect(first.stdout).toContain(
			'Plan: 3 to create, 0 to update, 0 to replace, 0 to archive, 0 to delete.'
		);
		expect(first.stdout).toMatch(/^ *applied +create architecture-review \(codesess_\w+\)$/m);
		expect(first.stdout).toContain('Apply finished: 3 applied, 0 failed, 0 skipped, 0 unknown.');
		// After the last action, the read-back is announced rather than silent.
		const lines = first.stdout.split('\n');
		const lastAction = lines.findLastIndex((line) => /^ *applied +create /.test(line));
		expect(lines[lastAction + 1]).toBe('Reading the stack back from the Hub to verify it...');

		const after = await plan(['-f', file, '--detailed-exitcode'], env);
		expect(after.code, output(after)).toBe(0);

		await resetStats(hub.url);
		const second = await apply(['-f', file, '--auto-approve'], env);
		expect(second.code, output(second)).toBe(0);
		expect(second.stdout).toContain('Nothing to apply.');
		expect(second.stdout).not.toContain('Apply finished');
		await expectNoWrites();

		// One session per key, marked, and the secret went nowhere but the create call.
		const live = await byKey();
		expect([...live.keys()].sort()).toEqual(['architecture-review', 'nightly-sync', 'plain-one']);
		for (const sessions of live.values()) expect(sessions).toHaveLength(1);
		for (const text of [first, after, second].flatMap((r) => [r.stdout, r.stderr]))
			expect(text).not.toContain(SECRET);
		for (const [session] of live.values())
			expect(JSON.stringify(session!.metadata)).not.toContain(SECRET);
	});

	it('applies the docs-team spec (a copy of the example), after which its plan is empty', async () => {
		await copyFile(
			join(projectRoot, 'test/fixtures/docs-team/sessions.yaml'),
			join(dir, 'sessions.yaml')
		);
		const env = { DOCS_API_TOKEN: SECRET };
		const result = await apply(['--auto-approve'], env);
		expect(result.code, output(result)).toBe(0);
		expect(result.stdout).toMatch(/Apply finished: \d+ applied, 0 failed, 0 skipped, 0 unknown\./);
		const after = await cli(hub.url, ['plan', '--detailed-exitcode'], { cwd: dir, env });
		expect(after.code, output(after)).toBe(0);
		expect(output(result) + output(after)).not.toContain(SECRET);
	});

	it('updates in place, and replaces by creating the new session before archiving the old one', async () => {
		await applied({
			swap: { task: 'Version one of the task.' },
			tweak: { task: 'Stays.', label: 'Old label' },
		});
		const [old] = (await byKey()).get('swap')!;
		const [tweaked] = (await byKey()).get('tweak')!;

		proxy = await startProxy(hub.url);
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: {
				swap: { task: 'Version two of the task.' },
				tweak: { task: 'Stays.', label: 'New label' },
			},
		});
		const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(result.code, output(result)).toBe(0);
		expect(result.stdout).toContain(
			'Plan: 0 to create, 1 to update, 1 to replace, 0 to archive, 0 to delete.'
		);
		expect(result.stdout).toMatch(/^ *applied +replace swap \(codesess_\w+\)/m);
		expect(result.stdout).toMatch(/^ *applied +update tweak/m);

		const writes = proxy.log
			.filter((request) => request.method !== 'GET')
			.map((r) => `${r.method} ${r.path}`);
		const createAt = writes.indexOf('POST /api/hub/session');
		const archiveAt = writes.indexOf(`POST /api/hub/session/${old!.id}/archive`);
		expect(createAt, writes.join('\n')).toBeGreaterThanOrEqual(0);
		expect(archiveAt, writes.join('\n')).toBeGreaterThan(createAt);
		expect(writes).toContain(`PATCH /api/hub/session/${tweaked!.id}`);

		const all = (await byKey(true)).get('swap')!;
		expect(all).toHaveLength(2);
		expect(all.find((s) => s.id === old!.id)).toMatchObject({
			archived: true,
			task: 'Version one of the task.',
		});
		expect(all.find((s) => s.id !== old!.id)).toMatchObject({
			archived: false,
			task: 'Version two of the task.',
		});
		const now = (await byKey()).get('tweak')!;
		expect(now).toMatchObject([{ id: tweaked!.id, label: 'New label' }]);

		expect((await plan(['-f', file, '--detailed-exitcode'])).code).toBe(0);
	});
});

describe('creates whose outcome is unknown', () => {
	it('adopts a create that landed although its response was lost, without sending it again', async () => {
		// The Hub commits the create, then the caller gets a 500 (which the SDK does not retry).
		proxy = await startProxy(hub.url, (request) =>
			createOf(request, 'lost') ? { reply: internalError } : undefined
		);
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { lost: { task: 'Landed.' }, fine: { task: 'Fine.' } },
		});
		const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(result.code, output(result)).toBe(0);
		expect(result.stdout).toMatch(
			/^ *applied +create lost \(codesess_\w+\): response lost; found on the Hub and adopted$/m
		);
		expect(proxy.log.filter((request) => createOf(request, 'lost'))).toHaveLength(1);
		expect((await byKey()).get('lost')).toHaveLength(1);
		expect((await plan(['-f', file, '--detailed-exitcode'])).code).toBe(0);
	});

	it('finds a lost create its search misses by reading only the sessions created lately, not the whole org', async () => {
		// The Hub's clock is an hour back while others' sessions are made, then right.
		let hubClockOffsetMs = -60 * 60_000;
		const clocked = await hubForTest(onTestFinished, {
			now: () => new Date(Date.now() + hubClockOffsetMs),
		});
		const older: string[] = [];
		for (let i = 0; i < 12; i += 1) {
			const created = await clocked.client.createSession({ task: `Someone's task ${i}` });
			older.push(created.sessionId);
		}
		hubClockOffsetMs = 0;
		// A search that finds nothing (one that ignores metadata, or has not indexed yet).
		const emptySearch = {
			status: 200,
			body: { sessions: { websocket: [], sandbox: [] }, total: 0 },
		};
		proxy = await startProxy(clocked.url, (request) => {
			if (createOf(request, 'lost')) return { reply: internalError };
			if (request.method === 'GET' && /[?&]search=/.test(request.path)) return emptySearch;
			return undefined;
		});
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { lost: { task: 'Landed.', label: 'Lost answer' } },
		});
		const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(result.code, output(result)).toBe(0);
		expect(result.stdout).toMatch(
			/^ *applied +create lost \(codesess_\w+\): response lost; found on the Hub and adopted$/m
		);
		const lostAt = proxy.log.findIndex((request) => createOf(request, 'lost'));
		const readsAfter = proxy.log
			.slice(lostAt + 1)
			.filter(
				(request) => request.method === 'GET' && /^\/api\/hub\/session\/[^/?]+$/.test(request.path)
			);
		expect(readsAfter.length).toBeGreaterThan(0);
		expect(readsAfter.filter((request) => older.some((id) => request.path.endsWith(id)))).toEqual(
			[]
		);
		expect(proxy.log.filter((request) => createOf(request, 'lost'))).toHaveLength(1);
	});

	it('creates once more only after reading that the first attempt did not land', async () => {
		let refused = 0;
		proxy = await startProxy(hub.url, (request) =>
			createOf(request, 'retry') && refused++ === 0 ? internalError : undefined
		);
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { retry: { task: 'Second time lucky.' } },
		});
		const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(result.code, output(result)).toBe(0);
		expect(result.stdout).toMatch(/^ *applied +create retry \(codesess_\w+\)$/m);
		const calls = proxy.log.map((request) => `${request.method} ${request.path.split('?')[0]}`);
		const creates = calls.flatMap((call, index) =>
			call === 'POST /api/hub/session' ? [index] : []
		);
		expect(creates).toHaveLength(2);
		// Between the two POSTs, the Hub was searched for the key.
		expect(
			calls.slice(creates[0]! + 1, creates[1]).some((call) => call === 'GET /api/hub/sessions')
		).toBe(true);
		expect((await byKey()).get('retry')).toHaveLength(1);
	});
});

describe('a replace whose create answer is lost', () => {
	it('never mistakes the old session for the new one, and archives the old one only once the new one exists', async () => {
		const first = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { review: { task: 'Old task.' } },
		});
		expect((await cli(hub.url, ['apply', '-f', first, '--auto-approve'], { cwd: dir })).code).toBe(
			0
		);
		const [old] = (await byKey()).get('review')!;

		let refused = 0;
		proxy = await startProxy(hub.url, (request) =>
			createOf(request, 'review') && refused++ === 0 ? internalError : undefined
		);
		const second = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { review: { task: 'New task.' } },
		});
		const result = await cli(proxy.url, ['apply', '-f', second, '--auto-approve'], { cwd: dir });
		expect(result.code, output(result)).toBe(0);

		const sessions = (await byKey(true)).get('review')!;
		const active = sessions.filter((session) => !session.archived);
		expect(active).toHaveLength(1);
		expect(active[0]).toMatchObject({ task: 'New task.' });
		expect(active[0]!.id).not.toBe(old!.id);
		expect(sessions.find((session) => session.id === old!.id)).toMatchObject({ archived: true });
	});
});

describe('outcome lines', () => {
	it('reports a create still unknown after a re-read and a second try, and exits 5', async () => {
		proxy = await startProxy(hub.url, (request) =>
			createOf(request, 'never') ? internalError : undefined
		);
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { never: { task: 'Never acknowledged.' }, fine: { task: 'Fine.' } },
		});
		const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(result.code, output(result)).toBe(5);
		expect(result.stdout).toMatch(/^ *unknown +create never: .*; run apply again to converge$/m);
		expect(result.stdout).toContain('Apply finished: 1 applied, 0 failed, 0 skipped, 1 unknown.');
		// Twice, each time only after the Hub was read for the key: never blindly.
		expect(proxy.log.filter((request) => createOf(request, 'never'))).toHaveLength(2);
	});

	it('skips the later actions of a key whose action failed', async () => {
		await applied({ twin: { task: 'T', label: 'Old' } });
		const [first] = (await byKey()).get('twin')!;
		// A duplicate (same markers), newer: the plan updates the oldest and dedupes this one.
		const client = sdkClient(hub.url);
		await client.createSession({ task: 'T', label: 'Old', metadata: first!.metadata });
		proxy = await startProxy(hub.url, (request) =>
			request.method === 'PATCH'
				? { status: 400, body: { success: false, error: 'no' } }
				: undefined
		);
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { twin: { task: 'T', label: 'New' } },
		});
		const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(result.code, output(result)).toBe(5);
		expect(result.stdout).toMatch(/^ *failed +update twin/m);
		expect(result.stdout).toMatch(
			/^ *skipped +dedupe twin: an earlier action for this key did not succeed$/m
		);
		expect(result.stdout).toContain('Apply finished: 0 applied, 1 failed, 1 skipped, 0 unknown.');
		expect((await byKey()).get('twin')).toHaveLength(2);
	});
});

describe('verification', () => {
	it('re-reads what it applied: an update the Hub acknowledged but did not make is reported, exit 5', async () => {
		await applied({ sticky: { task: 'T', label: 'Old' } });
		const [sticky] = (await byKey()).get('sticky')!;
		// The PATCH reaches the Hub without its label: 200, and nothing changed but the stamp.
		proxy = await startProxy(hub.url, (request) => {
			if (request.method !== 'PATCH') return undefined;
			const { label: _dropped, ...rest } = request.body as Record<string, unknown>;
			return { forward: rest };
		});
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { sticky: { task: 'T', label: 'New' } },
		});
		const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(result.code, output(result)).toBe(5);
		expect(result.stdout).toMatch(/^ *applied +update sticky/m);
		expect(result.stdout).toContain('Apply finished: 1 applied, 0 failed, 0 skipped, 0 unknown.');
		expect(result.stdout).toContain(`Not converged: sticky (${sticky!.id}) still differs in label`);
	});
});

describe('replace interrupted between its create and its archive', () => {
	it('fails the replace (exit 5), and the next apply converges on one session with the new task', async () => {
		await applied({ swap: { task: 'Version one.' } });
		const [old] = (await byKey()).get('swap')!;
		const archiveOld = `/api/hub/session/${old!.id}/archive`;
		proxy = await startProxy(hub.url, (request) =>
			request.method === 'POST' && request.path === archiveOld ? internalError : undefined
		);
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { swap: { task: 'Version two.' } },
		});
		const failed = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(failed.code, output(failed)).toBe(5);
		const both = (await byKey()).get('swap')!;
		expect(both).toHaveLength(2);
		const created = both.find((session) => session.id !== old!.id)!;
		// The line says the new session exists, so nobody is surprised by two of them.
		expect(failed.stdout).toMatch(
			new RegExp(
				`^ *failed +replace swap \\(${created.id}\\): created, but archiving ${old!.id} failed: .*HTTP 500`,
				'm'
			)
		);

		// The next plan keeps the session that matches the spec and archives the other.
		const again = await apply(['-f', file, '--auto-approve']);
		expect(again.code, output(again)).toBe(0);
		expect(again.stdout).toMatch(new RegExp(`dedupe +swap +${old!.id}`));
		expect((await byKey()).get('swap')).toMatchObject([{ id: created.id, task: 'Version two.' }]);
		expect((await plan(['-f', file, '--detailed-exitcode'])).code).toBe(0);
	});
});

describe('saved plans', () => {
	const envSpec = {
		'with-secret': { task: 'Uses a token.', env: { API_TOKEN: '${API_TOKEN}' } },
		other: { task: 'No env.' },
	};

	it('apply PLANFILE applies without a prompt, and the plan file holds no secret', async () => {
		const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions: envSpec });
		const saved = await plan(['-f', file, '--out', 'p.json'], { API_TOKEN: SECRET });
		expect(saved.code, output(saved)).toBe(0);
		const text = await readFile(join(dir, 'p.json'), 'utf8');
		expect(text).toContain('${API_TOKEN}');
		expect(text).not.toContain(SECRET);

		// No TTY, no --auto-approve (a saved plan was reviewed already), no --url (it names its Hub).
		const result = await runCli(['apply', 'p.json'], { cwd: dir, env: { API_TOKEN: SECRET } });
		expect(result.code, output(result)).toBe(0);
		expect(result.stdout).toContain('Apply finished: 2 applied, 0 failed, 0 skipped, 0 unknown.');
		expect(output(result)).not.toContain(SECRET);
		expect([...(await byKey()).keys()].sort()).toEqual(['other', 'with-secret']);
		expect((await plan(['-f', file, '--detailed-exitcode'], { API_TOKEN: SECRET })).code).toBe(0);
	});

	it('refuses a plan made stale by an edit on the Hub, says what moved, and writes nothing', async () => {
		await applied({ edited: { task: 'T1', label: 'Before' }, steady: { task: 'T2' } });
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: {
				edited: { task: 'T1', label: 'After' },
				steady: { task: 'T2' },
				fresh: { task: 'T3' },
			},
		});
		expect((await plan(['-f', file, '--out', 'p.json'])).code).toBe(0);

		const [edited] = (await byKey()).get('edited')!;
		await sdkClient(hub.url).updateSession(edited!.id, { label: 'Edited by hand' });
		await resetStats(hub.url);

		const result = await apply(['p.json']);
		expect(result.code, output(result)).toBe(4);
		expect(result.stderr).toContain('The saved plan p.json is stale');
		expect(result.stderr).toContain(
			`update edited (${edited!.id}): the session changed on the Hub since the plan was made`
		);
		expect(result.stderr).not.toContain('fresh');
		await expectNoWrites();
		expect((await byKey()).has('fresh')).toBe(false);
	});

	it('refuses a plan whose session was deleted meanwhile', async () => {
		await applied({ doomed: { task: 'T1', label: 'Before' }, steady: { task: 'T2' } });
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { doomed: { task: 'T1', label: 'After' }, steady: { task: 'T2' } },
		});
		expect((await plan(['-f', file, '--out', 'p.json'])).code).toBe(0);
		const [doomed] = (await byKey()).get('doomed')!;
		await sdkClient(hub.url).deleteSession(doomed!.id);
		await resetStats(hub.url);

		const result = await apply(['p.json']);
		expect(result.code, output(result)).toBe(4);
		expect(result.stderr).toContain(
			`update doomed (${doomed!.id}): the session is gone from the Hub or no longer planned`
		);
		await expectNoWrites();
	});

	it('refuses a plan whose create landed meanwhile (another apply), and writes nothing', async () => {
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: { racer: { task: 'Created twice?' } },
		});
		expect((await plan(['-f', file, '--out', 'p.json'])).code).toBe(0);
		await applied({ racer: { task: 'Created twice?' } });
		const [racer] = (await byKey()).get('racer')!;
		await resetStats(hub.url);

		const result = await apply(['p.json']);
		expect(result.code, output(result)).toBe(4);
		expect(result.stderr).toContain(
			`create racer: a session for this key is on the Hub now (${racer!.id})`
		);
		await expectNoWrites();
		expect((await byKey()).get('racer')).toHaveLength(1);
	});

	it('refuses with exit 4 when an env value changed between plan and apply', async () => {
		const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions: envSpec });
		// The check needs the key the plan was made with (without it, apply says it did not check).
		const key = { CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET };
		const planned = await plan(['-f', file, '--out', 'p.json'], {
			API_TOKEN: 'value-at-plan',
			...key,
		});
		expect(planned.code).toBe(0);
		await resetStats(hub.url);

		const result = await apply(['p.json'], { API_TOKEN: 'value-at-apply', ...key });
		expect(result.code, output(result)).toBe(4);
		expect(result.stderr).toContain('with-secret.env.API_TOKEN');
		expect(output(result)).not.toContain('value-at');
		await expectNoWrites();
	});

	it('stops with exit 1 before any write when an env variable is missing at apply', async () => {
		const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions: envSpec });
		expect((await plan(['-f', file, '--out', 'p.json'], { API_TOKEN: SECRET })).code).toBe(0);
		await resetStats(hub.url);

		const fromSaved = await apply(['p.json']);
		expect(fromSaved.code, output(fromSaved)).toBe(1);
		expect(fromSaved.stderr).toContain(
			'API_TOKEN not set (needed by with-secret.env.API_TOKEN); nothing was applied'
		);

		const direct = await apply(['-f', file, '--auto-approve']);
		expect(direct.code, output(direct)).toBe(1);
		expect(direct.stderr).toContain('API_TOKEN not set');
		await expectNoWrites();
		expect((await byKey()).size).toBe(0);
	});
});

const PROMPT = 'Apply these changes? Only `yes` is accepted:';

describe('confirmation', () => {
	it('without a terminal and without --auto-approve: exit 1, names --auto-approve, writes nothing', async () => {
		const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions: manySessions(2) });
		const result = await apply(['-f', file]);
		expect(result.code, output(result)).toBe(1);
		expect(result.stderr).toContain('--auto-approve');
		await expectNoWrites();
	});

	it.skipIf(!hasScript)('on a terminal, asks and applies only on `yes`', async () => {
		const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions: manySessions(2) });
		const args = ['apply', '--url', hub.url, '-f', file];

		const declined = await runInTerminal(dir, args, 'no\n');
		expect(declined.code, output(declined)).toBe(1);
		expect(declined.stdout).toContain('Apply these changes? Only `yes` is accepted:');
		expect(declined.stdout).toContain('Apply cancelled; nothing was changed.');
		await expectNoWrites();

		// Ctrl-C at the prompt is an interrupt, as while planning (exit 130); Ctrl-D is a no.
		const interrupted = await runInTerminal(dir, args, '\x03', { after: PROMPT });
		expect(interrupted.code, output(interrupted)).toBe(130);
		expect(interrupted.stdout).toContain(
			'Interrupted (Ctrl-C) at the prompt; nothing was changed.'
		);
		const ended = await runInTerminal(dir, args, '\x04', { after: PROMPT });
		expect(ended.code, output(ended)).toBe(1);
		expect(ended.stdout).toContain('Apply cancelled; nothing was changed.');
		await expectNoWrites();

		const approved = await runInTerminal(dir, args, 'yes\n');
		expect(approved.code, output(approved)).toBe(0);
		expect(approved.stdout).toContain('Apply finished: 2 applied, 0 failed, 0 skipped, 0 unknown.');
		expect(writesIn(await hubStats(hub.url))).toEqual({ ...NO_WRITES, create: 2 });
	});
});

describe('terminals', () => {
	it.skipIf(!hasScript)(
		'a dumb terminal (TERM=dumb) gets no control sequence at all; another terminal gets colour',
		async () => {
			const file = await writeSpec(dir, 'sessions.yaml', {
				stack: STACK,
				sessions: manySessions(2),
			});
			const args = ['plan', '--url', hub.url, '-f', file];
			const dumb = await runInTerminal(dir, args, '', { env: { TERM: 'dumb' } });
			expect(dumb.code, output(dumb)).toBe(0);
			expect(dumb.stdout).toContain('Plan: 2 to create');
			expect(dumb.stdout).not.toContain('\x1b');
			const xterm = await runInTerminal(dir, args, '', { env: { TERM: 'xterm' } });
			expect(xterm.code, output(xterm)).toBe(0);
			expect(xterm.stdout).toContain('\x1b[');
		}
	);
});

describe('safety rails', () => {
	it('never removes a protected session, not even with --allow-removals', async () => {
		await applied({ ...manySessions(3, 'keep'), guarded: { task: 'Precious.', protect: true } });
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: manySessions(3, 'keep'),
		});
		await resetStats(hub.url);

		for (const extra of [[], ['--allow-removals', '1']]) {
			const result = await apply(['-f', file, '--auto-approve', ...extra]);
			expect(result.code, output(result)).toBe(3);
			expect(result.stderr).toContain('Apply refused by a safety rail');
			expect(result.stderr).toContain('guarded');
		}
		await expectNoWrites();
		expect((await byKey()).get('guarded')).toHaveLength(1);
	});

	it('refuses a bulk removal (>25% of >=8) unless --allow-removals names the exact count', async () => {
		await applied(manySessions(8));
		const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions: manySessions(5) });
		await resetStats(hub.url);

		for (const extra of [[], ['--allow-removals', '2'], ['--allow-removals', '4']]) {
			const result = await apply(['-f', file, '--auto-approve', ...extra]);
			expect(result.code, `${extra.join(' ')}\n${output(result)}`).toBe(3);
			expect(result.stderr).toContain('--allow-removals 3');
		}
		await expectNoWrites();

		const allowed = await apply(['-f', file, '--auto-approve', '--allow-removals', '3']);
		expect(allowed.code, output(allowed)).toBe(0);
		expect(allowed.stdout).toContain('Apply finished: 3 applied, 0 failed, 0 skipped, 0 unknown.');
		expect(writesIn(await hubStats(hub.url))).toEqual({ ...NO_WRITES, archive: 3 });
		expect([...(await byKey()).keys()].sort()).toEqual(Object.keys(manySessions(5)));
	});

	it('counts only active sessions for the bulk rail, however much history the stack has', async () => {
		await applied(manySessions(8));
		// Replacing every session leaves 8 archived ones behind (8 replaces: 8 removals).
		const replaced = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: manySessions(8, 's', { task: 'A new task for everyone.' }),
		});
		const replacing = await apply(['-f', replaced, '--auto-approve', '--allow-removals', '8']);
		expect(replacing.code, output(replacing)).toBe(0);
		expect((await byKey(true)).get('s-000')).toHaveLength(2);
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: manySessions(5, 's', { task: 'A new task for everyone.' }),
		});
		await resetStats(hub.url);

		const result = await apply(['-f', file, '--auto-approve']);
		expect(result.code, output(result)).toBe(3);
		expect(result.stderr).toContain('--allow-removals 3');
		await expectNoWrites();
	});

	it('refuses an empty spec unless --allow-removals names every session', async () => {
		await applied(manySessions(3));
		const file = await writeSpec(dir, 'empty.yaml', { stack: STACK, sessions: {} });
		await resetStats(hub.url);

		const refused = await apply(['-f', file, '--auto-approve']);
		expect(refused.code, output(refused)).toBe(3);
		expect(refused.stderr).toContain('--allow-removals 3');
		await expectNoWrites();

		const allowed = await apply(['-f', file, '--auto-approve', '--allow-removals', '3']);
		expect(allowed.code, output(allowed)).toBe(0);
		expect((await byKey()).size).toBe(0);
		expect((await byKey(true)).size).toBe(3);
	});
});

describe('partial failure', () => {
	it('goes on after a failed action, reports one line per action, and exits 5', async () => {
		await applied({ existing: { task: 'Already there.', label: 'Old' } });
		const [existing] = (await byKey()).get('existing')!;
		// The create of `doomed` reaches the Hub with a body it rejects (400, its own validation).
		proxy = await startProxy(hub.url, (request) => {
			if (!createOf(request, 'doomed')) return undefined;
			return { forward: { ...(request.body as object), task: 42 } };
		});
		const file = await writeSpec(dir, 'sessions.yaml', {
			stack: STACK,
			sessions: {
				existing: { task: 'Already there.', label: 'New' },
				'ok-one': { task: 'Fine.' },
				'ok-two': { task: 'Also fine.' },
				doomed: { task: 'Rejected by the Hub.' },
			},
		});
		const result = await cli(proxy.url, ['apply', '-f', file, '--auto-approve'], { cwd: dir });
		expect(result.code, output(result)).toBe(5);

		const lines = result.stdout.split('\n').map((line) => line.trim());
		const outcomes = lines.filter((line) => /^(applied|failed|skipped|unknown) /.test(line));
		expect(outcomes).toHaveLength(4);
		expect(outcomes.filter((line) => line.startsWith('applied'))).toHaveLength(3);
		expect(outcomes.find((line) => line.startsWith('failed'))).toMatch(
			/^failed +create doomed.*HTTP 400/
		);
		expect(lines).toContain('Apply finished: 3 applied, 1 failed, 0 skipped, 0 unknown.');

		const live = await byKey();
		expect([...live.keys()].sort()).toEqual(['existing', 'ok-one', 'ok-two']);
		expect(live.get('existing')).toMatchObject([{ id: existing!.id, label: 'New' }]);
		// Only the failed action is left to do.
		const next = await plan(['-f', file, '--detailed-exitcode']);
		expect(next.code).toBe(2);
		expect(next.stdout).toContain(
			'Plan: 1 to create, 0 to update, 0 to replace, 0 to archive, 0 to delete.'
		);
	});
});

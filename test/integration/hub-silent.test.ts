/**
 * A Hub that accepts connections but stops answering (a stopped process, a black-holed load
 * balancer, a stuck proxy): every request has a deadline, the first one past it stops the run,
 * and nothing waits longer than that. A proxy holds the requests unanswered from a chosen one on
 * (the order is the test's, never timing luck), then lets them land late on the Hub.
 */
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import {
	activeCountByKey,
	hasScript,
	manySessions,
	runInTerminal,
	startProxy,
	waitFor,
	type HubProxy,
	type Intercept,
	type ProxiedRequest,
} from '../support/apply-helpers.js';
import { cli, hubAndDirForTest, writeSpec } from '../support/local-hub.js';

const STACK = 'it-silent';
const ENTRIES = 20;
/** Short enough for a test, long enough that no answered request outlives it on a busy machine. */
const TIMEOUT_S = '4';

const isCreate = (request: ProxiedRequest) =>
	request.method === 'POST' && request.path === '/api/hub/session';

let proxy: HubProxy | undefined;
let release: (() => void) | undefined;

afterEach(async () => {
	release?.();
	release = undefined;
	await proxy?.close();
	proxy = undefined;
});

/**
 * A Hub behind a proxy that stops answering at the first request `silentFrom` picks, and holds
 * that one and every later one until `release`, then sends them on to the Hub.
 */
async function setUp(silentFrom: (request: ProxiedRequest) => boolean) {
	const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'hub-silent-');
	const held = new Promise<void>((resolve) => (release = resolve));
	let silent = false;
	const intercept = (request: ProxiedRequest): Intercept => {
		silent ||= silentFrom(request);
		return silent ? { hold: held } : undefined;
	};
	proxy = await startProxy(hub.url, intercept);
	const sessions = manySessions(ENTRIES);
	const file = await writeSpec(dir, 'sessions.yaml', { stack: STACK, sessions });
	return { hub, proxy, dir, file, keys: Object.keys(sessions) };
}

/** The line naming the silent Hub: exactly one, with what to do. */
function expectOneHubLine(stderr: string, url: string): void {
	const about = stderr.split('\n').filter((line) => line.includes(`The Hub at ${url}`));
	expect(about, stderr).toHaveLength(1);
	expect(about[0]).toMatch(
		new RegExp(`^The Hub at ${url} stopped answering \\(no answer within ${TIMEOUT_S} s\\): `)
	);
	expect(about[0]).toMatch(/; run apply again once it is back\.$/);
}

describe('a Hub that stops answering', () => {
	it('mid-apply: in-flight creates are unknown, the rest not attempted, exit 5; the held creates land late and the next apply makes no duplicate', async () => {
		let creates = 0;
		const setup = await setUp((request) => isCreate(request) && ++creates === 6);
		const args = ['-f', setup.file, '--auto-approve', '--parallelism', '4'];
		const result = await cli(setup.proxy.url, ['apply', ...args, '--request-timeout', TIMEOUT_S], {
			cwd: setup.dir,
		});
		const output = result.stdout + result.stderr;
		expect(result.code, output).toBe(5);
		expectOneHubLine(result.stderr, setup.proxy.url);
		const summary =
			/^Apply finished: (\d+) applied, 0 failed, 0 skipped, (\d+) unknown, (\d+) not attempted\./m.exec(
				result.stdout
			);
		expect(summary, output).not.toBeNull();
		const [applied, unknown] = [Number(summary![1]), Number(summary![2])];
		// Five creates were answered; the sixth and those beside it were in flight (at most 4).
		expect(applied).toBe(5);
		expect(unknown).toBeGreaterThanOrEqual(1);
		expect(unknown).toBeLessThanOrEqual(4);
		expect(Number(summary![3])).toBe(ENTRIES - applied - unknown);
		// No create was sent twice, and none after the Hub fell silent but those in flight.
		expect(setup.proxy.log.filter(isCreate)).toHaveLength(applied + unknown);

		// The Hub comes back and commits the creates it held: they land after the run gave up.
		release!();
		await waitFor(
			async () => setup.proxy.log.every((request) => request.status !== undefined),
			'the Hub to answer every held request'
		);
		expect((await activeCountByKey(setup.hub.url, STACK)).size).toBe(applied + unknown);

		const again = await cli(setup.hub, ['apply', '-f', setup.file, '--auto-approve'], {
			cwd: setup.dir,
		});
		expect(again.code, again.stdout + again.stderr).toBe(0);
		expect(again.stdout).toContain(`Plan: ${ENTRIES - applied - unknown} to create,`);
		const counts = await activeCountByKey(setup.hub.url, STACK);
		expect(Object.fromEntries(counts)).toEqual(
			Object.fromEntries(setup.keys.map((key) => [key, 1]))
		);
	});

	it('while apply reads the stack back: the writes are reported applied, the run stops with exit 5', async () => {
		let creates = 0;
		const setup = await setUp((request) => {
			if (isCreate(request)) creates += 1;
			return creates === ENTRIES && request.method === 'GET';
		});
		const result = await cli(
			setup.proxy.url,
			['apply', '-f', setup.file, '--auto-approve', '--request-timeout', TIMEOUT_S],
			{ cwd: setup.dir }
		);
		expect(result.code, result.stdout + result.stderr).toBe(5);
		expectOneHubLine(result.stderr, setup.proxy.url);
		expect(result.stdout).toContain(
			`Apply finished: ${ENTRIES} applied, 0 failed, 0 skipped, 0 unknown.`
		);
	});

	for (const command of ['plan', 'status', 'drift'] as const) {
		it(`${command} ends with one error line and exit 1`, async () => {
			const setup = await setUp(() => true);
			const result = await cli(
				setup.proxy.url,
				[command, '-f', setup.file, '--request-timeout', TIMEOUT_S],
				{ cwd: setup.dir }
			);
			expect(result.code, result.stdout + result.stderr).toBe(1);
			const lines = result.stderr.trim().split('\n');
			expect(lines, result.stderr).toHaveLength(1);
			expect(lines[0]).toContain(
				`the Hub at ${setup.proxy.url} stopped answering (no answer within ${TIMEOUT_S} s)`
			);
		});
	}

	it.runIf(hasScript)('a terminal shows that it is waiting, and for how long', async () => {
		const setup = await setUp(() => true);
		const result = await runInTerminal(
			setup.dir,
			['plan', '-f', setup.file, '--url', setup.proxy.url, '--request-timeout', '8'],
			''
		);
		expect(result.code, result.stdout).toBe(1);
		expect(result.stdout).toMatch(
			new RegExp(
				`Waiting for the Hub at ${setup.proxy.url}: no answer for \\d s \\(giving up after 8 s\\)`
			)
		);
	});

	it('--request-timeout and CODER_SESSIONS_REQUEST_TIMEOUT take seconds; anything else is refused before any request', async () => {
		const setup = await setUp(() => false);
		const bad = await cli(setup.proxy.url, ['plan', '-f', setup.file, '--request-timeout', '0'], {
			cwd: setup.dir,
		});
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain(
			'--request-timeout: expected a number of seconds from 0.1 to 3600 (got "0")'
		);
		const badEnv = await cli(setup.proxy.url, ['plan', '-f', setup.file], {
			cwd: setup.dir,
			env: { CODER_SESSIONS_REQUEST_TIMEOUT: 'soon' },
		});
		expect(badEnv.code).toBe(1);
		expect(badEnv.stderr).toContain('CODER_SESSIONS_REQUEST_TIMEOUT: expected a number of seconds');
		expect(setup.proxy.log).toHaveLength(0);

		const good = await cli(setup.proxy.url, ['plan', '-f', setup.file], {
			cwd: setup.dir,
			env: { CODER_SESSIONS_REQUEST_TIMEOUT: '20' },
		});
		expect(good.code, good.stderr).toBe(0);
	});
});

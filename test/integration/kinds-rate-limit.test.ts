/**
 * The team setup (examples/team/coder.yaml) through a Hub that answers 429: every kind's writes
 * wait out the refusal and send the refused call again (and only that call: an agent's create is
 * not sent again when its publish is refused), and a Retry-After no apply should wait for ends
 * the run with a clear message instead of holding it for hours.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { readMarker } from '../../src/kinds/description-marker.js';
import {
	stackSessions,
	startProxy,
	type HubProxy,
	type ProxiedRequest,
} from '../support/apply-helpers.js';
import { CLI_TIMEOUT_MS, projectRoot } from '../support/cli.js';
import { cli, hubAndDirForTest, type TestHub } from '../support/local-hub.js';

const STACK = 'docs-setup';
const SPEC = 'coder.yaml';

let proxy: HubProxy | undefined;

afterEach(async () => {
	await proxy?.close();
	proxy = undefined;
});

async function teamSetup() {
	const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-429-');
	await copyFile(join(projectRoot, 'examples/team/coder.yaml'), join(dir, SPEC));
	return { hub, dir };
}

const isWrite = (request: ProxiedRequest) => request.method !== 'GET';
const pathOf = (request: ProxiedRequest) => request.path.split('?')[0]!;

/** A 429 with this Retry-After, as the Hub sends it. */
const refusal = (retryAfter: string) => ({
	status: 429,
	headers: { 'retry-after': retryAfter },
	body: { success: false, code: 'RATE_LIMITED', message: 'Too many requests' },
});

const ownKeys = (records: readonly { description?: string }[]) =>
	records
		.flatMap((record) => {
			const owner = readMarker(record.description).owner;
			return owner?.stack === STACK ? [owner.key] : [];
		})
		.sort();

async function keysOnHub(hub: TestHub) {
	const { client } = hub;
	const [skills, buckets, agents, workspaces, sessions] = await Promise.all([
		client.listSavedSkills(),
		client.listSkillBuckets(),
		client.listCustomAgents(),
		client.listWorkspaces(),
		stackSessions(hub.url, STACK),
	]);
	return {
		skills: ownKeys(skills.skills),
		buckets: ownKeys(buckets.buckets),
		agents: ownKeys(agents.agents),
		workspaces: ownKeys(workspaces.workspaces),
		sessions: sessions.map((session) => session.key ?? '').sort(),
	};
}

const ONE_OF_EACH = {
	skills: ['release-notes', 'style-guide'],
	buckets: ['docs-kit'],
	agents: ['reviewer'],
	workspaces: ['docs'],
	sessions: ['api-review'],
};

describe('the team setup through a Hub that answers 429', () => {
	it.each(['0', '-5', 'Wed, 21 Oct 2015 07:28:00 GMT', 'soon'])(
		'Retry-After %s on the first try of every write: each is sent again once, one record per key',
		async (retryAfter) => {
			const { hub, dir } = await teamSetup();
			// Every write's first try is refused: each create, the agent's publish, the session.
			const tried = new Set<string>();
			proxy = await startProxy(hub.url, (request) => {
				if (!isWrite(request) || tried.has(pathOf(request))) return undefined;
				tried.add(pathOf(request));
				return refusal(retryAfter);
			});
			const result = await cli(proxy.url, ['apply', '--auto-approve', '-f', SPEC], {
				cwd: dir,
				timeoutMs: CLI_TIMEOUT_MS,
			});
			expect(result.code, result.stdout + result.stderr).toBe(0);

			const writes = proxy.log
				.filter(isWrite)
				.map((request) => `${pathOf(request)} ${request.status}`);
			const refused = writes.filter((write) => write.endsWith(' 429'));
			expect(refused.length).toBeGreaterThanOrEqual(6);
			expect(writes.filter((write) => write.startsWith('/api/hub/agents '))).toEqual([
				'/api/hub/agents 429',
				'/api/hub/agents 201',
			]);
			expect(writes.filter((write) => write.endsWith('/publish 200'))).toHaveLength(1);
			expect(await keysOnHub(hub)).toEqual(ONE_OF_EACH);
		},
		2 * CLI_TIMEOUT_MS
	);

	it.each([
		['100000', '28 h'],
		['1000000000000', '11574074 days'],
	])(
		'Retry-After %s on the agent create: the run ends saying how long the Hub asked, the next apply converges',
		async (retryAfter, asked) => {
			const { hub, dir } = await teamSetup();
			let refusals = 0;
			proxy = await startProxy(hub.url, (request) =>
				request.method === 'POST' && pathOf(request) === '/api/hub/agents' && refusals++ === 0
					? refusal(retryAfter)
					: undefined
			);
			const result = await cli(proxy.url, ['apply', '--auto-approve', '-f', SPEC], {
				cwd: dir,
				binary: true,
				timeoutMs: CLI_TIMEOUT_MS,
			});
			expect(result.signal, result.stdout + result.stderr).toBeNull();
			expect(result.code, result.stdout + result.stderr).toBe(5);
			expect(result.stdout).toContain(
				`failed   create agents.reviewer (agent): create agent: HTTP 429: rate limited by the Hub, which asks to wait ${asked}: longer than the 120 s coder-sessions waits out a rate limit; run again later`
			);
			// Not sent again, and no timer asked to hold what it cannot.
			expect(refusals).toBe(1);
			expect(result.stderr).not.toContain('TimeoutOverflowWarning');

			const again = await cli(hub, ['apply', '--auto-approve', '-f', SPEC], {
				cwd: dir,
				timeoutMs: CLI_TIMEOUT_MS,
			});
			expect(again.code, again.stdout + again.stderr).toBe(0);
			expect(await keysOnHub(hub)).toEqual(ONE_OF_EACH);
		},
		3 * CLI_TIMEOUT_MS
	);

	it(
		'Retry-After of a day on a session create: the run ends with the message, exit 5',
		async () => {
			const { hub, dir } = await teamSetup();
			let refusals = 0;
			proxy = await startProxy(hub.url, (request) =>
				request.method === 'POST' && pathOf(request) === '/api/hub/session' && refusals++ === 0
					? refusal('86400')
					: undefined
			);
			const result = await cli(proxy.url, ['apply', '--auto-approve', '-f', SPEC], {
				cwd: dir,
				binary: true,
				timeoutMs: CLI_TIMEOUT_MS,
			});
			expect(result.signal, result.stdout + result.stderr).toBeNull();
			expect(result.code, result.stdout + result.stderr).toBe(5);
			expect(result.stdout).toContain(
				'create session: HTTP 429: rate limited by the Hub, which asks to wait 24 h'
			);
			expect(refusals).toBe(1);
		},
		2 * CLI_TIMEOUT_MS
	);
	it(
		'Retry-After of a day on the agents list: plan ends with one line saying so, exit 1',
		async () => {
			const { hub, dir } = await teamSetup();
			let refusals = 0;
			proxy = await startProxy(hub.url, (request) =>
				request.method === 'GET' && pathOf(request) === '/api/hub/agents' && refusals++ === 0
					? refusal('86400')
					: undefined
			);
			const result = await cli(proxy.url, ['plan', '-f', SPEC], {
				cwd: dir,
				binary: true,
				timeoutMs: CLI_TIMEOUT_MS,
			});
			expect(result.signal, result.stdout + result.stderr).toBeNull();
			expect(result.code, result.stdout + result.stderr).toBe(1);
			expect(result.stderr).toContain('HTTP 429: rate limited by the Hub, which asks to wait 24 h');
			expect(result.stderr).not.toMatch(/\n\s+at /);
			expect(refusals).toBe(1);
		},
		2 * CLI_TIMEOUT_MS
	);
});

/**
 * A Hub that stops answering while the other kinds are read or written (a list, an agent's
 * create or publish, a workspace's create): the command ends once the request deadline passes,
 * naming the Hub, with plan's exit 1 or apply's exit 5; the held requests then land late, and one
 * more apply converges to one record of each kind per key. Real CLI and CoderClient, local Hub on
 * 127.0.0.1 behind a proxy that holds requests from a chosen one on.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { readMarker } from '../../src/kinds/description-marker.js';
import { startProxy, type ProxiedRequest } from '../support/apply-helpers.js';
import { projectRoot } from '../support/cli.js';
import { cli, hubAndDirForTest, type TestHub } from '../support/local-hub.js';

const EXAMPLE = join(projectRoot, 'examples/team/coder.yaml');
/** Short for a test, long enough that no answered request outlives it on a busy machine. */
const TIMEOUT_S = '3';

const keysOf = (records: readonly { description?: string }[]) =>
	records.map((record) => readMarker(record.description).owner?.key).sort();

async function keysOnHub({ client }: TestHub) {
	return {
		skills: keysOf((await client.listSavedSkills()).skills),
		buckets: keysOf((await client.listSkillBuckets()).buckets),
		agents: keysOf((await client.listCustomAgents({ includeArchived: true })).agents),
		workspaces: keysOf((await client.listWorkspaces()).workspaces),
	};
}

const CASES: [string, readonly string[], number, (request: ProxiedRequest) => boolean][] = [
	[
		'plan, at the agents list',
		['plan'],
		1,
		// Archived agents too, for the slugs they keep.
		(r) => r.method === 'GET' && r.path === '/api/hub/agents?includeArchived=true',
	],
	[
		'apply, at the agent create',
		['apply', '--auto-approve'],
		5,
		(r) => r.method === 'POST' && r.path === '/api/hub/agents',
	],
	[
		'apply, at the agent publish',
		['apply', '--auto-approve'],
		5,
		(r) => r.method === 'POST' && r.path.endsWith('/publish'),
	],
	[
		'apply, at the workspace create',
		['apply', '--auto-approve'],
		5,
		(r) => r.method === 'POST' && r.path === '/api/hub/workspaces',
	],
	[
		'apply, at the bucket create',
		['apply', '--auto-approve'],
		5,
		(r) => r.method === 'POST' && r.path === '/api/hub/skills/buckets',
	],
];

describe.concurrent('a Hub that stops answering while the other kinds are read or written', () => {
	it.for(CASES)(
		'%s: ends at the deadline, then converges',
		async ([, command, exitCode, silentFrom], { expect, onTestFinished }) => {
			const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-silent-');
			await copyFile(EXAMPLE, join(dir, 'coder.yaml'));
			let release!: () => void;
			const held = new Promise<void>((resolve) => (release = resolve));
			onTestFinished(() => release());
			let silent = false;
			const proxy = await startProxy(hub.url, (request) => {
				silent ||= silentFrom(request);
				return silent ? { hold: held } : undefined;
			});
			onTestFinished(() => proxy.close());

			const stopped = await cli(
				proxy.url,
				[...command, '-f', 'coder.yaml', '--request-timeout', TIMEOUT_S],
				{ cwd: dir }
			);
			expect(stopped.code, stopped.stdout + stopped.stderr).toBe(exitCode);
			expect(stopped.stderr).toContain(
				`he Hub at ${proxy.url} stopped answering (no answer within ${TIMEOUT_S} s)`
			);
			expect(stopped.stderr).not.toMatch(/Internal error|\n\s+at /);

			// The held requests land late; one more apply converges.
			release();
			await expect.poll(() => proxy.log.filter((r) => r.status === undefined).length).toBe(0);
			const again = await cli(hub, ['apply', '--auto-approve', '-f', 'coder.yaml'], { cwd: dir });
			expect(again.code, again.stdout + again.stderr).toBe(0);
			const clean = await cli(hub, ['plan', '-f', 'coder.yaml', '--detailed-exitcode'], {
				cwd: dir,
			});
			expect(clean.code, clean.stdout + clean.stderr).toBe(0);
			expect(await keysOnHub(hub)).toEqual({
				skills: ['release-notes', 'style-guide'],
				buckets: ['docs-kit'],
				agents: ['reviewer'],
				workspaces: ['docs'],
			});
		}
	);
});

/**
 * The team setup (examples/team/coder.yaml) while the Hub answers only 503 to one of the other
 * kinds' writes, with nothing else in flight: a Hub gone behind its gateway, as far as anyone can
 * tell. The run says the Hub stopped answering, calls the write in flight unknown, and does not
 * blame the records it wrote before for failing to read back; the next apply converges.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readMarker } from '../../src/kinds/description-marker.js';
import { startProxy, type ProxiedRequest } from '../support/apply-helpers.js';
import { CLI_TIMEOUT_MS, projectRoot } from '../support/cli.js';
import { cli, hubAndDirForTest } from '../support/local-hub.js';

const SPEC = 'coder.yaml';
const unavailable = {
	status: 503,
	body: { success: false, code: 'SERVICE_UNAVAILABLE', message: 'Service unavailable' },
};

const CASES: [string, string, (request: ProxiedRequest) => boolean][] = [
	[
		'the agent publish',
		'unknown  create agents.reviewer (agent): the Hub stopped answering',
		(request) => request.method === 'POST' && request.path.endsWith('/publish'),
	],
	[
		'the workspace create',
		'unknown  create workspaces.docs (workspace): the Hub stopped answering',
		(request) => request.method === 'POST' && request.path === '/api/hub/workspaces',
	],
];

describe('a 503 storm on one write of the other kinds, nothing else in flight', () => {
	it.each(CASES)(
		'on %s: the run says the Hub stopped answering, and the next apply converges',
		async (_write, unknownLine, storming) => {
			const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-503-');
			await copyFile(join(projectRoot, 'examples/team/coder.yaml'), join(dir, SPEC));
			const proxy = await startProxy(hub.url, (request) =>
				storming(request) ? unavailable : undefined
			);
			onTestFinished(() => proxy.close());

			const stopped = await cli(proxy.url, ['apply', '--auto-approve', '-f', SPEC], {
				cwd: dir,
				binary: true,
				timeoutMs: CLI_TIMEOUT_MS,
			});
			const output = stopped.stdout + stopped.stderr;
			expect(stopped.code, output).toBe(5);
			expect(stopped.stderr).toContain(
				`The Hub at ${proxy.url} stopped answering (HTTP 503 for 30 s, no other answer)`
			);
			expect(stopped.stdout).toContain(unknownLine);
			// The skills and the bucket written before are not reported as failing to read back.
			expect(stopped.stdout).not.toContain('could not be read back');
			expect(stopped.stderr).not.toMatch(/Internal error|\n\s+at /);

			const again = await cli(hub, ['apply', '--auto-approve', '-f', SPEC], {
				cwd: dir,
				timeoutMs: CLI_TIMEOUT_MS,
			});
			expect(again.code, again.stdout + again.stderr).toBe(0);
			const clean = await cli(hub, ['plan', '-f', SPEC, '--detailed-exitcode'], { cwd: dir });
			expect(clean.code, clean.stdout + clean.stderr).toBe(0);
			const { agents } = await hub.client.listCustomAgents();
			const reviewers = agents.filter(
				(agent) => readMarker(agent.description).owner?.key === 'reviewer'
			);
			expect(reviewers).toHaveLength(1);
			expect(reviewers[0]).toMatchObject({ hasPublishedVersion: true });
			const { workspaces } = await hub.client.listWorkspaces();
			expect(
				workspaces.filter((workspace) => readMarker(workspace.description).owner?.key === 'docs')
			).toHaveLength(1);
		},
		3 * CLI_TIMEOUT_MS
	);
});

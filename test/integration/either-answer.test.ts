/**
 * Where the Hub's documentation leaves an answer open, coder-sessions must be right under each:
 * the same spec is applied, planned, checked for drift and shown by status against the strict
 * local Hub (the REST reference's answers, saved skills expanded into `skills`, history hidden
 * from unarchived lists, event history newest first without a total, replay as `entries`) and
 * against the lenient one (the other answers).
 */
import { describe, expect, it } from 'vitest';
import type { StatusJsonV1 } from '../../src/render/status.js';
import { expectExit } from '../support/plan-output.js';
import {
	GITHUB_REPOS,
	LIBRARY_FIXTURES,
	applySpec,
	cli,
	hubForTest,
	liveIdsByKey,
	useTempDir,
	writeSpec,
	type SpecDoc,
} from '../support/local-hub.js';

const LINT = { skillId: 'lint', repo: 'agentuity/skills' };

const SPEC: SpecDoc = {
	stack: 'either',
	sessions: {
		skilled: {
			task: 'Review with saved skills.',
			skills: [LINT],
			savedSkillIds: ['sk_2'],
			skillBucketIds: ['bk_1'],
		},
		spaced: { task: 'Work in a workspace.', workspaceId: 'ws_docs', skills: [LINT] },
		looping: { task: 'Loop on it.', loop: { goal: 'Done', maxIterations: 4 } },
		plain: { task: 'Nothing special.', repo: 'agentuity/sdk#main', enabledAgents: ['lead'] },
	},
};

describe.concurrent('one spec, either answer of the Hub', () => {
	const dir = useTempDir('either-');

	for (const strict of [true, false]) {
		it(`applies, converges, shows and replaces ended sessions alike (${strict ? 'strict' : 'lenient'} Hub)`, async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished, {
				strict,
				simulateActivity: true,
				githubRepos: GITHUB_REPOS,
				fixtures: LIBRARY_FIXTURES,
			});
			const file = await writeSpec(dir.path, `either-${strict}.yaml`, SPEC);
			await applySpec(hub, file, { cwd: dir.path });
			const ids = await liveIdsByKey(hub, 'either');
			const skills = (await hub.client.getSession(ids.skilled!)).skills.map((s) => s.skillId);
			// The strict Hub expands the saved skill and the bucket's member; the lenient one does not.
			expect(skills.sort()).toEqual(strict ? ['lint', 'review', 'write'] : ['lint']);

			const planned = await cli(hub, ['plan', '-f', file, '--detailed-exitcode'], {
				cwd: dir.path,
			});
			expectExit(planned, 0);
			expectExit(await cli(hub, ['drift', '-f', file], { cwd: dir.path }), 0);
			const shown = await cli(hub, ['status', '-f', file, '--format', 'json'], { cwd: dir.path });
			expectExit(shown, 0);
			const status = JSON.parse(shown.stdout) as StatusJsonV1;
			expect(status.counts).toMatchObject({ sessions: 4, inSync: 4 });
			for (const row of status.sessions) {
				// Four simulated events either way, newest first or last, with a total or without.
				expect(row.events, row.key).toEqual({ count: 4, atLeast: false });
				expect(row.replay, row.key).toEqual({ available: true });
				expect(row.participants?.connected, row.key).toBe(1);
			}
			expect(status.sessions.find((row) => row.key === 'looping')?.loop).toMatchObject({
				status: 'running',
				iteration: 0,
				maxIterations: 4,
			});

			// A failed session is history: a strict Hub hides it from unarchived lists, a lenient one
			// lists it; either way the searched plan creates a new one and says why.
			const failed = await fetch(`${hub.url}/_local/sessions/${ids.plain}/status`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ status: 'failed' }),
			});
			expect(failed.status).toBe(200);
			for (const discovery of ['full', 'search']) {
				const replan = await cli(
					hub,
					['plan', '-f', file, '--format', 'json', '--discovery', discovery],
					{ cwd: dir.path }
				);
				expectExit(replan, 0);
				const plan = JSON.parse(replan.stdout) as {
					actions: { kind: string; key: string; reason: string }[];
				};
				expect(
					plan.actions.filter((action) => action.kind !== 'noop'),
					discovery
				).toEqual([
					{
						...plan.actions.find((action) => action.key === 'plain'),
						kind: 'create',
						key: 'plain',
						reason: `the live session ${ids.plain} is failed (history only), which cannot be undone`,
					},
				]);
			}
		});
	}
});

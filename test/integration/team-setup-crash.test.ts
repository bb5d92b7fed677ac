/**
 * The team setup (examples/team/coder.yaml) when an apply does not finish cleanly: killed with
 * SIGKILL part way, or racing another apply of the same stack. Either way, one more apply must
 * converge to exactly one record of each kind per key.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CoderClient } from '@agentuity/core/coder';
import { describe, expect, it, onTestFinished } from 'vitest';
import { markedDescription, readMarker } from '../../src/kinds/description-marker.js';
import { exited, spawnCli, stackSessions, waitFor } from '../support/apply-helpers.js';
import { projectRoot, runCli, type CliResult } from '../support/cli.js';
import { cli, hubAndDirForTest, type TestHub } from '../support/local-hub.js';
import { TEST_ENV_SECRET } from '../support/session-builders.js';

const STACK = 'docs-setup';
const SPEC = 'coder.yaml';
const EXAMPLE = join(projectRoot, 'examples/team/coder.yaml');
const RUN_TIMEOUT_MS = 120_000;

/** Every key of the example, per kind, as the Hub should hold them: one record each. */
const ONE_OF_EACH = {
	skills: ['release-notes', 'style-guide'],
	buckets: ['docs-kit'],
	agents: ['reviewer'],
	workspaces: ['docs'],
	sessions: ['api-review'],
};

async function teamSetup(options: { latencyMs?: number; snapshotReadyAfterMs?: number }) {
	const { hub, dir } = await hubAndDirForTest(onTestFinished, options, 'team-crash-');
	await copyFile(EXAMPLE, join(dir, SPEC));
	return { hub, dir };
}

const keyOf = (record: { description?: string }) => {
	const owner = readMarker(record.description).owner;
	return owner?.stack === STACK ? owner.key : undefined;
};

const stackKeys = (records: readonly { description?: string }[]) =>
	records.flatMap((record) => keyOf(record) ?? []).sort();

/** The keys of the stack's records on the Hub, per kind (one entry per record). */
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
		skills: stackKeys(skills.skills),
		buckets: stackKeys(buckets.buckets),
		agents: stackKeys(agents.agents.filter((agent) => agent.lifecycle !== 'archived')),
		workspaces: stackKeys(workspaces.workspaces),
		sessions: sessions
			.filter((session) => !session.archived)
			.map((session) => session.key ?? '')
			.sort(),
	};
}

async function theAgent(client: CoderClient) {
	const { agents } = await client.listCustomAgents();
	const ours = agents.filter((agent) => keyOf(agent) === 'reviewer');
	expect(ours).toHaveLength(1);
	return ours[0]!;
}

const applyArgs = (url: string) => ['apply', '--auto-approve', '-f', SPEC, '--url', url];

/** One more apply exits 0, the next plan has no changes, and each key has exactly one record. */
async function expectConverges(hub: TestHub, dir: string): Promise<void> {
	const again = await cli(hub, ['apply', '--auto-approve', '-f', SPEC], {
		cwd: dir,
		timeoutMs: RUN_TIMEOUT_MS,
	});
	expect(again.code, again.stdout + again.stderr).toBe(0);
	const plan = await cli(hub, ['plan', '-f', SPEC, '--detailed-exitcode'], { cwd: dir });
	expect(plan.code, plan.stdout + plan.stderr).toBe(0);
	expect(await keysOnHub(hub)).toEqual(ONE_OF_EACH);
	const agent = await theAgent(hub.client);
	expect(agent).toMatchObject({ hasPublishedVersion: true, hasUnpublishedChanges: false });
}

/** The points at which an apply is killed: the first record of each kind that has appeared. */
const KILL_POINTS: readonly [string, (hub: TestHub) => Promise<boolean>][] = [
	[
		'the first skill exists',
		async (hub) => stackKeys((await hub.client.listSavedSkills()).skills).length > 0,
	],
	[
		'the agent exists',
		async (hub) => stackKeys((await hub.client.listCustomAgents()).agents).length > 0,
	],
	[
		'the workspace exists (its snapshot building)',
		async (hub) => stackKeys((await hub.client.listWorkspaces()).workspaces).length > 0,
	],
];

describe('the team setup after an apply that did not finish', () => {
	it.each(KILL_POINTS)(
		'killed once %s: the next apply converges, one record per key',
		async (_point, reached) => {
			const { hub, dir } = await teamSetup({ latencyMs: 40, snapshotReadyAfterMs: 1_000 });
			const child = spawnCli(dir, applyArgs(hub.url), { CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET });
			onTestFinished(() => {
				if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
			});
			const ended = exited(child);
			let done = false;
			void ended.then(() => (done = true));
			await waitFor(async () => done || (await reached(hub)), 'the apply to get that far');
			child.kill('SIGKILL');
			const { signal } = await ended;
			// Killed part way, or (on a slow machine) the apply finished first: both must converge.
			expect([null, 'SIGKILL']).toContain(signal);
			await expectConverges(hub, dir);
		},
		2 * RUN_TIMEOUT_MS
	);

	it('an agent left as a draft, never published, is published by the next apply', async () => {
		const { hub, dir } = await teamSetup({});
		// What a run killed between the agent's create and its publish leaves behind: the skill
		// it stands on, and the agent as a draft that matches the spec in every field.
		const styleGuide = await hub.client.createCustomSkill({
			skillId: 'style-guide',
			name: 'Style guide',
			content:
				'# Style guide\nWrite in the present tense. One idea per sentence. Link the page you cite.\n',
			description: markedDescription({ stack: STACK, key: 'style-guide' }, undefined),
		});
		const draft = await hub.client.createCustomAgent({
			slug: 'reviewer',
			displayName: 'Docs reviewer',
			instructions: 'Review docs for tone and accuracy.\nFlag every claim that has no source.\n',
			thinkingLevel: 'medium',
			tools: ['read', 'grep'],
			companionAgents: ['scout'],
			savedSkillIds: [styleGuide.id],
			description: markedDescription({ stack: STACK, key: 'reviewer' }, undefined),
		});
		expect(draft.hasPublishedVersion).toBe(false);
		const plan = await cli(hub, ['plan', '-f', SPEC], { cwd: dir });
		expect(plan.stdout).toContain(`~ update and publish agents.reviewer (agent)  ${draft.id}`);
		await expectConverges(hub, dir);
		const agent = await theAgent(hub.client);
		expect(agent.id).toBe(draft.id);
		expect(agent.latestPublishedVersion).toBe(1);
	});

	it(
		'two applies at once on an empty Hub: one more apply leaves one record per key',
		async () => {
			const { hub, dir } = await teamSetup({ latencyMs: 20 });
			const run = (): Promise<CliResult> =>
				runCli(applyArgs(hub.url), {
					cwd: dir,
					binary: true,
					timeoutMs: RUN_TIMEOUT_MS,
					env: { CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET },
				});
			const results = await Promise.all([run(), run()]);
			for (const result of results) {
				// Either may fail part of its work (the agent's slug taken by the other), never crash.
				expect([0, 5], result.stdout + result.stderr).toContain(result.code);
				expect(result.stderr).not.toMatch(/\n\s+at /);
			}
			await expectConverges(hub, dir);
		},
		3 * RUN_TIMEOUT_MS
	);
});

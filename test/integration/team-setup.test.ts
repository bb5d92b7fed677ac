/**
 * A whole Coder setup end to end: examples/team/coder.yaml (saved skills, a bucket, a custom
 * agent, a workspace, and a session standing on all of them) against a real local Hub, through
 * the CLI, and read back through the SDK CoderClient.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CoderClient } from '@agentuity/core/coder';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readMarker } from '../../src/kinds/description-marker.js';
import { stackSessions } from '../support/apply-helpers.js';
import { projectRoot, runCli } from '../support/cli.js';
import { cli, hubAndDirForTest, type TestHub } from '../support/local-hub.js';

const STACK = 'docs-setup';
const SPEC = 'coder.yaml';
const EXAMPLE = join(projectRoot, 'examples/team/coder.yaml');

/** The order apply builds the kinds in: an applied line of a lower rank never follows a higher. */
const BUILD_RANK: readonly [RegExp, number][] = [
	[/ skills\./, 0],
	[/ skillBuckets\./, 1],
	[/ agents\./, 2],
	[/ workspaces\./, 3],
	[/ api-review /, 4],
];

async function teamSetup(options: { snapshotReadyAfterMs?: number } = {}) {
	const { hub, dir } = await hubAndDirForTest(onTestFinished, options, 'team-setup-');
	await copyFile(EXAMPLE, join(dir, SPEC));
	const run = (args: readonly string[]) => cli(hub, args, { cwd: dir });
	const apply = async (...args: string[]) => {
		const result = await run(['apply', '--auto-approve', '-f', SPEC, ...args]);
		expect(result.code, result.stdout + result.stderr).toBe(0);
		return result;
	};
	const plan = (...args: string[]) => run(['plan', '-f', SPEC, ...args]);
	const expectClean = async () => {
		const result = await plan('--detailed-exitcode');
		expect(result.code, result.stdout + result.stderr).toBe(0);
		expect(result.stdout).toContain('No changes.');
	};
	const edit = async (change: (text: string) => string) => {
		const path = join(dir, SPEC);
		const before = await readFile(path, 'utf8');
		const after = change(before);
		expect(after, 'the edit must change the spec').not.toBe(before);
		await writeFile(path, after);
	};
	return { hub, dir, run, apply, plan, expectClean, edit };
}

const ownedBy =
	(key?: string) =>
	(record: { description?: string }): boolean => {
		const { owner } = readMarker(record.description);
		return owner?.stack === STACK && (key === undefined || owner.key === key);
	};

/** The stack's records of every kind on the Hub, as the SDK lists them. */
async function stackRecords(client: CoderClient) {
	const [skills, buckets, agents, workspaces] = await Promise.all([
		client.listSavedSkills(),
		client.listSkillBuckets(),
		client.listCustomAgents({ includeArchived: true }),
		client.listWorkspaces(),
	]);
	return {
		skills: skills.skills.filter(ownedBy()),
		buckets: buckets.buckets.filter(ownedBy()),
		agents: agents.agents.filter(ownedBy()).filter((agent) => agent.lifecycle !== 'archived'),
		archivedAgents: agents.agents.filter((agent) => agent.lifecycle === 'archived'),
		workspaces: workspaces.workspaces.filter(ownedBy()),
	};
}

/**
 * The one active session of the stack, in detail. The Hub does not echo a session's
 * `skillBucketIds` (the SDK's session has no such field): it freezes the skills of its saved
 * skills and buckets into `skills`, which is what shows the bucket it was given.
 */
async function theSession(hub: TestHub) {
	const active = (await stackSessions(hub.url, STACK)).filter((session) => !session.archived);
	expect(active.map((session) => session.key)).toEqual(['api-review']);
	return hub.client.getSession(active[0]!.id);
}

const skillIdsOf = (session: { skills?: readonly { skillId: string }[] }) =>
	(session.skills ?? []).map((skill) => skill.skillId).sort();

const keyOf = (record: { description?: string }) => readMarker(record.description).owner?.key;

describe('a whole team setup (examples/team/coder.yaml) on a local Hub', () => {
	it('applies bottom-up from an empty Hub, then plans no changes; each record is there once', async () => {
		const { hub, apply, expectClean } = await teamSetup({ snapshotReadyAfterMs: 200 });
		const { stdout } = await apply();
		const applied = stdout.split('\n').filter((line) => line.startsWith('applied'));
		const ranks = applied.map(
			(line) => BUILD_RANK.find(([pattern]) => pattern.test(line))?.[1] ?? -1
		);
		expect(ranks, stdout).toEqual([0, 0, 1, 2, 3, 4]);
		await expectClean();

		const records = await stackRecords(hub.client);
		expect(records.skills.map(keyOf).sort()).toEqual(['release-notes', 'style-guide']);
		expect(records.buckets.map(keyOf)).toEqual(['docs-kit']);
		expect(records.workspaces.map(keyOf)).toEqual(['docs']);
		expect(records.agents.map(keyOf)).toEqual(['reviewer']);
		const agent = records.agents[0]!;
		expect(agent).toMatchObject({
			slug: 'reviewer',
			hasPublishedVersion: true,
			hasUnpublishedChanges: false,
			latestPublishedVersion: 1,
		});
		const bucket = records.buckets[0]!;
		expect(bucket.skills.map((skill) => skill.id).sort()).toEqual(
			records.skills.map((skill) => skill.id).sort()
		);
		const workspace = records.workspaces[0]!;
		expect(workspace.skillBucketIds).toEqual([bucket.id]);
		expect(workspace.enabledAgents).toContain('reviewer');
		expect(workspace.snapshot?.status).toBe('ready');

		const session = await theSession(hub);
		expect(session.workspace?.id).toBe(workspace.id);
		expect(skillIdsOf(session)).toEqual(['release-notes', 'style-guide']);
	});

	it("applies after the Quickstart's examples/sessions.yaml on the same Hub, leaving those sessions alone", async () => {
		const { hub, dir, run, apply, expectClean } = await teamSetup({ snapshotReadyAfterMs: 0 });
		await copyFile(join(projectRoot, 'examples/sessions.yaml'), join(dir, 'sessions.yaml'));
		const env = { DOCS_API_TOKEN: 'demo-token' };
		const first = await cli(
			hub,
			['apply', '--auto-approve', '--no-repo-check', '-f', 'sessions.yaml'],
			{
				cwd: dir,
				env,
			}
		);
		expect(first.code, first.stdout + first.stderr).toBe(0);

		const { stdout } = await apply();
		expect(stdout).toContain('Plan: 1 to create, 0 to update, 0 to replace, 0 to archive');

		await expectClean();
		const docs = await run([
			'plan',
			'--detailed-exitcode',
			'--no-repo-check',
			'-f',
			'sessions.yaml',
		]);
		expect(docs.code, docs.stdout + docs.stderr).toBe(0);
		expect(docs.stdout).toContain('No changes.');
	});

	it("an edit of the agent's instructions is published as version 2, shown as a line diff", async () => {
		const { hub, apply, plan, expectClean, edit } = await teamSetup();
		await apply();
		const before = (await stackRecords(hub.client)).agents[0]!;
		await edit((text) =>
			text.replace(
				'      Flag every claim that has no source.\n',
				'      Flag every claim that has no source.\n      Prefer short sentences.\n'
			)
		);
		const planned = await plan('--detailed-exitcode');
		expect(planned.code, planned.stdout + planned.stderr).toBe(2);
		expect(planned.stdout).toContain(`~ update and publish agents.reviewer (agent)  ${before.id}`);
		expect(planned.stdout).toMatch(
			/~ instructions:\n {10}Review docs for tone and accuracy\.\n {10}Flag every claim that has no source\.\n {8}\+ Prefer short sentences\./
		);
		expect(planned.stdout).toContain('Plan: 1 agent to update and publish.');

		const applied = await apply();
		expect(applied.stdout).not.toContain('Not converged');
		const after = (await stackRecords(hub.client)).agents;
		expect(after.map((agent) => agent.id)).toEqual([before.id]);
		expect(after[0]).toMatchObject({ latestPublishedVersion: 2, hasUnpublishedChanges: false });
		expect(after[0]!.published?.instructions).toContain('Prefer short sentences.');
		await expectClean();
	});

	it("a hand edit of the agent's instructions or the workspace's prompt is drift, each side shown", async () => {
		const { hub, run, apply } = await teamSetup();
		await apply();
		const { agents, workspaces } = await stackRecords(hub.client);
		await hub.client.updateCustomAgent(agents[0]!.id, {
			instructions: 'Review docs for tone.\nFlag claims.\nBe strict.',
		});
		await hub.client.publishCustomAgent(agents[0]!.id);
		await hub.client.updateWorkspace(workspaces[0]!.id, { systemPrompt: 'Cite nothing.' });

		const drift = await run(['drift', '-f', SPEC]);
		expect(drift.code, drift.stdout + drift.stderr).toBe(6);
		expect(drift.stdout).toContain(
			'      ~ instructions: Hub has 3 lines of text, spec says 2 lines of text'
		);
		expect(drift.stdout).toContain(
			'      ~ systemPrompt: Hub has "Cite nothing.", spec says "Always cite the page you changed."'
		);
		expect(drift.stdout).toContain(
			'Drift: 2 records of other kinds differ from the spec: 1 agent, 1 workspace.'
		);
	});

	it('export --stack writes every section, its header counting each kind; the export plans no change', async () => {
		const { dir, run, apply } = await teamSetup();
		await apply();
		const exported = await run(['export', '--stack', STACK]);
		expect(exported.code, exported.stderr).toBe(0);
		expect(exported.stdout).toContain(
			`# Exported from the Hub by coder-sessions export: 1 session, 2 skills, 1 skillBucket, 1 agent, 1 workspace for stack ${STACK}.\n`
		);
		await writeFile(join(dir, 'exported.yaml'), exported.stdout);
		const planned = await run(['plan', '-f', 'exported.yaml', '--detailed-exitcode']);
		expect(planned.code, planned.stdout + planned.stderr).toBe(0);
	});

	it('a skill added to the bucket replaces the bucket and the session, and updates the workspace', async () => {
		const { hub, apply, plan, expectClean, edit } = await teamSetup();
		await apply();
		const oldBucket = (await stackRecords(hub.client)).buckets[0]!;
		const oldSession = await theSession(hub);
		await edit((text) =>
			text
				.replace(
					'skillBuckets:\n',
					'  tone:\n    name: Tone\n    content: |\n      # Tone\n      Be plain.\n\nskillBuckets:\n'
				)
				.replace('[style-guide, release-notes]', '[style-guide, release-notes, tone]')
		);
		const planned = await plan('--detailed-exitcode');
		expect(planned.code, planned.stdout + planned.stderr).toBe(2);
		const out = planned.stdout;
		expect(out).toContain(`-/+ replace  skillBuckets.docs-kit (skillBucket)  ${oldBucket.id}`);
		expect(out).toContain('# replaced because skill tone is created');
		expect(out).toContain(`-/+ replace  api-review  ${oldSession.sessionId}`);
		expect(out).toContain('# replaced because skillBucket docs-kit is replaced');
		expect(out).toMatch(/~ update {3}workspaces\.docs \(workspace\)/);
		expect(out).toContain('+ create   skills.tone (skill)');

		await apply();
		const records = await stackRecords(hub.client);
		expect(records.buckets).toHaveLength(1);
		const newBucket = records.buckets[0]!;
		expect(newBucket.id).not.toBe(oldBucket.id);
		expect(newBucket.skills).toHaveLength(3);
		const allBuckets = (await hub.client.listSkillBuckets()).buckets.map((bucket) => bucket.id);
		expect(allBuckets).not.toContain(oldBucket.id);
		expect(records.workspaces[0]!.skillBucketIds).toEqual([newBucket.id]);

		const newSession = await theSession(hub);
		expect(newSession.sessionId).not.toBe(oldSession.sessionId);
		expect(skillIdsOf(oldSession)).toEqual(['release-notes', 'style-guide']);
		expect(skillIdsOf(newSession)).toEqual(['release-notes', 'style-guide', 'tone']);
		const everySession = await stackSessions(hub.url, STACK, true);
		expect(everySession.find((session) => session.id === oldSession.sessionId)?.archived).toBe(
			true
		);
		await expectClean();
	});

	it('a reference to an undeclared key fails validate at its place, with a did-you-mean; the Hub hears nothing', async () => {
		const { hub, dir, run, edit } = await teamSetup();
		await edit((text) =>
			text
				.replace(
					'savedSkills: [style-guide, release-notes]',
					'savedSkills: [style-guid, release-notes]'
				)
				.replace('workspace: docs #', 'workspace: doc #')
		);
		const lines = (await readFile(join(dir, SPEC), 'utf8')).split('\n');
		/** `file:line:col` of the item `item` on the line holding `context`. */
		const at = (context: string, item: string) => {
			const line = lines.findIndex((each) => each.includes(context));
			const col = lines[line]!.indexOf(item, lines[line]!.indexOf(context)) + 1;
			return `${SPEC}:${line + 1}:${col}`;
		};
		await hub.resetStats();
		const validated = await runCli(['validate', '-f', SPEC], { cwd: dir });
		expect(validated.code).toBe(1);
		expect(validated.stderr).toContain(
			`${at('savedSkills: [style-guid,', 'style-guid')}: skillBuckets.docs-kit.savedSkills[0]: no skill "style-guid" is declared under skills (did you mean "style-guide"?)`
		);
		expect(validated.stderr).toContain(
			`${at('workspace: doc ', 'doc')}: sessions.api-review.workspace: no workspace "doc" is declared under workspaces (did you mean "docs"?)`
		);
		expect(validated.stderr).not.toMatch(/\n\s+at /);
		const planned = await run(['plan', '-f', SPEC]);
		expect(planned.code).toBe(1);
		expect(planned.stderr).toContain('did you mean "style-guide"?');
		expect(hub.stats().total ?? 0).toBe(0);
	});

	it('records made by hand are never touched: not by apply, prune: delete, nor --destroy', async () => {
		const { hub, run, apply, plan, expectClean, edit } = await teamSetup();
		const { client } = hub;
		const handSkill = await client.createCustomSkill({
			skillId: 'house-rules',
			name: 'House rules',
			content: '# House rules\nNo jargon.',
		});
		const handBucket = await client.createSkillBucket({
			name: 'Docs kit',
			savedSkillIds: [handSkill.id],
		});
		const handAgent = await client.createCustomAgent({
			slug: 'hand-reviewer',
			displayName: 'Docs reviewer',
			instructions: 'Made by hand.',
		});
		await client.publishCustomAgent(handAgent.id);
		const handWorkspace = await client.createWorkspace({
			name: 'Docs workspace',
			repos: [{ fullName: 'agentuity/docs' }],
		});
		const handMade = async () => {
			const [skills, buckets, agents, workspaces] = await Promise.all([
				client.listSavedSkills(),
				client.listSkillBuckets(),
				client.listCustomAgents({ includeArchived: true }),
				client.listWorkspaces(),
			]);
			return {
				skills: skills.skills.filter((each) => !ownedBy()(each)),
				buckets: buckets.buckets.filter((each) => !ownedBy()(each)),
				agents: agents.agents.filter((each) => !ownedBy()(each)),
				workspaces: workspaces.workspaces.filter((each) => !ownedBy()(each)),
			};
		};
		const untouched = await handMade();
		expect(untouched.skills.map((each) => each.id)).toEqual([handSkill.id]);
		expect(untouched.buckets.map((each) => each.id)).toEqual([handBucket.id]);
		expect(untouched.agents.map((each) => each.id)).toEqual([handAgent.id]);
		expect(untouched.workspaces.map((each) => each.id)).toEqual([handWorkspace.id]);

		await edit((text) => text.replace(`stack: ${STACK}\n`, `stack: ${STACK}\nprune: delete\n`));
		const first = await plan();
		expect(first.code, first.stdout + first.stderr).toBe(0);
		for (const kind of ['skill', 'skillBucket', 'agent', 'workspace']) {
			expect(first.stdout).toMatch(
				new RegExp(`^${kind}: .*1 record not of this stack left alone`, 'm')
			);
		}
		for (const id of [handSkill.id, handBucket.id, handAgent.id, handWorkspace.id])
			expect(first.stdout).not.toContain(id);
		await apply();
		await expectClean();
		expect(await handMade()).toEqual(untouched);

		const destroyPlan = await plan('--destroy');
		expect(destroyPlan.stdout).toContain('agent: 1 to archive');
		expect(destroyPlan.stdout).toContain(
			"Destroy: every active session of the stack is archived and the stack's records of other kinds removed, whatever the spec declares."
		);
		expect(destroyPlan.stdout).not.toContain('nothing is deleted');
		for (const id of [handSkill.id, handBucket.id, handAgent.id, handWorkspace.id])
			expect(destroyPlan.stdout).not.toContain(id);
		const destroyed = await run([
			'apply',
			'-f',
			SPEC,
			'--destroy',
			'--auto-approve',
			'--allow-removals',
			'6',
		]);
		expect(destroyed.code, destroyed.stdout + destroyed.stderr).toBe(0);
		expect(await handMade()).toEqual(untouched);
		const left = await stackRecords(client);
		expect(left.skills).toEqual([]);
		expect(left.buckets).toEqual([]);
		expect(left.workspaces).toEqual([]);
		expect(left.agents).toEqual([]);
		expect(left.archivedAgents.map(keyOf)).toEqual(['reviewer']);
		const sessions = await stackSessions(hub.url, STACK, true);
		expect(sessions.map((session) => session.archived)).toEqual([true]);
	});
});

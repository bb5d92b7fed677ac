/**
 * Workspaces, custom agents, saved skills and skill buckets as the Hub keeps them, through the
 * SDK's CoderClient: snapshot builds, references the library does not hold, archived agents, and
 * deletes of what something still names.
 */
import {
	CoderCustomAgentSchema,
	CoderCustomAgentVersionListResponseSchema,
	CoderWorkspaceDetailSchema,
} from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import { CoderClient } from '@agentuity/core/coder';
import { LocalHubStartError, startLocalHub } from '../../src/hub-emulator/index.js';
import { runCli } from '../support/cli.js';
import { startHubProcess } from '../support/hub-process.js';
import { client, hubForThisTest, raw, tempDir } from './support.js';

const START = Date.parse('2026-01-01T00:00:00.000Z');
const BUILD_MS = 60_000;

/** A Hub whose clock moves only when the test says so, and whose snapshot builds take BUILD_MS. */
async function heldClockHub(options: { snapshotFailRate?: number; strict?: boolean } = {}) {
	let nowMs = START;
	const hub = await hubForThisTest({
		now: () => new Date(nowMs),
		snapshotReadyAfterMs: BUILD_MS,
		...options,
	});
	return {
		hub,
		coder: client(hub),
		advance: (ms: number) => {
			nowMs += ms;
		},
	};
}

describe('workspace snapshots', () => {
	it('build from dependencies or a setup script: building, then ready once the build time has passed', async () => {
		const { coder, advance } = await heldClockHub();
		const created = CoderWorkspaceDetailSchema.parse(
			await coder.createWorkspace({ name: 'Tools', dependencies: ['jq'] })
		);
		expect(created.snapshot).toMatchObject({ status: 'building' });
		expect(created.snapshot?.snapshotRef).toBeUndefined();
		const firstBuild = created.snapshot?.buildId;
		expect(firstBuild).toEqual(expect.any(String));

		advance(BUILD_MS);
		const ready = CoderWorkspaceDetailSchema.parse(await coder.getWorkspace(created.id));
		expect(ready.snapshot).toMatchObject({
			status: 'ready',
			buildId: firstBuild,
			snapshotRef: expect.any(String),
			snapshotId: expect.any(String),
		});
		expect((await coder.listWorkspaces()).workspaces[0]?.snapshot?.status).toBe('ready');

		// Fields the snapshot is not built from leave it alone, the same inputs too.
		const renamed = await coder.updateWorkspace(created.id, {
			description: 'Renamed',
			dependencies: ['jq'],
		});
		expect(renamed.snapshot).toEqual(ready.snapshot);

		const rescripted = await coder.updateWorkspace(created.id, { setupScript: 'make setup' });
		expect(rescripted.snapshot).toMatchObject({ status: 'building' });
		expect(rescripted.snapshot?.buildId).not.toBe(firstBuild);
		expect(rescripted.snapshot?.configHash).not.toBe(ready.snapshot?.configHash);
		advance(BUILD_MS);
		const rebuilt = await coder.getWorkspace(created.id);
		expect(rebuilt.snapshot?.status).toBe('ready');

		const redeps = await coder.updateWorkspace(created.id, { dependencies: ['jq', 'curl'] });
		expect(redeps.snapshot?.status).toBe('building');
		advance(BUILD_MS);

		const refreshed = await coder.refreshWorkspaceSnapshot(created.id);
		expect(refreshed.snapshot).toMatchObject({ status: 'building' });
		expect(refreshed.snapshot?.buildId).not.toBe(redeps.snapshot?.buildId);
		advance(BUILD_MS);
		expect((await coder.getWorkspace(created.id)).snapshot?.status).toBe('ready');
	});

	it('stores dependencies, setup script and system prompt; only the build inputs rebuild', async () => {
		const { coder, advance } = await heldClockHub();
		const created = await coder.createWorkspace({
			name: 'Prompted',
			dependencies: ['jq'],
			setupScript: 'make setup',
			systemPrompt: 'Be brief',
			systemPromptMode: 'overwrite',
		});
		advance(BUILD_MS);
		const stored = CoderWorkspaceDetailSchema.parse(await coder.getWorkspace(created.id));
		expect(stored).toMatchObject({
			dependencies: ['jq'],
			setupScript: 'make setup',
			systemPrompt: 'Be brief',
			systemPromptMode: 'overwrite',
			snapshot: { status: 'ready' },
		});

		const reprompted = await coder.updateWorkspace(created.id, {
			systemPrompt: 'Be thorough',
			systemPromptMode: 'append',
		});
		expect(reprompted).toMatchObject({ systemPrompt: 'Be thorough', systemPromptMode: 'append' });
		expect(reprompted.snapshot).toEqual(stored.snapshot);
		expect((await coder.listWorkspaces()).workspaces[0]).toMatchObject({
			dependencies: ['jq'],
			setupScript: 'make setup',
			systemPrompt: 'Be thorough',
		});
	});

	it('rebuilds a failed snapshot on a PATCH of its inputs, failing again under the fault', async () => {
		const { coder, advance } = await heldClockHub({ snapshotFailRate: 1 });
		const created = await coder.createWorkspace({ name: 'Flaky', dependencies: ['jq'] });
		advance(BUILD_MS);
		const failed = await coder.getWorkspace(created.id);
		expect(failed.snapshot).toMatchObject({ status: 'failed', error: expect.any(String) });
		const patched = await coder.updateWorkspace(created.id, { dependencies: ['jq', 'curl'] });
		expect(patched.snapshot?.status).toBe('building');
		expect(patched.snapshot?.buildId).not.toBe(failed.snapshot?.buildId);
		expect(patched.snapshot?.configHash).not.toBe(failed.snapshot?.configHash);
		expect(patched.snapshot?.error).toBeUndefined();
		advance(BUILD_MS);
		expect((await coder.getWorkspace(created.id)).snapshot?.status).toBe('failed');
	});

	it('leaves the snapshot to a refresh when lenient: a PATCH of the inputs only makes it stale', async () => {
		const { coder, advance } = await heldClockHub({ strict: false });
		const created = await coder.createWorkspace({ name: 'Lazy', dependencies: ['jq'] });
		advance(BUILD_MS);
		const ready = await coder.getWorkspace(created.id);
		expect(ready.snapshot?.status).toBe('ready');
		const patched = await coder.updateWorkspace(created.id, {
			dependencies: ['jq', 'curl'],
			setupScript: 'make setup',
		});
		expect(patched).toMatchObject({ dependencies: ['jq', 'curl'], setupScript: 'make setup' });
		expect(patched.snapshot).toEqual(ready.snapshot);
		const refreshed = await coder.refreshWorkspaceSnapshot(created.id);
		expect(refreshed.snapshot?.status).toBe('building');
		expect(refreshed.snapshot?.configHash).not.toBe(ready.snapshot?.configHash);
		advance(BUILD_MS);
		expect((await coder.getWorkspace(created.id)).snapshot?.status).toBe('ready');
	});

	it('has no snapshot until there is something to build or a refresh asks for one', async () => {
		const { coder } = await heldClockHub();
		const created = await coder.createWorkspace({
			name: 'Repos only',
			repos: [{ fullName: 'agentuity/sdk' }],
		});
		expect(created.snapshot).toBeUndefined();
		const refreshed = await coder.refreshWorkspaceSnapshot(created.id);
		expect(refreshed.snapshot?.status).toBe('building');
	});

	it('ends a build failed, with an error, under the snapshot fault', async () => {
		const { hub, coder, advance } = await heldClockHub({ snapshotFailRate: 1 });
		const created = await coder.createWorkspace({ name: 'Broken', setupScript: 'exit 1' });
		expect(created.snapshot?.status).toBe('building');
		advance(BUILD_MS);
		const failed = CoderWorkspaceDetailSchema.parse(await coder.getWorkspace(created.id));
		expect(failed.snapshot).toMatchObject({ status: 'failed', error: expect.any(String) });
		expect(failed.snapshot?.snapshotRef).toBeUndefined();
		expect(hub.stats()['fault:snapshot']).toBe(1);
	});

	it('takes the build time and the failure rate as hub serve flags', async () => {
		const dir = await tempDir();
		const hub = await startHubProcess(
			['--port', '0', '--no-state', '--snapshot-ready-after-ms', '0', '--snapshot-fail-rate', '1'],
			{ cwd: dir }
		);
		try {
			const coder = new CoderClient({ url: hub.url, apiKey: 'test' });
			const created = await coder.createWorkspace({ name: 'Flags', dependencies: ['jq'] });
			expect(created.snapshot).toMatchObject({ status: 'failed', error: expect.any(String) });
		} finally {
			await hub.stop();
		}
		const bad = await runCli(['hub', 'serve', '--no-state', '--snapshot-fail-rate', '2'], {
			cwd: dir,
		});
		expect(bad.code).toBe(1);
		expect(bad.stderr).toContain('--snapshot-fail-rate: expected a number from 0 to 1');
	});

	it('refuses a bad build time or failure rate before starting', async () => {
		await expect(startLocalHub({ snapshotReadyAfterMs: -1 })).rejects.toThrow(LocalHubStartError);
		await expect(startLocalHub({ snapshotFailRate: 2 })).rejects.toThrow(LocalHubStartError);
	});
});

describe('references the library does not hold', () => {
	async function library() {
		const hub = await hubForThisTest({
			fixtures: {
				org: 'org_a',
				skills: [{ id: 'sk_review', repo: 'agentuity/skills', skillId: 'review', name: 'Review' }],
				buckets: [{ id: 'bk_review', name: 'Reviewers', savedSkillIds: ['sk_review'] }],
				workspaces: [{ id: 'ws_docs', name: 'Docs', repos: [{ fullName: 'agentuity/docs' }] }],
				agents: [
					{ slug: 'editor', displayName: 'Editor', instructions: 'Edit' },
					{ slug: 'retired', displayName: 'Retired', instructions: 'Old' },
				],
			},
		});
		const coder = client(hub);
		await coder.archiveCustomAgent('retired');
		return { hub, coder };
	}

	const refused = (...names: string[]) => ({
		status: 400,
		message: expect.stringMatching(new RegExp(names.join('.*'))),
	});

	it('refuses a session naming an archived custom agent, built-in and live custom agents accepted', async () => {
		const { hub, coder } = await library();
		await expect(coder.createSession({ task: 't', agent: 'retired' })).rejects.toMatchObject(
			refused('agent: custom agent retired is archived')
		);
		await expect(
			coder.createSession({ task: 't', enabledAgents: ['lead', 'retired'] })
		).rejects.toMatchObject(refused('enabledAgents: custom agent retired is archived'));
		const answer = await raw(hub, 'POST', '/api/hub/session', {
			body: { task: 't', defaultAgent: 'retired' },
		});
		expect(answer).toMatchObject({ status: 400, body: { code: 'CODER_INVALID_REQUEST' } });
		expect((await coder.listSessions({ includeArchived: true })).sessions).toEqual([]);

		const { sessionId } = await coder.createSession({
			task: 't',
			workspaceId: 'ws_docs',
			savedSkillIds: ['sk_review'],
			skillBucketIds: ['bk_review'],
			agent: 'editor',
			enabledAgents: ['lead', 'scout', 'builder', 'reviewer', 'editor'],
		});
		// Archived after the session named it: the session keeps it, a PATCH sending it back too.
		await coder.archiveCustomAgent('editor');
		const patched = await coder.updateSession(sessionId, {
			enabledAgents: ['lead', 'editor'],
			label: 'Kept',
		});
		expect(patched.label).toBe('Kept');
		await expect(
			coder.updateSession(sessionId, { enabledAgents: ['lead', 'retired'] })
		).rejects.toMatchObject(refused('custom agent retired is archived'));
	});

	it('refuses a session naming a workspace, skills, buckets or an agent that do not exist', async () => {
		const { coder } = await library();
		await expect(
			coder.createSession({
				task: 't',
				workspaceId: 'ws_nope',
				savedSkillIds: ['sk_review', 'sk_nope'],
				skillBucketIds: ['bk_nope'],
				agent: 'ghost',
			})
		).rejects.toMatchObject(
			refused(
				'workspaceId: no workspace ws_nope',
				'savedSkillIds: no saved skill sk_nope',
				'skillBucketIds: no skill bucket bk_nope',
				'agent: no built-in agent .* or custom agent ghost'
			)
		);
		expect((await coder.listSessions({ includeArchived: true })).sessions).toEqual([]);
	});

	it('refuses a workspace naming skills, buckets or agents that do not exist, or an archived agent', async () => {
		const { coder } = await library();
		await expect(
			coder.createWorkspace({
				name: 'Bad',
				savedSkillIds: ['sk_nope'],
				skillBucketIds: ['bk_nope'],
				enabledAgents: ['lead', 'ghost', 'retired'],
			})
		).rejects.toMatchObject(
			refused(
				'savedSkillIds: no saved skill sk_nope',
				'skillBucketIds: no skill bucket bk_nope',
				'enabledAgents: no built-in agent .* or custom agent ghost',
				'enabledAgents: custom agent retired is archived'
			)
		);
		expect((await coder.listWorkspaces()).workspaces.map((w) => w.id)).toEqual(['ws_docs']);
		const good = await coder.createWorkspace({
			name: 'Good',
			savedSkillIds: ['sk_review'],
			skillBucketIds: ['bk_review'],
			enabledAgents: ['lead', 'editor'],
		});
		expect(good.enabledAgents).toEqual(['lead', 'editor']);
		await expect(
			coder.updateWorkspace(good.id, { enabledAgents: ['ghost'] })
		).rejects.toMatchObject(refused('enabledAgents: no built-in agent .* or custom agent ghost'));
	});

	it('refuses a bucket naming a saved skill that does not exist', async () => {
		const { coder } = await library();
		await expect(
			coder.createSkillBucket({ name: 'Bad', savedSkillIds: ['sk_review', 'sk_nope'] })
		).rejects.toMatchObject(refused('savedSkillIds: no saved skill sk_nope'));
		expect((await coder.listSkillBuckets()).buckets.map((bucket) => bucket.id)).toEqual([
			'bk_review',
		]);
	});

	it('refuses an agent naming companion agents or saved skills that do not exist', async () => {
		const { coder } = await library();
		await expect(
			coder.createCustomAgent({
				slug: 'lonely',
				displayName: 'Lonely',
				instructions: 'Work',
				savedSkillIds: ['sk_nope'],
				companionAgents: ['ghost', 'retired'],
			})
		).rejects.toMatchObject(
			refused(
				'savedSkillIds: no saved skill sk_nope',
				'companionAgents: no built-in agent .* or custom agent ghost',
				'companionAgents: custom agent retired is archived'
			)
		);
		const created = CoderCustomAgentSchema.parse(
			await coder.createCustomAgent({
				slug: 'pair',
				displayName: 'Pair',
				instructions: 'Work',
				savedSkillIds: ['sk_review'],
				companionAgents: ['scout', 'editor'],
			})
		);
		expect(created.companionAgents).toEqual(['scout', 'editor']);
		await expect(
			coder.updateCustomAgent('pair', { companionAgents: ['ghost'] })
		).rejects.toMatchObject(refused('companionAgents: no built-in agent .* or custom agent ghost'));
	});
});

describe('custom agents', () => {
	it('reports no unpublished changes once a draft is edited back to the published version', async () => {
		const coder = client(await hubForThisTest());
		await coder.createCustomAgent({
			slug: 'reviewer-2',
			displayName: 'Reviewer',
			instructions: 'Review',
			model: 'sonnet',
		});
		await coder.publishCustomAgent('reviewer-2');
		const cleared = await coder.updateCustomAgent('reviewer-2', { model: null });
		expect(cleared.hasUnpublishedChanges).toBe(true);
		const restored = CoderCustomAgentSchema.parse(
			await coder.updateCustomAgent('reviewer-2', { model: 'sonnet' })
		);
		expect(restored).toMatchObject({ hasUnpublishedChanges: false, lifecycle: 'published' });
		// Ids as the SDK's docs show custom agents'.
		expect(restored.id).toMatch(/^hagent_[0-9a-f]{12}$/);
		const versions = CoderCustomAgentVersionListResponseSchema.parse(
			await coder.listCustomAgentVersions('reviewer-2')
		);
		expect(versions.versions.map((version) => [version.version, version.agentId])).toEqual([
			[1, restored.id],
		]);
	});

	it('takes a built-in agent name as a slug; a session naming it still gets the built-in agent', async () => {
		const hub = await hubForThisTest();
		const coder = client(hub);
		const custom = await coder.createCustomAgent({
			slug: 'reviewer',
			displayName: 'Team reviewer',
			instructions: 'Review',
		});
		expect(custom).toMatchObject({ slug: 'reviewer', lifecycle: 'draft' });
		expect((await coder.getCustomAgent('reviewer')).id).toBe(custom.id);
		await coder.archiveCustomAgent('reviewer');
		// The built-in name is never refused, whatever the custom agent's state.
		const { sessionId } = await coder.createSession({ task: 't', agent: 'reviewer' });
		expect(sessionId).toEqual(expect.any(String));
	});

	it('refuses a slug another agent has, archived or not, naming the holder; a rename frees it', async () => {
		const hub = await hubForThisTest();
		const coder = client(hub);
		const first = await coder.createCustomAgent({
			slug: 'docs',
			displayName: 'Docs',
			instructions: 'Write',
		});
		const again = { slug: 'docs', displayName: 'Docs 2', instructions: 'Write more' };
		const taken = await raw(hub, 'POST', '/api/hub/agents', { body: again });
		expect(taken).toMatchObject({
			status: 409,
			body: {
				code: 'CODER_AGENT_SLUG_CONFLICT',
				error: `slug: custom agent ${first.id} already has slug docs`,
			},
		});
		// Answered at once: waiting does not clear a conflict, so the SDK is not asked to retry.
		expect(taken.headers.get('retry-after')).toBe('0');
		await expect(coder.createCustomAgent(again)).rejects.toMatchObject({ status: 409 });
		const other = await coder.createCustomAgent({ ...again, slug: 'docs-2' });
		await expect(coder.updateCustomAgent(other.id, { slug: 'docs' })).rejects.toMatchObject({
			status: 409,
		});

		await coder.archiveCustomAgent(first.id);
		await expect(coder.createCustomAgent(again)).rejects.toMatchObject({
			status: 409,
			message: expect.stringContaining('archived agents keep their slug'),
		});
		expect((await coder.getCustomAgent('docs')).id).toBe(first.id);
		await coder.updateCustomAgent(first.id, { slug: 'docs-retired' });
		const reused = await coder.createCustomAgent(again);
		expect((await coder.getCustomAgent('docs')).id).toBe(reused.id);
		const listed = await coder.listCustomAgents();
		expect(listed.agents.map((agent) => agent.slug)).toEqual(['docs-2', 'docs']);
	});

	it('keeps the lifecycle: draft with unpublished changes, published, archived and hidden', async () => {
		const coder = client(await hubForThisTest());
		const draft = CoderCustomAgentSchema.parse(
			await coder.createCustomAgent({ slug: 'life', displayName: 'Life', instructions: 'Live' })
		);
		expect(draft).toMatchObject({
			lifecycle: 'draft',
			visibility: 'private_draft',
			hasPublishedVersion: false,
			hasUnpublishedChanges: true,
		});
		expect(draft.published).toBeUndefined();
		const published = CoderCustomAgentSchema.parse(await coder.publishCustomAgent('life'));
		expect(published).toMatchObject({
			lifecycle: 'published',
			visibility: 'org',
			hasPublishedVersion: true,
			hasUnpublishedChanges: false,
			latestPublishedVersion: 1,
			published: { version: 1, instructions: 'Live' },
		});
		const edited = await coder.updateCustomAgent('life', { instructions: 'Live well' });
		expect(edited).toMatchObject({
			instructions: 'Live well',
			hasUnpublishedChanges: true,
			draft: { instructions: 'Live well' },
			published: { version: 1, instructions: 'Live' },
		});
		await coder.publishCustomAgent('life');
		const versions = await coder.listCustomAgentVersions('life');
		expect(versions.versions.map((version) => [version.version, version.instructions])).toEqual([
			[2, 'Live well'],
			[1, 'Live'],
		]);
		const archived = CoderCustomAgentSchema.parse(await coder.archiveCustomAgent('life'));
		expect(archived).toMatchObject({ lifecycle: 'archived', latestPublishedVersion: 2 });
		expect((await coder.listCustomAgents()).agents).toEqual([]);
		expect((await coder.listCustomAgents({ includeArchived: false })).agents).toEqual([]);
		expect(
			(await coder.listCustomAgents({ includeArchived: true })).agents.map((a) => a.lifecycle)
		).toEqual(['archived']);
		await expect(coder.publishCustomAgent('life')).rejects.toMatchObject({ status: 409 });
	});

	it("freezes a fixture agent's custom skills whole, content included", async () => {
		const coder = client(
			await hubForThisTest({
				fixtures: {
					org: 'org_a',
					skills: [
						{ source: 'custom', repo: 'custom', skillId: 'mine', name: 'Mine', content: '# Mine' },
					],
					agents: [
						{ slug: 'owner', displayName: 'Owner', instructions: 'Own', savedSkillIds: ['mine'] },
					],
				},
			})
		);
		const agent = CoderCustomAgentSchema.parse(await coder.getCustomAgent('owner'));
		expect(agent.savedSkills).toEqual([
			{ skillId: 'mine', repo: 'custom', name: 'Mine', content: '# Mine' },
		]);
	});
});

describe('saved skills', () => {
	it('keeps one custom skill per skillId: saving it again updates it in place', async () => {
		const coder = client(await hubForThisTest());
		const first = await coder.createCustomSkill({
			skillId: 'style',
			name: 'Style guide',
			content: '# Style v1',
		});
		const second = await coder.createCustomSkill({
			skillId: 'style',
			name: 'Style guide',
			description: 'Second edition',
			content: '# Style v2',
		});
		expect(second).toMatchObject({
			id: first.id,
			source: 'custom',
			repo: 'custom',
			content: '# Style v2',
			description: 'Second edition',
			createdAt: first.createdAt,
		});
		// The same skillId from a repository is another skill.
		const fromRepo = await coder.saveSkill({
			repo: 'agentuity/skills',
			skillId: 'style',
			name: 'Style (repo)',
		});
		expect(fromRepo.id).not.toBe(first.id);
		const listed = await coder.listSavedSkills();
		expect(listed.skills.map((skill) => [skill.source, skill.repo, skill.content])).toEqual([
			['custom', 'custom', '# Style v2'],
			['registry', 'agentuity/skills', undefined],
		]);
	});
});

describe('deletes of what something names', () => {
	it('are allowed and leave the ids dangling; writes sending them back are not refused', async () => {
		const hub = await hubForThisTest();
		const coder = client(hub);
		const skill = await coder.saveSkill({
			repo: 'agentuity/skills',
			skillId: 'lint',
			name: 'Lint',
		});
		const bucket = await coder.createSkillBucket({ name: 'Linters', savedSkillIds: [skill.id] });
		const workspace = await coder.createWorkspace({
			name: 'W',
			savedSkillIds: [skill.id],
			skillBucketIds: [bucket.id],
		});
		const { sessionId } = await coder.createSession({
			task: 't',
			workspaceId: workspace.id,
			savedSkillIds: [skill.id],
		});

		await coder.deleteSavedSkill(skill.id);
		await coder.deleteSkillBucket(bucket.id);
		const dangling = await coder.getWorkspace(workspace.id);
		expect(dangling).toMatchObject({ savedSkillIds: [skill.id], skillBucketIds: [bucket.id] });
		const resent = await coder.updateWorkspace(workspace.id, {
			description: 'Still here',
			savedSkillIds: [skill.id],
			skillBucketIds: [bucket.id],
		});
		expect(resent.description).toBe('Still here');
		await expect(
			coder.updateWorkspace(workspace.id, { savedSkillIds: [skill.id, 'skill_nope'] })
		).rejects.toMatchObject({ status: 400 });

		await coder.deleteWorkspace(workspace.id);
		const session = await coder.getSession(sessionId);
		expect(session.workspace).toEqual({ id: workspace.id, name: 'W', scope: 'user' });
		expect(session.skills.map((s) => s.skillId)).toEqual(['lint']);
	});
});

/**
 * Fixtures: users, skills, buckets, workspaces and agents put in place at start, through
 * `startLocalHub({fixtures})` and `hub serve --fixtures FILE`; what the API changes afterwards
 * survives a restart with the same fixtures.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalHubStartError, type LocalFixturesInput } from '../../src/hub-emulator/index.js';
import { runCli } from '../support/cli.js';
import { startHubProcess } from '../support/hub-process.js';
import { client, hubForThisTest, tempDir } from './support.js';

const FIXTURES: LocalFixturesInput = {
	org: 'org_a',
	users: [{ displayName: 'Ada Lovelace', email: 'ada@example.com' }],
	skills: [{ repo: 'agentuity/skills', skillId: 'review', name: 'Review' }],
	buckets: [{ name: 'Reviewers', savedSkillIds: ['review'] }],
	workspaces: [
		{ name: 'SDK', repos: [{ fullName: 'agentuity/sdk' }], skillBucketIds: ['Reviewers'] },
	],
	agents: [
		{ slug: 'reviewer', displayName: 'Reviewer', instructions: 'Review it', published: true },
		{ slug: 'drafter', displayName: 'Drafter', instructions: 'Draft it' },
	],
};

describe('local Hub fixtures', () => {
	it('serves every fixture record through the SDK, references resolved', async () => {
		const coder = client(await hubForThisTest({ fixtures: FIXTURES }));
		expect((await coder.listUsers()).users).toMatchObject([{ displayName: 'Ada Lovelace' }]);
		const [skill] = (await coder.listSavedSkills()).skills;
		expect(skill).toMatchObject({ skillId: 'review', source: 'registry' });
		const [bucket] = (await coder.listSkillBuckets()).buckets;
		expect(bucket).toMatchObject({ name: 'Reviewers', skillCount: 1, skills: [{ id: skill!.id }] });
		const [workspace] = (await coder.listWorkspaces()).workspaces;
		expect(workspace).toMatchObject({ name: 'SDK', skillBucketIds: [bucket!.id], repoCount: 1 });
		const agents = (await coder.listCustomAgents()).agents;
		expect(agents.map((agent) => [agent.slug, agent.lifecycle])).toEqual([
			['reviewer', 'published'],
			['drafter', 'draft'],
		]);
	});

	it('keeps what the API changed when restarted over the same state with the same fixtures', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		const first = await hubForThisTest({ stateFile, fixtures: FIXTURES });
		const coder = client(first);
		const [workspace] = (await coder.listWorkspaces()).workspaces;
		await coder.updateWorkspace(workspace!.id, { description: 'Edited' });
		const drafter = (await coder.listCustomAgents()).agents.find((a) => a.slug === 'drafter');
		await coder.archiveCustomAgent(drafter!.id);
		await first.close();

		const again = client(await hubForThisTest({ stateFile, fixtures: FIXTURES }));
		const workspaces = (await again.listWorkspaces()).workspaces;
		expect(workspaces).toHaveLength(1);
		expect(workspaces[0]).toMatchObject({ id: workspace!.id, description: 'Edited' });
		expect((await again.listCustomAgents()).agents.map((agent) => agent.slug)).toEqual([
			'reviewer',
		]);
		expect((await again.listSavedSkills()).skills).toHaveLength(1);
	});

	it('refuses to start on a reference the fixture cannot resolve, naming it', async () => {
		await expect(
			hubForThisTest({ fixtures: { buckets: [{ name: 'B', savedSkillIds: ['nowhere'] }] } })
		).rejects.toThrow(LocalHubStartError);
		await expect(
			hubForThisTest({ fixtures: { buckets: [{ name: 'B', savedSkillIds: ['nowhere'] }] } })
		).rejects.toThrow(/bucket B: no skill nowhere/);
		await expect(hubForThisTest({ fixtures: { workspace: [] } as never })).rejects.toThrow(
			/fixtures: .*workspace/
		);
	});

	it('hub serve --fixtures reads a YAML file; a bad one is a clear error', async () => {
		const dir = await tempDir();
		await writeFile(
			join(dir, 'fixtures.yaml'),
			'users:\n  - { displayName: Grace Hopper, email: grace@example.com }\nskills:\n  - { repo: r, skillId: s, name: S }\n'
		);
		const hub = await startHubProcess(
			['--port', '0', '--no-state', '--fixtures', 'fixtures.yaml', '--total-surplus', '2'],
			{ cwd: dir }
		);
		try {
			const headers = { 'content-type': 'application/json' };
			const users = await (await fetch(`${hub.url}/api/hub/users`, { headers })).json();
			expect(users).toMatchObject({ users: [{ displayName: 'Grace Hopper' }], total: 1 });
			const list = await (await fetch(`${hub.url}/api/hub/sessions`, { headers })).json();
			expect(list).toMatchObject({ total: 2, sessions: { websocket: [] } });
		} finally {
			await hub.stop();
		}

		await writeFile(join(dir, 'bad.yaml'), 'skills:\n  - { repo: r }\n');
		const bad = await runCli(['hub', 'serve', '--no-state', '--fixtures', 'bad.yaml'], {
			cwd: dir,
		});
		expect(bad.code).toBe(1);
		expect(bad.stderr).toMatch(/--fixtures: .*bad\.yaml at skills\.0\.skillId/);
		expect(bad.stderr).not.toMatch(/^\s+at /m);
	});
});

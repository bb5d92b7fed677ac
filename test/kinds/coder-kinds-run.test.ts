/**
 * Each Coder kind through plan and apply against a local Hub, through the real CoderClient: a
 * spec's entries are created and marked as the stack's, the next plan changes nothing, a changed
 * field is updated in place (or the record replaced where the Hub cannot change it), and a record
 * made by hand is counted as not the stack's and left as it was.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	apply,
	connectHub,
	loadSpec,
	plan,
	type ConnectedHub,
	type Planned,
} from '../../src/index.js';
import { CODER_KINDS } from '../../src/kinds/coder-kinds.js';
import { markerLine } from '../../src/kinds/description-marker.js';
import { GITHUB_REPOS, startTestHub, type TestHub } from '../support/local-hub.js';

describe('the Coder kinds against a local Hub', () => {
	let dir: string;
	let local: TestHub;
	let hub: ConnectedHub;
	const env = { env: {} };

	/** The plan of a spec of stack `stack` holding these sections (YAML). */
	const planFor = async (stack: string, sections: string): Promise<Planned> => {
		await writeFile(
			join(dir, `${stack}.yaml`),
			`version: 1\nstack: ${stack}\nsessions: {}\n${sections}`
		);
		const spec = await loadSpec([`${stack}.yaml`], { cwd: dir, table: CODER_KINDS });
		return plan(spec, hub, { ...env, table: CODER_KINDS });
	};
	const actions = (planned: Planned) =>
		planned.plan.resources?.actions.map((action) => `${action.kind} ${action.qualifiedKey}`);
	const applies = async (planned: Planned) => {
		const outcome = await apply(planned, hub, { ...env, table: CODER_KINDS });
		expect(outcome, JSON.stringify(outcome)).toMatchObject({ succeeded: true });
	};
	const marked = (stack: string, key: string) => (record: { description?: string }) =>
		record.description?.endsWith(markerLine({ stack, key })) === true;

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'coder-kinds-'));
		local = await startTestHub({ githubRepos: GITHUB_REPOS });
		hub = await connectHub({ url: local.url }, env);
	});
	afterAll(async () => {
		await hub.close();
		await local.close();
		await rm(dir, { recursive: true, force: true });
	});

	it('saved skills: created, saved again in place, replaced for another skill id', async () => {
		const skills = async () => (await local.client.listSavedSkills()).skills;
		const byHand = await local.client.saveSkill({
			repo: 'hand/made',
			skillId: 'tool',
			name: 'Tool',
		});
		const section = (content: string, skillId: string) =>
			`skills:\n  style-guide:\n    name: Style guide\n    content: |\n      ${content}\n` +
			`  release-notes:\n    repo: agentuity/skills\n    skillId: ${skillId}\n    name: Release notes\n    description: House notes\n`;

		const first = await planFor('skills', section('# Style guide', 'release-notes'));
		expect(actions(first)).toEqual(['create skills.release-notes', 'create skills.style-guide']);
		expect(first.plan.resources?.notOwned).toMatchObject({ skill: 1 });
		await applies(first);
		const style = (await skills()).find(marked('skills', 'style-guide'))!;
		expect(style).toMatchObject({
			source: 'custom',
			skillId: 'style-guide',
			name: 'Style guide',
			description: markerLine({ stack: 'skills', key: 'style-guide' }),
			content: '# Style guide\n',
		});
		const notes = (await skills()).find(marked('skills', 'release-notes'))!;
		expect(notes).toMatchObject({
			repo: 'agentuity/skills',
			skillId: 'release-notes',
			description: `House notes\n\n${markerLine({ stack: 'skills', key: 'release-notes' })}`,
		});
		expect(actions(await planFor('skills', section('# Style guide', 'release-notes')))).toEqual([
			'noop skills.release-notes',
			'noop skills.style-guide',
		]);

		const edited = await planFor(
			'skills',
			section('# Style guide, second edition', 'release-notes')
		);
		expect(edited.plan.resources?.actions.find((a) => a.kind !== 'noop')).toMatchObject({
			kind: 'update',
			id: style.id,
			changes: [{ field: 'content', after: '# Style guide, second edition\n' }],
		});
		await applies(edited);
		expect((await skills()).find((s) => s.id === style.id)?.content).toBe(
			'# Style guide, second edition\n'
		);

		const moved = await planFor(
			'skills',
			section('# Style guide, second edition', 'release-notes-v2')
		);
		expect(moved.plan.resources?.actions.find((a) => a.kind !== 'noop')).toMatchObject({
			kind: 'replace',
			id: notes.id,
			forcedBy: ['skillId'],
		});
		await applies(moved);
		const after = await skills();
		expect(after.some((s) => s.id === notes.id)).toBe(false);
		expect(after.filter(marked('skills', 'release-notes'))).toMatchObject([
			{ skillId: 'release-notes-v2' },
		]);
		expect(
			actions(await planFor('skills', section('# Style guide, second edition', 'release-notes-v2')))
		).toEqual(['noop skills.release-notes', 'noop skills.style-guide']);
		expect(after.find((s) => s.id === byHand.id)).toMatchObject({ name: 'Tool' });
		expect(after.find((s) => s.id === byHand.id)).not.toHaveProperty('description');
	});

	it('skill buckets: created with skills by id, replaced when changed', async () => {
		const member = await local.client.saveSkill({
			repo: 'hand/made',
			skillId: 'member',
			name: 'M',
		});
		const byHand = await local.client.createSkillBucket({ name: 'Hand' });
		const buckets = async () => (await local.client.listSkillBuckets()).buckets;
		const section = (name: string) =>
			`skillBuckets:\n  kit:\n    name: ${name}\n    savedSkills: [${member.id}]\n`;

		const first = await planFor('buckets', section('Kit'));
		expect(actions(first)).toEqual(['create skillBuckets.kit']);
		expect(first.plan.resources?.notOwned).toMatchObject({ skillBucket: 1 });
		await applies(first);
		const kit = (await buckets()).find(marked('buckets', 'kit'))!;
		expect(kit).toMatchObject({ name: 'Kit', skills: [{ id: member.id }] });
		expect(actions(await planFor('buckets', section('Kit')))).toEqual(['noop skillBuckets.kit']);

		const renamed = await planFor('buckets', section('Docs kit'));
		expect(renamed.plan.resources?.actions).toMatchObject([
			{ kind: 'replace', id: kit.id, forcedBy: ['name'] },
		]);
		await applies(renamed);
		const after = await buckets();
		expect(after.filter(marked('buckets', 'kit'))).toMatchObject([{ name: 'Docs kit' }]);
		expect(after.some((b) => b.id === kit.id)).toBe(false);
		expect(after.find((b) => b.id === byHand.id)).toMatchObject({ name: 'Hand' });
		expect(actions(await planFor('buckets', section('Docs kit')))).toEqual([
			'noop skillBuckets.kit',
		]);
	});

	it('custom agents: created and published, updated and published again', async () => {
		const byHand = await local.client.createCustomAgent({
			slug: 'by-hand',
			displayName: 'By hand',
			instructions: 'Mine.',
		});
		const agents = async () => (await local.client.listCustomAgents()).agents;
		const section = (instructions: string) =>
			`agents:\n  reviewer:\n    displayName: Docs reviewer\n    instructions: |\n      ${instructions}\n` +
			'    thinkingLevel: medium\n    tools: [read, grep]\n    companionAgents: [scout]\n';

		const first = await planFor('agents', section('Review docs.'));
		expect(actions(first)).toEqual(['create agents.reviewer']);
		expect(first.plan.resources?.notOwned).toMatchObject({ agent: 1 });
		await applies(first);
		const reviewer = (await agents()).find(marked('agents', 'reviewer'))!;
		expect(reviewer).toMatchObject({
			slug: 'reviewer',
			lifecycle: 'published',
			hasUnpublishedChanges: false,
			published: { instructions: 'Review docs.\n', tools: ['read', 'grep'] },
		});
		expect(actions(await planFor('agents', section('Review docs.')))).toEqual([
			'noop agents.reviewer',
		]);

		const changed = await planFor('agents', section('Review docs for tone.'));
		expect(changed.plan.resources?.actions).toMatchObject([
			{ kind: 'update', id: reviewer.id, changes: [{ field: 'instructions' }] },
		]);
		await applies(changed);
		const after = (await agents()).find((a) => a.id === reviewer.id)!;
		expect(after).toMatchObject({
			latestPublishedVersion: 2,
			hasUnpublishedChanges: false,
			published: { instructions: 'Review docs for tone.\n' },
		});
		expect(actions(await planFor('agents', section('Review docs for tone.')))).toEqual([
			'noop agents.reviewer',
		]);
		expect((await agents()).find((a) => a.id === byHand.id)).toMatchObject({
			lifecycle: 'draft',
			instructions: 'Mine.',
		});
	});

	it('workspaces: created with a snapshot to build, updated in place', async () => {
		const byHand = await local.client.createWorkspace({ name: 'hand', systemPrompt: 'kept' });
		const workspaces = async () => (await local.client.listWorkspaces()).workspaces;
		const section = (setupScript: string) =>
			'workspaces:\n  docs:\n    name: Docs workspace\n    repos: [agentuity/docs#main]\n' +
			'    enabledAgents: [lead]\n    dependencies: [jq]\n' +
			`    setupScript: |\n      ${setupScript}\n` +
			'    systemPrompt: Always cite the page you changed.\n    systemPromptMode: append\n';

		const first = await planFor('workspaces', section('npm ci'));
		expect(actions(first)).toEqual(['create workspaces.docs']);
		expect(first.plan.resources?.notOwned).toMatchObject({ workspace: 1 });
		await applies(first);
		const docs = (await workspaces()).find(marked('workspaces', 'docs'))!;
		expect(docs).toMatchObject({
			name: 'Docs workspace',
			repos: [{ owner: 'agentuity', name: 'docs', branch: 'main' }],
			dependencies: ['jq'],
			setupScript: 'npm ci\n',
			enabledAgents: ['lead'],
		});
		expect(docs.snapshot).toBeDefined();
		expect(actions(await planFor('workspaces', section('npm ci')))).toEqual([
			'noop workspaces.docs',
		]);

		const changed = await planFor('workspaces', section('npm ci && npm run build'));
		expect(changed.plan.resources?.actions).toMatchObject([
			{ kind: 'update', id: docs.id, changes: [{ field: 'setupScript' }] },
		]);
		await applies(changed);
		expect((await workspaces()).find((w) => w.id === docs.id)?.setupScript).toBe(
			'npm ci && npm run build\n'
		);
		expect(actions(await planFor('workspaces', section('npm ci && npm run build')))).toEqual([
			'noop workspaces.docs',
		]);
		expect((await workspaces()).find((w) => w.id === byHand.id)).toMatchObject({
			name: 'hand',
			systemPrompt: 'kept',
		});
	});
});

describe.each([
	['a Hub that builds again on the PATCH', true],
	['a Hub that leaves the build to snapshot/refresh', false],
])('a workspace whose setup script changes, on %s', (_name, strict) => {
	it('gets a new snapshot build', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'coder-kinds-build-'));
		const local = await startTestHub({ githubRepos: GITHUB_REPOS, strict });
		const env = { env: {} };
		const hub = await connectHub({ url: local.url }, env);
		try {
			const applySetup = async (setupScript: string) => {
				await writeFile(
					join(dir, 'spec.yaml'),
					`version: 1\nstack: builds\nsessions: {}\nworkspaces:\n  docs:\n    setupScript: ${setupScript}\n`
				);
				const spec = await loadSpec(['spec.yaml'], { cwd: dir, table: CODER_KINDS });
				const planned = await plan(spec, hub, { ...env, table: CODER_KINDS });
				const outcome = await apply(planned, hub, { ...env, table: CODER_KINDS });
				expect(outcome, JSON.stringify(outcome)).toMatchObject({ succeeded: true });
				const [workspace] = (await local.client.listWorkspaces()).workspaces;
				return workspace!.snapshot?.buildId;
			};
			const first = await applySetup('npm ci');
			const second = await applySetup('npm ci && npm test');
			expect(first).toBeDefined();
			expect(second).toBeDefined();
			expect(second).not.toBe(first);
		} finally {
			await hub.close();
			await local.close();
			await rm(dir, { recursive: true, force: true });
		}
	});
});

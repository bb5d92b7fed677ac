/**
 * A removal the plan refuses because a record of the stack would still name what it removes: an
 * entry that leaves a field out keeps the Hub's value, so deleting the record that value names
 * would leave the workspace (or session) naming a deleted one. And `--replace` of an agent, which
 * the Hub cannot do with the slug the archived agent keeps. Each refusal says what to do, exits
 * 1, and writes nothing. Real CLI and CoderClient, local Hub on 127.0.0.1.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { projectRoot } from '../support/cli.js';
import { applySpec, cli, hubAndDirForTest, type TestHub } from '../support/local-hub.js';

const EXAMPLE = join(projectRoot, 'examples/team/coder.yaml');

async function teamApplied(prefix: string) {
	const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, prefix);
	const file = join(dir, 'coder.yaml');
	await copyFile(EXAMPLE, file);
	await applySpec(hub, file, { cwd: dir });
	return { hub, dir, file, spec: await readFile(file, 'utf8') };
}

/** Everything the Hub holds of the setup, to show a refused plan changed nothing. */
async function hubState(hub: TestHub) {
	return {
		buckets: await hub.client.listSkillBuckets(),
		workspaces: await hub.client.listWorkspaces(),
		agents: await hub.client.listCustomAgents({ includeArchived: true }),
		skills: await hub.client.listSavedSkills(),
	};
}

async function expectRefused(hub: TestHub, dir: string, args: readonly string[], message: string) {
	for (const command of [['plan'], ['apply', '--auto-approve']]) {
		await hub.resetStats();
		const refused = await cli(hub, [...command, '-f', 'coder.yaml', ...args], { cwd: dir });
		expect(refused.code, refused.stdout + refused.stderr).toBe(1);
		expect(refused.stderr).toContain(message);
		expect(refused.stderr).not.toMatch(/\n\s+at /);
		const writes = Object.keys(hub.stats()).filter((route) =>
			/^(create|update|publish|archive|delete|save)/i.test(route)
		);
		expect(writes).toEqual([]);
	}
}

describe('a removal that would leave a record of the stack naming what it removes', () => {
	it('a bucket left out of the spec while the workspace leaves skillBuckets out: refused, then applied once the field is written', async () => {
		const { hub, dir, file, spec } = await teamApplied('kinds-stranded-bucket-');
		const [bucket] = (await hub.client.listSkillBuckets()).buckets;
		// The bucket goes; the session says it holds none; the workspace leaves the field out.
		const withoutBucket = spec
			.replace(/\nskillBuckets:\n(?: {2}.*\n)+/, '\n')
			.replace(
				'    skillBuckets: [docs-kit]\n    savedSkills: [style-guide]\n',
				'    savedSkills: [style-guide]\n'
			)
			.replace('skillBuckets: [docs-kit]', 'skillBuckets: []');
		expect(withoutBucket).not.toContain('docs-kit');
		await writeFile(file, withoutBucket);
		const before = await hubState(hub);

		await expectRefused(
			hub,
			dir,
			[],
			[
				'Cannot plan: records of this stack would name a record the plan removes:',
				`  - skillBuckets.docs-kit (skillBucket ${bucket!.id}) is deleted, but workspaces.docs still names it in skillBuckets (its entry leaves the field out, so the Hub keeps it)`,
				'To go on, write the field in the entry that leaves it out (as [] or without the removed record), or keep the removed entry in the spec.',
			].join('\n')
		);
		expect(await hubState(hub)).toEqual(before);

		await writeFile(
			file,
			withoutBucket.replace(
				'    savedSkills: [style-guide]\n    dependencies',
				'    skillBuckets: []\n    savedSkills: [style-guide]\n    dependencies'
			)
		);
		await applySpec(hub, file, { cwd: dir });
		expect((await hub.client.listSkillBuckets()).buckets).toEqual([]);
		const [workspace] = (await hub.client.listWorkspaces()).workspaces;
		expect(workspace!.skillBucketIds).toEqual([]);
	});

	it('a workspace left out of the spec while the session leaves workspace out: refused', async () => {
		const { hub, dir, file, spec } = await teamApplied('kinds-stranded-workspace-');
		const [workspace] = (await hub.client.listWorkspaces()).workspaces;
		const withoutWorkspace = spec
			.replace(/\nworkspaces:\n(?: {2}.*\n)+/, '\n')
			.replace(/ {4}workspace: docs.*\n/, '');
		expect(withoutWorkspace).not.toMatch(/workspace: docs|\nworkspaces:/);
		await writeFile(file, withoutWorkspace);
		const before = await hubState(hub);

		await expectRefused(
			hub,
			dir,
			[],
			[
				`  - workspaces.docs (workspace ${workspace!.id}) is deleted, but session api-review still names it in workspaceId (its entry leaves the field out, so the Hub keeps it)`,
				// A session holds one workspace: no [] to write.
				'To go on, write the field in the entry that leaves it out, naming another record, or keep the removed entry in the spec.',
			].join('\n')
		);
		expect(await hubState(hub)).toEqual(before);
	});

	it('a bucket removed while the workspace naming it is outside --only: refused, saying to add it', async () => {
		const { hub, dir, file, spec } = await teamApplied('kinds-stranded-only-');
		const [bucket] = (await hub.client.listSkillBuckets()).buckets;
		// The spec is right (nothing names the bucket any more), but --only leaves the workspace out.
		await writeFile(
			file,
			spec
				.replace(/\nskillBuckets:\n(?: {2}.*\n)+/, '\n')
				.replaceAll('skillBuckets: [docs-kit]', 'skillBuckets: []')
		);
		const before = await hubState(hub);

		await expectRefused(
			hub,
			dir,
			['--only', 'skillBuckets.docs-kit'],
			[
				`  - skillBuckets.docs-kit (skillBucket ${bucket!.id}) is deleted, but workspaces.docs still names it in skillBuckets (outside --only, so this plan does not change it)`,
				'To go on, add the entry that names it to --only, or keep the removed entry in the spec.',
			].join('\n')
		);
		expect(await hubState(hub)).toEqual(before);

		const both = await cli(
			hub,
			[
				'apply',
				'--auto-approve',
				'-f',
				'coder.yaml',
				'--only',
				'skillBuckets.docs-kit',
				'--only',
				'workspaces.docs',
			],
			{ cwd: dir }
		);
		expect(both.code, both.stdout + both.stderr).toBe(0);
		expect((await hub.client.listSkillBuckets()).buckets).toEqual([]);
	});
});

describe('--replace of an agent', () => {
	it('with the slug the old agent keeps: refused before apply, saying to give a new slug or leave out --replace', async () => {
		const { hub, dir, file, spec } = await teamApplied('kinds-replace-agent-');
		const [agent] = (await hub.client.listCustomAgents()).agents;
		const before = await hubState(hub);

		await expectRefused(
			hub,
			dir,
			['--replace', 'agents.reviewer'],
			[
				'Cannot plan: the Hub cannot make these records anew:',
				`  - agents.reviewer: the new agent would take the slug "reviewer", which custom agent ${agent!.id} keeps once archived (the Hub keeps an archived agent's slug, so the create would fail): give the entry a new slug (slug: NAME) for the replace to go through, or leave out --replace: an agent needs no replace, as every change updates it in place`,
			].join('\n')
		);
		expect(await hubState(hub)).toEqual(before);

		// With a new slug the replace goes through: a new agent, the old one archived.
		await writeFile(file, spec.replace('  reviewer:\n', '  reviewer:\n    slug: docs-reviewer\n'));
		await applySpec(hub, file, { cwd: dir, args: ['--replace', 'agents.reviewer'] });
		const after = (await hub.client.listCustomAgents({ includeArchived: true })).agents;
		expect(after.map((each) => [each.slug, each.lifecycle]).sort()).toEqual([
			['docs-reviewer', 'published'],
			['reviewer', 'archived'],
		]);
	});
});

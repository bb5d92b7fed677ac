/**
 * First mistakes with the other kinds, as a team adopting the whole setup makes them: an agent
 * slug another stack or an archived agent holds, `--only` given an agent's bare key, and `prune: archive` read as
 * "nothing is deleted". Each says what to do, at the documented exit code, and changes nothing
 * on the Hub it should not. Real CLI and CoderClient, local Hub on 127.0.0.1.
 */
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { projectRoot, runCli } from '../support/cli.js';
import { applySpec, cli, hubAndDirForTest, writeSpec } from '../support/local-hub.js';

const reviewerSpec = (stack: string, extra: readonly string[] = []) =>
	[
		'version: 1',
		`stack: ${stack}`,
		'sessions: {}',
		'agents:',
		'  reviewer:',
		'    instructions: Review the docs.',
		...extra,
		'',
	].join('\n');

describe('first mistakes with agents, workspaces, skills and buckets', () => {
	it('an agent slug another stack holds: the plan says to choose another slug, and creates nothing', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-slug-taken-');
		await applySpec(hub, await writeSpec(dir, 'web.yaml', reviewerSpec('web')), { cwd: dir });
		const before = await hub.client.listCustomAgents();
		const theirs = before.agents.find((agent) => agent.slug === 'reviewer')!;

		const ops = await writeSpec(dir, 'ops.yaml', reviewerSpec('ops'));
		for (const command of [['plan'], ['apply', '--auto-approve']]) {
			const refused = await cli(hub, [...command, '-f', ops], { cwd: dir });
			expect(refused.code, refused.stdout + refused.stderr).toBe(1);
			expect(refused.stderr).toContain(
				`agents.reviewer: custom agent ${theirs.id} already has the slug "reviewer"; it belongs to stack web: give this entry another slug (slug: NAME), or have stack web forget it, then adopt it (adopt: ${theirs.id})`
			);
			expect(refused.stderr).not.toMatch(/\n\s+at /);
		}
		expect(await hub.client.listCustomAgents()).toEqual(before);

		const renamed = await writeSpec(
			dir,
			'ops.yaml',
			reviewerSpec('ops', ['    slug: ops-reviewer'])
		);
		await applySpec(hub, renamed, { cwd: dir });
		const slugs = (await hub.client.listCustomAgents()).agents.map((agent) => agent.slug);
		expect(slugs.sort()).toEqual(['ops-reviewer', 'reviewer']);
	});

	it('an agent declared again after its archive: the plan says to choose another slug, and changes nothing', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-slug-archived-');
		const file = await writeSpec(dir, 'web.yaml', reviewerSpec('web'));
		await applySpec(hub, file, { cwd: dir });
		// The spec keeps another agent, so removing this one is not the empty spec's removal.
		const writer = ['  writer:', '    instructions: Write the docs.'];
		const withoutReviewer = reviewerSpec('web').replace(/ {2}reviewer:\n.*\n/, '');
		await writeSpec(dir, 'web.yaml', `${withoutReviewer}${writer.join('\n')}\n`);
		await applySpec(hub, file, { cwd: dir });
		const everyAgent = () => hub.client.listCustomAgents({ includeArchived: true });
		const before = await everyAgent();
		const archived = before.agents.find((agent) => agent.slug === 'reviewer')!;
		expect(before.agents).toHaveLength(2);
		expect(archived.lifecycle).toBe('archived');

		// Left archived: no plan updates, adopts or prunes it.
		const quiet = await cli(hub, ['plan', '-f', file, '--detailed-exitcode'], { cwd: dir });
		expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);

		await writeSpec(dir, 'web.yaml', reviewerSpec('web', writer));
		for (const command of [['plan'], ['apply', '--auto-approve']]) {
			await hub.resetStats();
			const refused = await cli(hub, [...command, '-f', file], { cwd: dir });
			expect(refused.code, refused.stdout + refused.stderr).toBe(1);
			expect(refused.stderr).toContain(
				`agents.reviewer: archived custom agent ${archived.id} keeps the slug "reviewer" (the Hub keeps an archived agent's slug, so the create would fail): give this entry another slug (slug: NAME)`
			);
			expect(refused.stderr).not.toMatch(/\n\s+at /);
			// One listing of agents, archived ones in it; no write.
			const stats = hub.stats();
			expect(stats.listAgents).toBe(1);
			expect(
				Object.keys(stats).filter((route) => /^(create|update|publish|archive)/i.test(route))
			).toEqual([]);
		}
		expect(await everyAgent()).toEqual(before);

		await writeSpec(dir, 'web.yaml', reviewerSpec('web', ['    slug: reviewer-2', ...writer]));
		await applySpec(hub, file, { cwd: dir });
		const after = (await everyAgent()).agents;
		expect(after.map((agent) => [agent.slug, agent.lifecycle]).sort()).toEqual([
			['reviewer', 'archived'],
			['reviewer-2', 'published'],
			['writer', 'published'],
		]);
		expect(after.find((agent) => agent.id === archived.id)).toEqual(archived);
	});

	it('an agent slug changed to one another stack or an archived agent holds: the plan is refused, nothing changes', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-slug-update-');
		await applySpec(hub, await writeSpec(dir, 'web.yaml', reviewerSpec('web')), { cwd: dir });
		const writer = ['  writer:', '    slug: old-writer', '    instructions: Write the docs.'];
		const opsSpec = (slug: string, extra: readonly string[] = []) =>
			reviewerSpec('ops', [`    slug: ${slug}`, ...extra]);
		const file = await writeSpec(dir, 'ops.yaml', opsSpec('ops-reviewer', writer));
		await applySpec(hub, file, { cwd: dir });
		// The writer removed from the spec: archived, it keeps its slug.
		await writeSpec(dir, 'ops.yaml', opsSpec('ops-reviewer'));
		await applySpec(hub, file, { cwd: dir });
		const everyAgent = () => hub.client.listCustomAgents({ includeArchived: true });
		const before = await everyAgent();
		const theirs = before.agents.find((agent) => agent.slug === 'reviewer')!;
		const archived = before.agents.find((agent) => agent.slug === 'old-writer')!;
		expect(archived.lifecycle).toBe('archived');

		const refusals = [
			[
				'reviewer',
				`agents.reviewer: custom agent ${theirs.id} already has the slug "reviewer"; it belongs to stack web: give this entry another slug (slug: NAME), or have stack web forget it, then adopt it (adopt: ${theirs.id})`,
			],
			[
				'old-writer',
				`agents.reviewer: archived custom agent ${archived.id} keeps the slug "old-writer" (the Hub keeps an archived agent's slug, so the create would fail): give this entry another slug (slug: NAME)`,
			],
		] as const;
		for (const [slug, message] of refusals) {
			await writeSpec(dir, 'ops.yaml', opsSpec(slug));
			for (const command of [['plan'], ['apply', '--auto-approve']]) {
				await hub.resetStats();
				const refused = await cli(hub, [...command, '-f', file], { cwd: dir });
				expect(refused.code, refused.stdout + refused.stderr).toBe(1);
				expect(refused.stderr).toContain(message);
				expect(refused.stderr).not.toMatch(/\n\s+at /);
				expect(
					Object.keys(hub.stats()).filter((route) =>
						/^(create|update|publish|archive)/i.test(route)
					)
				).toEqual([]);
			}
		}
		expect(await everyAgent()).toEqual(before);

		// A slug no one holds goes through as an update of the same agent.
		await writeSpec(dir, 'ops.yaml', opsSpec('ops-reviewer-2'));
		await applySpec(hub, file, { cwd: dir });
		const ours = (await everyAgent()).agents.filter((agent) => agent.lifecycle !== 'archived');
		expect(ours.map((agent) => agent.slug).sort()).toEqual(['ops-reviewer-2', 'reviewer']);
	});

	it("a bucket naming another stack's skill by its key fails validate, saying to name it by id", async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-other-stack-skill-');
		const web = [
			'version: 1',
			'stack: web',
			'sessions: {}',
			'skills:',
			'  house:',
			'    content: Be kind.',
			'',
		];
		await applySpec(hub, await writeSpec(dir, 'web.yaml', web.join('\n')), { cwd: dir });
		const house = (await hub.client.listSavedSkills()).skills[0]!;
		const ops = (skill: string) =>
			[
				'version: 1',
				'stack: ops',
				'sessions: {}',
				'skillBuckets:',
				'  kit:',
				`    savedSkills: [${skill}]`,
				'',
			].join('\n');

		await hub.resetStats();
		const file = await writeSpec(dir, 'ops.yaml', ops('house'));
		for (const refused of [
			await runCli(['validate', '-f', file], { cwd: dir }),
			await cli(hub, ['plan', '-f', file], { cwd: dir }),
		]) {
			expect(refused.code, refused.stdout + refused.stderr).toBe(1);
			expect(refused.stderr).toContain(
				`ops.yaml:6:19: skillBuckets.kit.savedSkills[0]: no skill "house" is declared under skills; one the spec does not declare (another stack's, or made by hand) is named by its id`
			);
			expect(refused.stderr).not.toMatch(/\n\s+at /);
		}
		expect(hub.stats().total ?? 0).toBe(0);

		await writeSpec(dir, 'ops.yaml', ops(house.id));
		const planned = await cli(hub, ['plan', '-f', file], { cwd: dir });
		expect(planned.code, planned.stderr).toBe(0);
		expect(planned.stdout).toContain(`+ savedSkills: ["${house.id}"]`);

		// Declared again in this stack, the custom skill would overwrite the other stack's.
		await writeSpec(dir, 'ops.yaml', `${ops('house')}skills:\n  house:\n    content: Be brief.\n`);
		const collides = await cli(hub, ['plan', '-f', file], { cwd: dir });
		expect(collides.code, collides.stdout + collides.stderr).toBe(1);
		expect(collides.stderr).toContain(
			`skills.house: saved skill ${house.id} would be overwritten by this create (the Hub keeps one skill per repo and skillId: custom/house); it belongs to stack web: give this entry another skillId (skillId: NAME), or have stack web forget it, then adopt it (adopt: ${house.id})`
		);
	});

	it('--only leaving out a workspace or skills not on the Hub yet: plan and apply refuse, naming them', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-only-unplanned-');
		await copyFile(join(projectRoot, 'examples/team/coder.yaml'), join(dir, 'coder.yaml'));
		await hub.resetStats();
		for (const command of [['plan'], ['apply', '--auto-approve']]) {
			const session = await cli(hub, [...command, '-f', 'coder.yaml', '--only', 'api-review'], {
				cwd: dir,
			});
			expect(session.code, session.stdout + session.stderr).toBe(1);
			expect(session.stderr).toContain(
				'Error: Cannot plan: entries name others that are not on the Hub and not in this plan (left out by --only):\n  api-review: workspaces.docs, skills.style-guide, skillBuckets.docs-kit\nAdd them to the plan (--only workspaces.docs --only skills.style-guide --only skillBuckets.docs-kit), or plan without --only.'
			);
			expect(session.stderr).not.toMatch(/\n\s+at /);
			const bucket = await cli(hub, [...command, '-f', 'coder.yaml', '--only', 'skillBuckets.*'], {
				cwd: dir,
			});
			expect(bucket.code, bucket.stdout + bucket.stderr).toBe(1);
			expect(bucket.stderr).toContain(
				'  skillBuckets.docs-kit: skills.style-guide, skills.release-notes\n'
			);
		}
		expect(hub.stats().create ?? 0).toBe(0);
		expect((await hub.client.listSavedSkills()).skills).toEqual([]);
		expect((await hub.client.listSkillBuckets()).buckets).toEqual([]);
		expect((await hub.client.listSessions()).sessions).toEqual([]);

		const named = await cli(
			hub,
			[
				'apply',
				'--auto-approve',
				'-f',
				'coder.yaml',
				'--only',
				'skill*',
				'--only',
				'skillBuckets.*',
			],
			{ cwd: dir }
		);
		expect(named.code, named.stdout + named.stderr).toBe(0);
		expect((await hub.client.listSkillBuckets()).buckets).toHaveLength(1);
	});

	it("forget given a skill's bare key names the qualified key to use, and forgets nothing", async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-forget-bare-');
		const spec = (withSkill: boolean) =>
			[
				'version: 1',
				'stack: web',
				'sessions: {}',
				...(withSkill ? ['skills:', '  house:', '    content: Be kind.'] : []),
				'',
			].join('\n');
		await applySpec(hub, await writeSpec(dir, 'web.yaml', spec(true)), { cwd: dir });
		await writeSpec(dir, 'web.yaml', spec(false));
		const before = await hub.client.listSavedSkills();
		const refused = await cli(hub, ['forget', 'house', '-f', 'web.yaml', '--auto-approve'], {
			cwd: dir,
		});
		expect(refused.code, refused.stdout + refused.stderr).toBe(1);
		expect(refused.stderr).toContain(
			'Error: forget names no session of stack web: house (its keys: none; did you mean skills.house?)'
		);
		expect(await hub.client.listSavedSkills()).toEqual(before);
	});

	it("--only given an agent's bare key names the qualified key to use", async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-only-bare-');
		const file = await writeSpec(dir, 'web.yaml', reviewerSpec('web'));
		await hub.resetStats();
		const refused = await cli(hub, ['plan', '-f', file, '--only', 'reviewer'], { cwd: dir });
		expect(refused.code, refused.stdout + refused.stderr).toBe(1);
		expect(refused.stderr).toContain(
			'Error: --only names no entry of the spec nor session of stack web: reviewer (an entry of another kind is named SECTION.KEY: did you mean agents.reviewer?)'
		);
		const applied = await cli(hub, ['apply', '--auto-approve', '-f', file, '--only', 'rev*'], {
			cwd: dir,
		});
		expect(applied.code).toBe(1);
		expect(applied.stderr).toContain('did you mean agents.reviewer?');
		expect((await hub.client.listCustomAgents()).agents).toEqual([]);

		const planned = await cli(hub, ['plan', '-f', file, '--only', 'agents.reviewer'], {
			cwd: dir,
		});
		expect(planned.code, planned.stderr).toBe(0);
		expect(planned.stdout).toContain('+ create   agents.reviewer (agent)');
	});

	it('prune: archive deletes a removed skill or workspace, which have no archive, and the plan says so', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-prune-delete-');
		const setup = (prune: string, withRemoved: boolean) =>
			[
				'version: 1',
				'stack: kit',
				`prune: ${prune}`,
				'sessions: {}',
				'skills:',
				'  kept:',
				'    content: Kept.',
				...(withRemoved
					? [
							'  dropped:',
							'    content: Dropped.',
							'workspaces:',
							'  docs:',
							'    systemPrompt: Hi.',
						]
					: []),
				'',
			].join('\n');
		await applySpec(hub, await writeSpec(dir, 'kit.yaml', setup('archive', true)), { cwd: dir });

		await writeSpec(dir, 'kit.yaml', setup('keep', false));
		const kept = await cli(hub, ['plan', '-f', 'kit.yaml', '--detailed-exitcode'], { cwd: dir });
		expect(kept.code, kept.stdout + kept.stderr).toBe(0);

		await writeSpec(dir, 'kit.yaml', setup('archive', false));
		const planned = await cli(hub, ['plan', '-f', 'kit.yaml'], { cwd: dir });
		expect(planned.code, planned.stderr).toBe(0);
		expect(planned.stdout).toContain(
			'# no longer in the spec; a skill has no archive, so prune: archive deletes it (prune: keep leaves it)'
		);
		expect(planned.stdout).toContain(
			'# no longer in the spec; a workspace has no archive, so prune: archive deletes it (prune: keep leaves it)'
		);
		const markdown = await cli(hub, ['plan', '-f', 'kit.yaml', '--format', 'markdown'], {
			cwd: dir,
		});
		expect(markdown.stdout).toContain('a skill has no archive, so prune: archive deletes it');

		await writeSpec(dir, 'kit.yaml', setup('delete', false));
		const deleted = await cli(hub, ['plan', '-f', 'kit.yaml'], { cwd: dir });
		expect(deleted.stdout).toMatch(/# no longer in the spec\n/);
		expect(deleted.stdout).not.toContain('has no archive');
	});
});

/**
 * Ownership of agents, workspaces, saved skills and skill buckets rests on the marker line of a
 * record's description. Records made by hand or by another stack, with markers that only look
 * like the stack's, are never changed, adopted or deleted (prune: delete and --destroy
 * included); and the record an entry's `adopt:` names is the one the entry keeps, however many
 * other records carry the entry's marker. Real CLI and CoderClient, local Hub on 127.0.0.1.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { cli, hubAndDirForTest, writeSpec } from '../support/local-hub.js';

const STACK = 'own';

/** Descriptions a stack's marker could be mistaken in, none of them the stack's `own/house`. */
const LOOK_ALIKES = [
	'[coder-sessions own-2/house]',
	'[coder-sessions other/house]',
	'[coder-sessions  own/house]',
	'[Coder-Sessions own/house]',
	'[coder-sessions own/house]\nwritten after the marker',
	'[coder-sessions own/house]\u0085',
	'[coder-sessions own\u2010team/house]',
	'[coder-sessions own/house\u00a0protect]',
	'text\r[coder-sessions own/house]',
	'[coder-sessions own/house',
];

const houseSpec = (adopt?: string) =>
	[
		'version: 1',
		`stack: ${STACK}`,
		'prune: delete',
		'sessions: {}',
		'skills:',
		'  house:',
		...(adopt ? [`    adopt: ${adopt}`] : []),
		'    name: House rules',
		'    content: "# House\\nBe kind.\\n"',
		'',
	].join('\n');

describe('ownership of the other kinds', () => {
	it('never changes, adopts or deletes a record whose marker only looks like the stack’s', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-own-');
		const { client } = hub;
		const before = [];
		for (const [index, description] of LOOK_ALIKES.entries()) {
			before.push(
				await client.createCustomSkill({
					skillId: `look-alike-${index}`,
					name: `Look-alike ${index}`,
					description,
					content: 'Not the stack’s.',
				})
			);
		}
		const file = await writeSpec(dir, 'own.yaml', houseSpec());
		const run = (args: string[]) => cli(hub, args, { cwd: dir });
		const planned = await run(['plan', '-f', file]);
		expect(planned.code, planned.stderr).toBe(0);
		expect(planned.stdout).toContain(`${LOOK_ALIKES.length} records not of this stack left alone`);
		for (const args of [
			['apply', '--auto-approve', '-f', file],
			['apply', '--auto-approve', '-f', file, '--destroy', '--allow-removals', '1'],
		]) {
			const applied = await run(args);
			expect(applied.code, applied.stdout + applied.stderr).toBe(0);
		}
		const after = (await client.listSavedSkills()).skills;
		for (const record of before)
			expect(after.find((skill) => skill.id === record.id)).toEqual(record);
		expect(after).toHaveLength(LOOK_ALIKES.length);
	});

	it("keeps the record an entry's adopt: names, not another record marked with its key", async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-adopt-');
		const { client } = hub;
		const adopted = await client.createCustomSkill({
			skillId: 'house',
			name: 'House rules',
			description: 'Made by hand',
			content: '# House\nBe kind.\n',
		});
		// Records marked with the entry's key, some of them with a lower id than the adopted one.
		const marked: string[] = [];
		while (marked.length < 8 && !marked.some((id) => id < adopted.id)) {
			const record = await client.createCustomSkill({
				skillId: `marked-${marked.length}`,
				name: 'Marked by hand',
				description: `[coder-sessions ${STACK}/house]`,
				content: 'x',
			});
			marked.push(record.id);
		}
		expect(marked.some((id) => id < adopted.id)).toBe(true);
		const file = await writeSpec(dir, 'own.yaml', houseSpec(adopted.id));
		const run = (args: string[]) => cli(hub, args, { cwd: dir });
		const planned = await run(['plan', '-f', file]);
		expect(planned.code, planned.stderr).toBe(0);
		expect(planned.stdout).not.toMatch(new RegExp(`delete .*${adopted.id} `));
		expect(planned.stdout).toContain(`(${adopted.id} stays)`);

		const applied = await run(['apply', '--auto-approve', '-f', file, '--allow-removals', '10']);
		expect(applied.code, applied.stdout + applied.stderr).toBe(0);
		const skills = (await client.listSavedSkills()).skills;
		expect(skills.map((skill) => skill.id)).toEqual([adopted.id]);
		expect(skills[0]!.description).toBe(`[coder-sessions ${STACK}/house]`);
		const again = await run(['plan', '-f', file, '--detailed-exitcode']);
		expect(again.code, again.stdout + again.stderr).toBe(0);
	});

	it('refuses an adopt: naming no record, or one of another stack, instead of creating anew', async () => {
		const { hub, dir } = await hubAndDirForTest(onTestFinished, {}, 'kinds-adopt-refused-');
		const theirs = await hub.client.createCustomSkill({
			skillId: 'house',
			name: 'House rules',
			description: '[coder-sessions other/house]',
			content: '# House\nBe kind.\n',
		});
		const run = (args: string[]) => cli(hub, args, { cwd: dir });
		for (const [adopt, why] of [
			['skill_0000000000aa', 'no skill skill_0000000000aa on the Hub'],
			[theirs.id, `skill ${theirs.id} belongs to stack other; it must forget it first`],
		] as const) {
			const file = await writeSpec(dir, 'own.yaml', houseSpec(adopt));
			for (const command of [['plan'], ['apply', '--auto-approve']]) {
				const refused = await run([...command, '-f', file]);
				expect(refused.code, refused.stdout + refused.stderr).toBe(1);
				expect(refused.stderr).toContain(`own.yaml:6:3: skills.house.adopt: ${why}`);
			}
		}
		expect((await hub.client.listSavedSkills()).skills).toEqual([theirs]);
	});
});

/**
 * A plan of many entries from one template, through the built CLI against a local Hub on
 * 127.0.0.1: markdown and text show one block for the template with every key named, JSON names
 * the template on each action, and a change to the template after apply plans one grouped block.
 */
import { describe, expect, it } from 'vitest';
import { cli, hubForTest, useTempDir, writeSpec, type TestHub } from '../support/local-hub.js';
import { expectExit, planJson } from '../support/plan-output.js';

const RUN = { timeoutMs: 90_000 };
const STACK = 'fleet';
const TEAMS = ['payments', 'search', 'growth'];
const ITEMS = Array.from({ length: 50 }, (_, i) => `svc-${String(i + 1).padStart(3, '0')}`);
const KEYS = ITEMS.map((item) => `shard.${item}`);

/** 50 entries from `shard`: the item in task and label, each item's own owner in metadata. */
const fleet = (task: string, label = 'Migrate ${each.key}', allowRemovals?: number) => ({
	stack: STACK,
	...(allowRemovals !== undefined ? { allowRemovals } : {}),
	sessions: {
		shard: {
			forEach: Object.fromEntries(
				ITEMS.map((item, i) => [item, { owner: TEAMS[i % TEAMS.length] }])
			),
			task,
			label,
			tags: ['migration'],
			metadata: { owner: '${each.value.owner}' },
		},
		runbook: { task: 'Keep the runbook.' },
	},
});
const TASK = 'Migrate ${each.key} to the new queue.';

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

describe('a plan of entries from one template, through the CLI', { timeout: 300_000 }, () => {
	const dir = useTempDir('templates-plan-it-');
	const run = (hub: TestHub, args: string[]) => cli(hub, args, { cwd: dir.path, ...RUN });
	const plan = async (hub: TestHub, file: string, format: string) => {
		const result = await run(hub, ['plan', '-f', file, '--format', format]);
		expectExit(result, 0);
		return result.stdout;
	};

	it('groups the creates in markdown, text and JSON, then groups the changes after apply', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'fleet.yaml', fleet(TASK));

		const md = await plan(hub, file, 'markdown');
		expect(md.length).toBeLessThan(6_000);
		expect(occurrences(md, 'from template <b>shard</b>')).toBe(1);
		expect(md).toContain('<code>+ create</code> <b>50 sessions</b> from template <b>shard</b>');
		expect(md).toContain('+ task: "Migrate ${each.key} to the new queue."');
		for (const [i, key] of KEYS.entries())
			expect(md).toContain(`| ${key} | &#34;${TEAMS[i % TEAMS.length]}&#34; |`);
		// The plain entry stays its own block.
		expect(md).toContain('<code>+ create</code> <b>runbook</b>');

		const text = await plan(hub, file, 'text');
		expect(occurrences(text, 'from template shard')).toBe(1);
		expect(text).toContain('+ create   50 sessions from template shard');
		expect(text).toMatch(/per key:\n\s+key\s+metadata\.owner\n/);
		for (const key of KEYS) expect(text).toMatch(new RegExp(`^\\s+${key}\\s+"\\w+"$`, 'm'));

		const json = planJson(await run(hub, ['plan', '-f', file, '--format', 'json']));
		const creates = json.actions.filter((action) => action.kind === 'create');
		expect(creates.filter((action) => action.template === 'shard').map((a) => a.key)).toEqual(
			expect.arrayContaining(KEYS)
		);
		expect(creates.find((action) => action.key === 'runbook')).not.toHaveProperty('template');
		expect(creates).toHaveLength(51);

		expectExit(await run(hub, ['apply', '--auto-approve', '-f', file]), 0);

		// A label changed in the template: one grouped update, the change written once.
		await writeSpec(dir.path, 'fleet.yaml', fleet(TASK, 'Migrate ${each.key} (wave 2)'));
		const updated = await plan(hub, file, 'markdown');
		expect(occurrences(updated, 'from template <b>shard</b>')).toBe(1);
		expect(updated).toContain('<code>&#126; update</code> <b>50 sessions</b> from template');
		expect(updated).toContain(
			'- label: "Migrate ${each.key}"\n+ label: "Migrate ${each.key} (wave 2)"'
		);
		for (const key of KEYS) expect(updated).toMatch(new RegExp(`^\\| ${key} \\| codesess`, 'm'));
		const updates = planJson(await run(hub, ['plan', '-f', file, '--format', 'json'])).actions;
		expect(updates.filter((a) => a.kind === 'update' && a.template === 'shard')).toHaveLength(50);

		// The template's task changed: the Hub cannot change a task, so one grouped replace (each
		// archives its old session: 50 removals, allowed in the spec).
		const newer = 'Migrate ${each.key} to the newer queue.';
		await writeSpec(dir.path, 'fleet.yaml', fleet(newer, undefined, 50));
		const replaced = await plan(hub, file, 'text');
		expect(occurrences(replaced, 'from template shard')).toBe(1);
		expect(replaced).toContain('-/+ replace  50 sessions from template shard');
		expect(replaced).toMatch(
			/~ task:\n\s+- Migrate \$\{each\.key\} to the new queue\.\n\s+\+ Migrate \$\{each\.key\} to the newer queue\.\n/
		);
		for (const key of KEYS) expect(replaced).toMatch(new RegExp(`^\\s+${key}\\s+codesess_`, 'm'));
	});
});

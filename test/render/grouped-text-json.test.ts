/**
 * The text plan groups actions from one template as markdown does (what they share once, an
 * aligned row per key); JSON stays one action per key and names each one's template.
 */
import { describe, expect, it } from 'vitest';
import { renderText, toPlanJson } from '../../src/render/index.js';
import { viewOf } from '../support/plan-builders.js';
import { liveFor } from '../support/session-builders.js';
import { items, planOfEntries, shard, untemplated } from '../support/template-plans.js';

const text = (plan: Parameters<typeof viewOf>[0]): string =>
	renderText(viewOf(plan), { color: false });
const occurrences = (all: string, part: string): number => all.split(part).length - 1;

describe('text plan: actions from one template', () => {
	it('shows one block: shared fields once, then every key on its own aligned row', () => {
		const out = text(planOfEntries(items(50).map((item) => shard(item))));
		expect(out).toContain('  + create   50 sessions from template shard\n      # not on the Hub\n');
		expect(occurrences(out, '      + visibility: "private"\n')).toBe(1);
		expect(out).toContain('      + task: "Migrate ${each.key} to the new queue in staging."\n');
		expect(out).toContain('      + env.API_TOKEN: (sensitive)\n');
		expect(out).not.toContain('literal-token-value');
		expect(out).toContain(
			'      per key:\n        key            metadata.owner\n        shard.svc-001  "payments"\n'
		);
		for (const item of items(50))
			expect(out).toMatch(new RegExp(`\\n {8}shard\\.${item} {2}"\\w+"\\n`));
		expect(out).toContain(
			'Plan: 50 to create, 0 to update, 0 to replace, 0 to archive, 0 to delete.'
		);
	});

	it('names each replaced session beside its key, and keeps the rails and counts', async () => {
		const before = items(4).map((item) => shard(item));
		const live = await Promise.all(before.map((entry) => liveFor(entry)));
		const after = before.map((entry) => ({ ...entry, task: `${entry.task} Again.` }));
		const plan = planOfEntries(after, live);
		const out = text(plan);
		expect(out).toContain('-/+ replace  4 sessions from template shard\n');
		for (const [index, session] of live.entries())
			expect(out).toContain(`        ${before[index]!.key}  ${session.id} "Migrate `);
		const plain = text(planOfEntries(untemplated(after), live));
		expect(out.slice(0, out.indexOf('-/+'))).toBe(plain.slice(0, plain.indexOf('-/+')));
		expect(out.slice(out.indexOf('\nPlan:'))).toBe(plain.slice(plain.indexOf('\nPlan:')));
	});

	it('renders a lone action of a template, and plain entries, exactly as without templates', () => {
		const entries = [shard('only'), ...untemplated(items(3).map((item) => shard(item)))];
		expect(text(planOfEntries(entries))).toBe(text(planOfEntries(untemplated(entries))));
	});
});

describe('JSON plan: the template of each action', () => {
	it('keeps one action per key and names the template each came from', async () => {
		const entries = items(3).map((item) => shard(item));
		const live = [await liveFor(entries[0]!)];
		const changed = [{ ...entries[0]!, label: 'Renamed' }, ...entries.slice(1)];
		const plain = untemplated([shard('plain')]);
		const json = toPlanJson(viewOf(planOfEntries([...changed, ...plain], live)));
		expect(json.actions.map((a) => [a.kind, a.key, a.template])).toEqual([
			['create', 'shard.plain', undefined],
			['create', 'shard.svc-002', 'shard'],
			['create', 'shard.svc-003', 'shard'],
			['update', 'shard.svc-001', 'shard'],
		]);
		expect(json.actions.find((a) => a.key === 'shard.plain')).not.toHaveProperty('template');
		for (const action of json.actions) expect(action.desired).not.toHaveProperty('template');
	});
});

/**
 * The markdown plan of many actions from one template: one block per template and kind, what
 * they share once, a table of what differs naming every key; removals, hazards and counts as
 * prominent as without templates; plans without groups exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/render/index.js';
import { escapeMarkdown } from '../../src/render/markdown.js';
import { viewOf } from '../support/plan-builders.js';
import { liveFor } from '../support/session-builders.js';
import {
	HOSTILE,
	commandProblems,
	controlProblems,
	markdownProblems,
} from '../support/hostile-text.js';
import { items, planOfEntries, shard, untemplated } from '../support/template-plans.js';

const occurrences = (text: string, part: string): number => text.split(part).length - 1;
const markdown = (plan: Parameters<typeof viewOf>[0]): string => renderMarkdown(viewOf(plan));
/** Everything before the first action block: the summary, rails and notes. */
const headOf = (md: string): string => md.slice(0, md.indexOf('<code>', md.indexOf('\n\n**')));

describe('markdown plan: actions from one template', () => {
	it('shows 50 creates from one template in a few thousand characters, every key named', () => {
		const keys = items(50);
		const md = markdown(planOfEntries(keys.map((item) => shard(item))));
		expect(md.length).toBeLessThan(6_000);
		expect(md).toContain('<code>+ create</code> <b>50 sessions</b> from template <b>shard</b>');
		// Shared fields once, in the diff block a single create shows them in; what differs only
		// by the key's item, once, with the item as the spec writes it.
		expect(occurrences(md, '+ visibility: "private"')).toBe(1);
		expect(occurrences(md, '+ metadata.team: "platform"')).toBe(1);
		expect(md).toContain('+ task: "Migrate ${each.key} to the new queue in staging."\n');
		expect(md).toContain('+ label: "Migrate ${each.key}"\n');
		expect(md).toContain('+ repo: acme/${each.key}\n');
		// What differs otherwise, per key, every key named.
		expect(md).toContain('| key | metadata.owner |');
		for (const item of keys)
			expect(md).toMatch(new RegExp(`\\| shard\\.${item} \\| &#34;\\w+&#34; \\|`));
		expect(md).toContain(
			'| shard.svc-001 | &#34;payments&#34; |\n| shard.svc-002 | &#34;search&#34; |'
		);
	});

	it('shows env by key only, once, never a value', () => {
		const md = markdown(planOfEntries(items(5).map((item) => shard(item))));
		expect(occurrences(md, '+ env.API_TOKEN: (sensitive)')).toBe(1);
		expect(md).not.toContain('literal-token-value');
	});

	it('is far shorter than the same plan without the template, which truncates', () => {
		const entries = items(300).map((item) => shard(item));
		const grouped = markdown(planOfEntries(entries));
		const plain = markdown(planOfEntries(untemplated(entries)));
		expect(plain).toContain('_Details of');
		expect(grouped).not.toContain('_Details of');
		expect(grouped.length).toBeLessThan(60_000);
		for (const item of items(300)) expect(grouped).toContain(`| shard.${item} |`);
	});

	it('marks the lines of a multi-line task that differ, and shows them per key', () => {
		const task = (item: string) =>
			`Move the queue consumers to the new broker.\nService: ${item}\nKeep the old queue until the backlog is empty.\n`;
		const md = markdown(planOfEntries(items(3).map((item) => shard(item, { task: task(item) }))));
		expect(md).toContain(
			'+ task:\n+   Move the queue consumers to the new broker.\n+   Service: ${each.key}\n'
		);
		const differing = (item: string) =>
			`Move the queue consumers to the new broker.\nService: ${item}\nOwner: ${item.toUpperCase()}\n`;
		const other = markdown(
			planOfEntries(items(3).map((item) => shard(item, { task: differing(item) })))
		);
		expect(other).toContain('    … differs per key (below)\n```');
		expect(other).toContain(
			'| shard.svc-002 | &#34;search&#34; | Service: svc-002 ⏎ Owner: SVC-002 |'
		);
	});

	it('groups updates with each key’s session, and names the changed fields when collapsed', async () => {
		const before = items(12).map((item) => shard(item));
		const live = await Promise.all(before.map((entry) => liveFor(entry)));
		const after = before.map((entry) => ({ ...entry, tags: ['migration', 'wave-2'] }));
		const md = markdown(planOfEntries(after, live));
		expect(md).toContain(
			'<code>&#126; update</code> <b>12 sessions</b> from template <b>shard</b>'
		);
		expect(occurrences(md, '! tags: +wave-2')).toBe(1);
		for (const [index, session] of live.entries())
			expect(md).toContain(`| ${before[index]!.key} | ${escapeMarkdown(session.id)} &#34;Migrate `);
		expect(md).not.toContain('<details>');
		// Among more than ten blocks, collapsed: the summary names the changed field.
		const many = after.map((entry, i) => ({ ...entry, template: `t${i % 11}` }));
		const collapsed = markdown(planOfEntries(many, live));
		expect(collapsed).toContain(
			'<details><summary><code>&#126; update</code> <b>2 sessions</b> from template <b>t0</b> — differs from the spec · changes tags</summary>'
		);
	});

	it('keeps removals first and the rails, counts and fingerprint exactly as without the template', async () => {
		const before = items(8).map((item) => shard(item));
		const live = await Promise.all(before.map((entry) => liveFor(entry)));
		// Four items removed, four with a new task (a replace each), and 20 new items.
		const after = [
			...before.slice(4).map((entry) => ({ ...entry, task: `${entry.task} Again.` })),
			...items(20, 'new').map((item) => shard(item)),
		];
		const grouped = markdown(planOfEntries(after, live));
		const plain = markdown(planOfEntries(untemplated(after), live));
		expect(grouped).toContain('refused by safety rails');
		expect(headOf(grouped)).toBe(headOf(plain));
		expect(grouped.slice(grouped.lastIndexOf('\n\n'))).toBe(plain.slice(plain.lastIndexOf('\n\n')));
		const archive = grouped.indexOf('<code>&#62; archive</code> <b>shard.svc-001</b>');
		const replace = grouped.indexOf(
			'<code>-/+ replace</code> <b>4 sessions</b> from template <b>shard</b>'
		);
		const create = grouped.indexOf('<code>+ create</code> <b>20 sessions</b>');
		expect(archive).toBeGreaterThan(0);
		expect(replace).toBeGreaterThan(archive);
		expect(create).toBeGreaterThan(replace);
		expect(grouped).toContain(
			'_task changed: a new session is created, then the old one archived._'
		);
		for (const session of live.slice(4))
			expect(grouped).toContain(`| ${escapeMarkdown(session.id)} &#34;Migrate`);
	});

	it('renders a lone action of a template, and plain entries, exactly as without templates', () => {
		const entries = [shard('only'), ...untemplated(items(3).map((item) => shard(item)))];
		const plan = planOfEntries(entries);
		expect(markdown(plan)).toBe(markdown(planOfEntries(untemplated(entries))));
	});

	it('escapes hostile text from a template in the shared block and the table', () => {
		const entries = items(3).map((item) =>
			shard(item, { label: `${item} ${HOSTILE}`, metadata: { owner: HOSTILE } })
		);
		const md = markdown(planOfEntries(entries));
		expect([
			...markdownProblems(md, 'grouped'),
			...commandProblems(md, 'grouped'),
			...controlProblems(md, 'grouped'),
		]).toEqual([]);
	});
});

import { describe, expect, it } from 'vitest';
import {
	MARKDOWN_LIMIT,
	renderJson,
	renderMarkdown,
	renderText,
	type PlanJsonV1,
} from '../../src/render/index.js';
import type { Action } from '../../src/plan/types.js';
import { liveRef, noop, planOf, viewOf } from '../support/plan-builders.js';
import { desired } from '../support/session-builders.js';

function creates(count: number, task = 'Work through one shard of the backlog.\n'): Action[] {
	return Array.from({ length: count }, (_, i) => {
		const key = `worker-${String(i + 1).padStart(4, '0')}`;
		return {
			kind: 'create',
			key,
			reason: 'not on the Hub yet',
			desired: desired(key, { label: `Worker ${i + 1}`, task, tags: ['migration'] }),
		};
	});
}

function archives(count: number): Action[] {
	return Array.from({ length: count }, (_, i) => ({
		kind: 'archive',
		key: `old-${i + 1}`,
		reason: 'removed from the spec; prune: archive',
		live: liveRef({ id: `ses_old_${i + 1}`, label: `Old ${i + 1}` }),
	}));
}

const detailsCount = (md: string): number => md.split('<details>').length - 1;

describe('markdown plan: open and collapsed actions', () => {
	it('shows each action of a small plan open, without <details>', () => {
		const md = renderMarkdown(viewOf(planOf([...creates(2), ...archives(1), noop('same')])));
		expect(md).not.toContain('<details');
		expect(md).toContain('<code>+ create</code> <b>worker-0001</b> — not on the Hub yet');
		expect(md).toContain('+ label: "Worker 2"');
		expect(md).toContain('- id: ses_old_1');
	});

	it('collapses each session of a plan of more than 10 changes', () => {
		const md = renderMarkdown(viewOf(planOf([...creates(8), ...archives(3)])));
		expect(detailsCount(md)).toBe(11);
	});

	it("names the changed fields in a collapsed section's summary line", () => {
		const update: Action = {
			kind: 'update',
			stamp: '{}',
			key: 'docs-review',
			reason: 'differs from the spec',
			live: liveRef({ id: 'ses_docs', label: 'Docs review' }),
			desired: desired('docs-review', { label: 'Docs', tags: ['docs', 'nightly'] }),
			changes: [
				{ field: 'label', before: 'Docs review', after: 'Docs' },
				{ field: 'tags', before: ['docs'], after: ['docs', 'nightly'] },
			],
		};
		const replace: Action = {
			kind: 'replace',
			key: 'triage',
			reason: 'task changed: a new session is created, then the old one archived',
			forcedBy: ['task'],
			live: liveRef({ id: 'ses_triage', label: 'Triage' }),
			desired: desired('triage', { task: 'Triage, briefly.\n' }),
			changes: [{ field: 'task', before: 'Triage.\n', after: 'Triage, briefly.\n' }],
		};
		const md = renderMarkdown(viewOf(planOf([...creates(9), update, replace])));
		expect(detailsCount(md)).toBe(11);
		expect(md).toContain(
			'<details><summary><code>&#126; update</code> <b>docs-review</b> <code>ses&#95;docs</code> &#34;Docs review&#34; — differs from the spec · changes label, tags</summary>'
		);
		expect(md).toMatch(/<b>triage<\/b>.*· changes task<\/summary>/);
		// A create changes no field of a session: its line says so already.
		expect(md).toContain('<b>worker-0001</b> — not on the Hub yet</summary>');
		// Open, the diff below says it: the line stays as it was.
		const open = renderMarkdown(viewOf(planOf([update])));
		expect(open).not.toContain('· changes');
	});

	it('collapses a small plan whose open details would not fit the budget', () => {
		const md = renderMarkdown(viewOf(planOf(creates(3))), { limit: 700 });
		expect(md.length).toBeLessThanOrEqual(700);
		for (const key of ['worker-0001', 'worker-0002', 'worker-0003']) expect(md).toContain(key);
		expect(md).not.toContain('+ label: "Worker 3"');
	});
});

describe('markdown plan: the size budget names every key', () => {
	it('lists the actions whose details do not fit, one line each (300 creates)', () => {
		const actions = creates(300, `${'A long task line for the session.\n'.repeat(8)}`);
		const md = renderMarkdown(viewOf(planOf(actions)));
		expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
		for (const action of actions) expect(md).toContain(action.key);
		const shown = detailsCount(md);
		expect(shown).toBeGreaterThan(10);
		expect(shown).toBeLessThan(300);
		expect(md).toContain(`_Details of ${300 - shown} actions are left out`);
		expect(md).toContain(`+ create  worker-0300\n`);
		expect(md).not.toMatch(/run plan locally|omitted/);
	});

	it('groups keys by kind when one line each does not fit (3,000 actions)', () => {
		const actions = [...creates(2_990), ...archives(10)];
		const md = renderMarkdown(viewOf(planOf(actions)));
		expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
		const words = new Set(md.split(/[\s,:<>]+/));
		const unnamed = actions.filter((action) => !words.has(action.key));
		expect(unnamed).toEqual([]);
		expect(md).toMatch(/^\+ create \(\d+\): worker-\d{4}, worker-\d{4}, /m);
		expect(md).not.toMatch(/run plan locally/);
	});

	it('names every key of a session listed with its id when the line fits', () => {
		const md = renderMarkdown(viewOf(planOf([...archives(400), ...creates(10)])));
		expect(md).toMatch(/^> archive {2}old-400 {2}ses_old_400$/m);
	});

	it('counts the keys it cannot name when even the grouped list does not fit', () => {
		const md = renderMarkdown(viewOf(planOf(creates(3_000))), { limit: 5_000 });
		expect(md.length).toBeLessThanOrEqual(5_000);
		expect(md).toMatch(/… [\d]+ more keys not named here/);
	});

	it('uses a given limit, as the step summary does', () => {
		const actions = creates(300);
		const md = renderMarkdown(viewOf(planOf(actions)), { limit: 1024 * 1024 });
		expect(detailsCount(md)).toBe(300);
		expect(md).not.toContain('Details of');
	});
});

describe('markdown plan: notes, warnings and the run link', () => {
	const note = 'repo check skipped: the local Hub has no GitHub fixture <x>';

	it('puts the notes near the top, escaped', () => {
		const md = renderMarkdown(viewOf(planOf(creates(1)), { notes: [note] }));
		expect(md).toContain(
			'**Notes**\n- repo check skipped: the local Hub has no GitHub fixture &#60;x&#62;'
		);
		expect(md.indexOf('**Notes**')).toBeLessThan(md.indexOf('worker-0001'));
	});

	it('lists the notes in JSON, and not in text (they went to stderr)', () => {
		const view = viewOf(planOf(creates(1)), { notes: [note] });
		expect((JSON.parse(renderJson(view)) as PlanJsonV1).notes).toEqual([note]);
		expect((JSON.parse(renderJson(viewOf(planOf([])))) as PlanJsonV1).notes).toEqual([]);
		expect(renderText(view, { color: false })).not.toContain('repo check skipped');
	});

	it('writes warnings as a blockquote with a bold lead, not GitHub-only alerts', () => {
		const plan = planOf([...archives(1)], {
			hazards: [{ kind: 'protected', keys: ['old-1'] }],
		});
		const md = renderMarkdown(viewOf(plan, { stale: ['This saved plan is stale.'] }));
		expect(md).not.toMatch(/\[!(WARNING|CAUTION|NOTE)\]/);
		expect(md).toContain('> **Warning:** refused by safety rails\n>\n> - Protected session');
		expect(md).toContain(
			'> **Caution:** this saved plan is stale\n>\n> - This saved plan is stale.'
		);
	});

	it('links the full plan when the run is known', () => {
		const runUrl = 'https://github.com/acme/agents/actions/runs/42';
		const md = renderMarkdown(viewOf(planOf(creates(1)), { runUrl }));
		expect(md).toContain(`Full plan: ${runUrl}`);
		expect(renderMarkdown(viewOf(planOf(creates(1))))).not.toContain('Full plan:');
	});
});

describe('markdown plan: notes and stale reasons within the budget', () => {
	const plan = planOf(creates(3));

	it('keeps the page under its limit whatever the notes hold, counting those left out', () => {
		// One note per unmanaged key with archived history, and one note naming thousands of things.
		const many = Array.from({ length: 5000 }, (_, i) => `note: key-${i}: history left alone`);
		const md = renderMarkdown(
			viewOf(plan, { notes: ['note: ' + 'VAR_X, '.repeat(20_000), ...many] })
		);
		expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
		expect(md).toContain('<b>worker-0003</b>');
		expect(md).toMatch(/\nFingerprint: <code>sha256:[0-9a-f]+<\/code>\n$/);
		expect(md).toMatch(/- note: VAR&#95;X, .*…\n/);
		expect(md).toMatch(
			/- _[\d,]+ more notes left out to keep this short; the text output shows them all\._/
		);
	});

	it('keeps a stale plan shown as markdown under its limit too', () => {
		const stale = Array.from(
			{ length: 8000 },
			(_, i) => `archive old-${i}: new since the plan was made`
		);
		const md = renderMarkdown(viewOf(plan, { stale: ['This saved plan is stale.', ...stale] }), {
			limit: 20_000,
		});
		expect(md.length).toBeLessThanOrEqual(20_000);
		expect(md).toContain('> - This saved plan is stale.');
		expect(md).toMatch(/> - _[\d,]+ more reasons left out/);
	});
});

import { describe, expect, it } from 'vitest';
import {
	MARKDOWN_LIMIT,
	PLAN_JSON_FORMAT_VERSION,
	RENDERERS,
	renderJson,
	renderMarkdown,
	renderText,
	type PlanJsonV1,
} from '../../src/render/index.js';
import type { PlanView } from '../../src/render/view.js';
import type { Action } from '../../src/plan/types.js';
import { hubCalls, liveRef, noop, planOf, viewOf } from '../support/plan-builders.js';
import { desired } from '../support/session-builders.js';

const SECRETS = ['${API_TOKEN}', 's3cr3t-literal', 'Bearer ${GH_TOKEN}'];

const CREATE_TASK = [
	'Inspect this repo and explain the current architecture.',
	'',
	'Cover:',
	'- the packages and how they depend on each other',
	'- the build and release pipeline',
	'- where configuration is read',
	'- how errors reach the user',
	'- the test layout',
	'- anything surprising',
	'',
	'Write the result to docs/architecture.md.',
	'Keep it under two pages.',
].join('\n');

const OLD_E2E = [
	'Run the end-to-end suite against the staging site.',
	'Use the chromium project only.',
	'Retry flaky tests once.',
	'Report failures in #web-e2e.',
	'Attach traces for failures.',
	'Keep screenshots for 7 days.',
	'Close the session when done.',
].join('\n');

const NEW_E2E = OLD_E2E.replace('chromium project only', 'chromium and webkit projects').replace(
	'Close the session when done.',
	'Open an issue for each new failure.\nClose the session when done.'
);

function richView(): PlanView {
	const actions: Action[] = [
		{
			kind: 'create',
			key: 'architecture-review',
			reason: 'not on the Hub yet',
			desired: desired('architecture-review', {
				task: `${CREATE_TASK}\n`,
				label: 'Architecture review',
				visibility: 'organization',
				tags: ['managed', 'architecture'],
				workflowMode: 'standard',
				repo: { owner: 'agentuity', name: 'sdk', branch: 'main' },
				metadata: { ticket: 'DOCS-123' },
				env: { API_TOKEN: '${API_TOKEN}', LITERAL: 's3cr3t-literal' },
			}),
		},
		{
			kind: 'update',
			stamp: '{}',
			key: 'docs-bot',
			reason: 'differs from the spec',
			live: liveRef({ id: 'ses_002', label: 'Docs bot' }),
			desired: desired('docs-bot', {
				task: 'Task for docs-bot.\n',
				label: 'Docs assistant',
				protect: true,
			}),
			changes: [
				{ field: 'label', before: 'Docs bot', after: 'Docs assistant' },
				{ field: 'visibility', before: 'private', after: 'organization' },
				{ field: 'tags', before: ['managed', 'old'], after: ['managed', 'nightly'] },
				{
					field: 'metadata',
					before: { ticket: 'DOCS-1', owner: 'bob', 'coder-sessions/applied': 'abc' },
					after: { ticket: 'DOCS-2', team: 'docs', owner: 'bob', 'coder-sessions/applied': 'def' },
				},
				{ field: 'protect', before: false, after: true },
			],
		},
		{
			kind: 'replace',
			key: 'web-e2e',
			reason: 'create-time fields differ from the last apply',
			live: liveRef({ id: 'ses_003', label: 'Web E2E' }),
			desired: desired('web-e2e', {
				task: NEW_E2E,
				env: { GH_TOKEN: 'Bearer ${GH_TOKEN}', API_TOKEN: '${API_TOKEN}' },
			}),
			forcedBy: ['task', 'env'],
			changes: [
				{ field: 'task', before: OLD_E2E, after: NEW_E2E },
				{
					field: 'env',
					viaDigest: true,
					envKeys: [
						{ key: 'API_TOKEN', change: 'changed' },
						{ key: 'GH_TOKEN', change: 'added' },
						{ key: 'OLD_TOKEN', change: 'removed' },
						{ key: 'SAME', change: 'unchanged' },
					],
				},
			],
		},
		{
			kind: 'dedupe',
			key: 'docs-bot',
			reason: 'duplicate of docs-bot',
			live: liveRef({ id: 'ses_009', label: 'Docs bot', createdAt: '2025-03-04T05:06:07.000Z' }),
			keep: 'ses_002',
		},
		{
			kind: 'archive',
			key: 'old-experiment',
			reason: 'state: archived in the spec',
			live: liveRef({ id: 'ses_004', label: 'Old experiment' }),
		},
		{
			kind: 'delete',
			key: 'api-review',
			reason: 'removed from the spec; prune: delete',
			live: liveRef({ id: 'ses_005', label: 'API review', protect: true }),
		},
		{
			kind: 'delete',
			key: 'old-spike',
			reason: 'removed from the spec; prune: delete',
			live: liveRef({ id: 'ses_006', label: 'Old spike' }),
		},
		...Array.from({ length: 8 }, (_, i) => noop(`steady-${i + 1}`, { id: `ses_1${i}` })),
	];
	const plan = planOf(actions, {
		prune: 'delete',
		hazards: [
			{ kind: 'protected', keys: ['api-review'] },
			{
				kind: 'bulk-removal',
				removals: 4,
				managed: 14,
				thresholdPct: 25,
				byKind: { archive: 1, delete: 2, replace: 1 },
			},
		],
		counts: { managed: 14, otherStacks: 3, unmanaged: 409 },
	});
	return viewOf(plan, { hubCalls: hubCalls({ list: 2, get: 426 }) });
}

describe('plan renderers', () => {
	it('renders the text plan', async () => {
		await expect(renderText(richView(), { color: false })).toMatchFileSnapshot(
			'__snapshots__/plan.txt'
		);
	});

	it('renders the markdown plan', async () => {
		await expect(renderMarkdown(richView())).toMatchFileSnapshot('__snapshots__/plan.md.txt');
	});

	it('renders the JSON plan', async () => {
		await expect(renderJson(richView())).toMatchFileSnapshot('__snapshots__/plan.json.txt');
	});

	it('colours text only when asked', () => {
		expect(renderText(richView(), { color: true })).toContain('\u001b[');
		expect(renderText(richView(), { color: false })).not.toContain('\u001b[');
		expect(renderMarkdown(richView())).not.toContain('\u001b[');
	});

	it('says so when nothing changes', () => {
		const view = viewOf(
			planOf([noop('a'), noop('b')], { counts: { managed: 2, otherStacks: 1, unmanaged: 0 } })
		);
		expect(renderText(view, { color: false })).toMatchInlineSnapshot(`
			"coder-sessions plan for stack docs-team (examples/sessions.yaml)

			No changes. The Hub matches the spec (2 sessions).
			Left alone: 1 session not managed by this stack (1 of other stacks, 0 unmarked).
			Fingerprint: sha256:3f9a0c1d2b4e…
			"
		`);
		expect(renderMarkdown(view)).toContain(
			'**No changes.** The Hub matches the spec (2 sessions).'
		);
	});

	it('keeps markdown under the budget and still names every key', () => {
		const actions: Action[] = Array.from({ length: 2000 }, (_, i) => ({
			kind: 'update',
			stamp: '{}',
			key: `session-${String(i).padStart(4, '0')}`,
			reason: 'differs from the spec',
			live: liveRef({ id: `ses_${i}`, label: `Session ${i}` }),
			desired: desired(`session-${i}`),
			changes: [
				{ field: 'label', before: `Session ${i}`, after: `Session number ${i}` },
				{ field: 'tags', before: ['a'], after: ['a', 'b'] },
			],
		}));
		const md = renderMarkdown(viewOf(planOf(actions)));
		expect(md.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
		for (const action of actions) expect(md).toContain(action.key);
		const shown = md.split('<details>').length - 1;
		expect(shown).toBeGreaterThan(10);
		const leftOut =
			/_Details of ([\d,]+) actions are left out to stay under 60,000 characters/.exec(md);
		expect(Number(leftOut?.[1]?.replace(/,/g, ''))).toBe(2000 - shown);
		expect(md).not.toMatch(/run plan locally/);
		expect(md.trimEnd().split('\n').at(-1)).toMatch(/^Fingerprint: <code>sha256:/);
	});

	it('escapes labels and keys in markdown', () => {
		const label = 'evil | label <script>alert(1)</script> `x`';
		const md = renderMarkdown(
			viewOf(
				planOf([{ kind: 'archive', key: 'k', reason: 'removed <b>', live: liveRef({ label }) }])
			)
		);
		const summary = md.split('\n').find((line) => line.startsWith('<code>&#62; archive')) ?? '';
		expect(summary).not.toMatch(/<script>|\||`/);
		expect(summary).toContain('&#60;script&#62;');
		// Inside a fenced block the label is code, so only the text outside fences matters.
		const outsideFences = md.replace(/^```diff\n[\s\S]*?^```$/gm, '');
		expect(outsideFences).toContain('<b>k</b>');
		expect(outsideFences).not.toContain('<script>');
	});

	it('explains each hazard in words a person acts on', () => {
		const keys = Array.from({ length: 12 }, (_, i) => `keep-${i + 1}`);
		const plan = planOf([noop('a')], {
			hazards: [
				{ kind: 'empty-spec', managed: 7 },
				{ kind: 'protected', keys },
			],
			removals: 7,
		});
		const head = renderText(viewOf(plan, { stale: ['ses_1 changed since the plan was saved'] }), {
			color: false,
		}).split('\n\nNo changes')[0];
		expect(head).toMatchInlineSnapshot(`
			"coder-sessions plan for stack docs-team (examples/sessions.yaml)

			Warnings:
			  ! ses_1 changed since the plan was saved

			Refused by safety rails:
			  ! The spec declares no sessions but the stack has 7; apply refuses unless --allow-removals 7.
			  ! Protected sessions keep-1, keep-2, keep-3, keep-4, keep-5, keep-6, keep-7, keep-8, keep-9, keep-10 and 2 more would be removed; first apply their entries with \`protect: false\` (add them back if they were removed).
			  ! To let exactly these removals pass from the pull request, set \`allowRemovals: 7\` in the spec."
		`);
	});

	it('collapses unchanged task lines and keeps fences intact', () => {
		const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
		const after = before.replace('line 15', 'line fifteen\n```sh\nrm -rf /\n```');
		const action: Action = {
			kind: 'replace',
			key: 'long-task',
			reason: 'task differs',
			live: liveRef({ id: 'ses_7', label: 'Long task' }),
			desired: desired('long-task', { task: after }),
			forcedBy: ['task'],
			changes: [
				{ field: 'task', before, after },
				{ field: 'workspaceId', after: 'ws_2', viaDigest: true },
			],
		};
		const view = viewOf(planOf([action]));
		expect(renderText(view, { color: false })).toMatchInlineSnapshot(`
			"coder-sessions plan for stack docs-team (examples/sessions.yaml)

			-/+ replace  long-task  ses_7 "Long task"
			      # task changed: a new session is created, then the old one archived
			      # task differs
			      ~ task:
			          … 12 unchanged lines
			          line 13
			          line 14
			        - line 15
			        + line fifteen
			        + \`\`\`sh
			        + rm -rf /
			        + \`\`\`
			          line 16
			          line 17
			          … 13 unchanged lines
			      ~ workspaceId: (unknown) -> "ws_2"  # differs from the last apply

			Plan: 0 to create, 0 to update, 1 to replace, 0 to archive, 0 to delete.
			Fingerprint: sha256:3f9a0c1d2b4e…
			"
		`);
		const md = renderMarkdown(view);
		expect(md).toContain('````diff\n');
		expect(md).toContain('    … 12 unchanged lines\n');
	});

	it('emits versioned JSON that parses', () => {
		const json = JSON.parse(renderJson(richView())) as PlanJsonV1;
		expect(json.formatVersion).toBe(1);
		expect(PLAN_JSON_FORMAT_VERSION).toBe(1);
		expect(json.summary).toEqual({
			create: 1,
			adopt: 0,
			update: 1,
			replace: 1,
			dedupe: 1,
			archive: 1,
			delete: 2,
			forget: 0,
			noop: 8,
		});
		expect(json.actions[0]?.desired?.envKeys).toEqual(['API_TOKEN', 'LITERAL']);
		expect(json.actions[0]?.desired).not.toHaveProperty('env');
		expect(json.actions[0]?.desired).not.toHaveProperty('source');
	});

	it('never prints env values or templates', () => {
		for (const [format, render] of Object.entries(RENDERERS)) {
			for (const color of [false, true]) {
				const out = render(richView(), { color });
				for (const secret of SECRETS)
					expect(out, `${format} leaks ${secret}`).not.toContain(secret);
				expect(out).toContain('API_TOKEN');
			}
		}
	});
});

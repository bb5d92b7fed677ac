/**
 * Plans of kinds other than sessions (agents, workspaces, skill buckets), from hand-made
 * ResourcePlan values: each action shown as a session's, in text, markdown and JSON, and
 * apply's lines on them.
 */
import { describe, expect, it } from 'vitest';
import type { ApplyResult, ResourceOutcome } from '../../src/apply/events.js';
import type { Action, ResourceAction, ResourcePlan } from '../../src/plan/types.js';
import { resourceOutcomeLine, summaryLines } from '../../src/render/apply-report.js';
import { resourceActionJson } from '../../src/render/apply-resources.js';
import {
	MARKDOWN_LIMIT,
	plainStyle,
	renderJson,
	renderMarkdown,
	renderText,
	type PlanJsonV1,
} from '../../src/render/index.js';
import { CORPUS, HOSTILE, textProblems } from '../support/hostile-text.js';
import { noop, planOf, viewOf } from '../support/plan-builders.js';
import { desired } from '../support/session-builders.js';

const OLD_INSTRUCTIONS = [
	'You review pull requests.',
	'Check the tests first.',
	'Then read the diff.',
	'Be brief.',
].join('\n');
const NEW_INSTRUCTIONS = [
	'You review pull requests.',
	'Check the tests first.',
	'Then read the diff twice.',
	'Be brief.',
].join('\n');

const agentUpdate: ResourceAction = {
	kind: 'update',
	resource: 'agent',
	key: 'reviewer',
	qualifiedKey: 'agents.reviewer',
	level: 30,
	id: 'agt_1',
	verb: 'update and publish',
	reason: 'differs from the spec',
	dependsOn: ['skillBuckets.docs-kit'],
	desired: { instructions: NEW_INSTRUCTIONS, skills: ['docs-kit/lint', 'docs-kit/write'] },
	changes: [
		{ field: 'instructions', render: 'lines', before: OLD_INSTRUCTIONS, after: NEW_INSTRUCTIONS },
		{
			field: 'skills',
			render: 'list',
			before: ['docs-kit/lint', 'docs-kit/old'],
			after: ['docs-kit/lint', 'docs-kit/write'],
		},
		{
			field: 'bucket',
			render: 'value',
			before: 'docs-kit',
			after: 'docs-kit',
			because: 'skillBucket docs-kit is replaced',
		},
		{ field: 'model', render: 'text', before: 'small', after: 'large' },
	],
};

const bucketReplace: ResourceAction = {
	kind: 'replace',
	resource: 'skillBucket',
	key: 'docs-kit',
	qualifiedKey: 'skillBuckets.docs-kit',
	level: 10,
	id: 'skb_1',
	reason: 'the Hub cannot change repo after creation',
	forcedBy: ['repo'],
	changes: [{ field: 'repo', render: 'value', before: 'acme/old', after: 'acme/new' }],
};

const workspaceCreate: ResourceAction = {
	kind: 'create',
	resource: 'workspace',
	key: 'web',
	qualifiedKey: 'workspaces.web',
	level: 20,
	reason: 'not on the Hub',
	desired: { name: 'web', setupScript: 'npm ci\nnpm run build\n', skills: ['docs-kit/lint'] },
};

const agentArchive: ResourceAction = {
	kind: 'delete',
	resource: 'agent',
	key: 'old',
	qualifiedKey: 'agents.old',
	level: 30,
	id: 'agt_9',
	verb: 'archive',
	reason: 'no longer in the spec',
};

const resources = (actions: readonly ResourceAction[]): ResourcePlan => ({
	actions,
	managed: { agent: 2, skillBucket: 1 },
	notOwned: {},
});

const viewWith = (actions: readonly ResourceAction[]) =>
	viewOf(planOf([], { resources: resources(actions) }));

const ALL = [bucketReplace, workspaceCreate, agentUpdate, agentArchive];

const text = (actions: readonly ResourceAction[]) =>
	renderText(viewWith(actions), { color: false });

/** The block of lines of one action in the text plan, from its head to the blank line after it. */
function textBlock(output: string, head: string): string {
	const lines = output.split('\n');
	const start = lines.findIndex((line) => line.startsWith(head));
	expect(start, `no line starts with ${head}`).toBeGreaterThanOrEqual(0);
	const end = lines.findIndex((line, index) => index > start && line === '');
	return lines.slice(start, end).join('\n');
}

describe('the text plan of other kinds', () => {
	it('names each action by what the Hub does, then its key, kind, id, reason and dependencies', () => {
		const output = text(ALL);
		expect(output).toContain('-/+ replace  skillBuckets.docs-kit (skillBucket)  skb_1\n');
		expect(output).toContain('  + create   workspaces.web (workspace)\n');
		expect(output).toContain(
			'  - archive  agents.old (agent)  agt_9\n      # no longer in the spec\n'
		);
		expect(textBlock(output, '  ~ update and publish')).toMatch(
			/^ {2}~ update and publish agents\.reviewer \(agent\) {2}agt_1\n {6}# differs from the spec\n {6}# depends on skillBuckets\.docs-kit\n/
		);
	});

	it('shows a multi-line field as a line diff, a list by entries, text quoted, and why a reference changed', () => {
		expect(textBlock(text([agentUpdate]), '  ~ update and publish')).toBe(
			[
				'  ~ update and publish agents.reviewer (agent)  agt_1',
				'      # differs from the spec',
				'      # depends on skillBuckets.docs-kit',
				'      ~ instructions:',
				'          You review pull requests.',
				'          Check the tests first.',
				'        - Then read the diff.',
				'        + Then read the diff twice.',
				'          Be brief.',
				'      ~ skills: +docs-kit/write -docs-kit/old',
				'      ~ bucket: "docs-kit" -> "docs-kit" (because skillBucket docs-kit is replaced)',
				'      ~ model: "small" -> "large"',
			].join('\n')
		);
	});

	it("shows a created record's values, a multi-line text as its lines", () => {
		expect(textBlock(text([workspaceCreate]), '  + create')).toBe(
			[
				'  + create   workspaces.web (workspace)',
				'      # not on the Hub',
				'      + name: "web"',
				'      + skills: ["docs-kit/lint"]',
				'      + setupScript:',
				'          npm ci',
				'          npm run build',
			].join('\n')
		);
	});

	it('shows a multi-line field whose old text the Hub did not give as the new text', () => {
		const unknown: ResourceAction = {
			...agentUpdate,
			changes: [{ field: 'instructions', render: 'lines', after: 'line one\nline two' }],
		};
		expect(textBlock(text([unknown]), '  ~ update')).toContain(
			'      ~ instructions:\n        + line one\n        + line two'
		);
	});

	it("counts each kind by its verb, in the plan line and in each kind's summary", () => {
		const output = text([...ALL, { ...agentArchive, key: 'older', qualifiedKey: 'agents.older' }]);
		expect(output).toContain(
			'Plan: 1 skillBucket to replace, 1 workspace to create, 1 agent to update and publish, 2 agents to archive.\n'
		);
		expect(output).toContain('agent: 1 to update and publish, 2 to archive.\n');
		expect(output).toContain('skillBucket: 1 to replace.\n');
	});

	it('prints no terminal escape and no workflow command, whatever the Hub and the spec hold', () => {
		const view = viewWith(hostileActions());
		const plain = renderText(view, { color: false });
		const coloured = renderText(view, { color: true });
		expect([
			...textProblems(plain, 'text', 'plan text'),
			...textProblems(coloured.replace(/\x1b\[\d+m/g, ''), 'text', 'plan colour'),
		]).toEqual([]);
		expect(plain).toContain('TASKTAIL');
	});
});

/** Every field an action on another kind shows, holding the hostile corpus. */
function hostileActions(): ResourceAction[] {
	const lines = [...CORPUS, '```', '````', 'TASKTAIL'].join('\n');
	const base = {
		resource: `agent ${HOSTILE}`,
		key: HOSTILE,
		qualifiedKey: `agents.${HOSTILE}`,
		level: 30,
		reason: HOSTILE,
		dependsOn: [HOSTILE],
	};
	return [
		{
			...base,
			kind: 'create',
			desired: { [HOSTILE]: lines, name: HOSTILE, skills: CORPUS, env: { [HOSTILE]: HOSTILE } },
		},
		{
			...base,
			kind: 'update',
			id: HOSTILE,
			verb: HOSTILE,
			changes: [
				{ field: HOSTILE, render: 'lines', before: `${lines}\nold`, after: lines },
				{ field: 'skills', render: 'list', before: CORPUS, after: [HOSTILE] },
				{ field: 'model', render: 'text', before: HOSTILE, after: 'x', because: HOSTILE },
				{ field: 'entries', render: 'entries', before: {}, after: { [HOSTILE]: HOSTILE } },
				{ field: 'repo', render: 'repo', after: { owner: HOSTILE, name: HOSTILE } },
			],
		},
		{ ...base, kind: 'delete', id: HOSTILE, verb: 'archive', keeps: HOSTILE },
	];
}

describe('the markdown plan of other kinds', () => {
	it('shows each action as a session: a summary line, then a diff block', () => {
		const output = renderMarkdown(viewWith([agentUpdate]));
		expect(output).toContain('**1 agent to update and publish** · no session changes');
		expect(output).toContain(
			'<code>&#126; update and publish</code> <b>agents.reviewer</b> (agent) <code>agt&#95;1</code> — differs from the spec\n\n_depends on skillBuckets.docs-kit._\n\n'
		);
		expect(output).toContain(
			[
				'```diff',
				'! instructions:',
				'    You review pull requests.',
				'    Check the tests first.',
				'-   Then read the diff.',
				'+   Then read the diff twice.',
				'    Be brief.',
				'! skills: +docs-kit/write -docs-kit/old',
				'- bucket: "docs-kit"',
				'+ bucket: "docs-kit" (because skillBucket docs-kit is replaced)',
				'- model: "small"',
				'+ model: "large"',
				'```',
			].join('\n')
		);
	});

	it("names the other kinds' changes beside the sessions' in the head", () => {
		const create: Action = {
			kind: 'create',
			key: 's',
			reason: 'not on the Hub',
			desired: desired('s'),
		};
		const plan = planOf([create, noop('a')], { resources: resources([agentArchive]) });
		expect(renderMarkdown(viewOf(plan))).toContain(
			'**1 to create, 0 to update, 0 to replace, 0 to archive, 0 to delete** · 1 agent to archive · 1 unchanged'
		);
	});

	it('collapses each action into a details block in a larger plan, naming the changed fields', () => {
		const many = Array.from({ length: 11 }, (_, index) => ({
			...agentUpdate,
			key: `reviewer-${index}`,
			qualifiedKey: `agents.reviewer-${index}`,
		}));
		const output = renderMarkdown(viewWith(many));
		expect(output.match(/<details><summary>/g)).toHaveLength(11);
		expect(output).toContain(
			'<details><summary><code>&#126; update and publish</code> <b>agents.reviewer-0</b> (agent) <code>agt&#95;1</code> — differs from the spec · changes instructions, skills, bucket, model</summary>'
		);
	});

	it('lists each action on one line when the details do not fit', () => {
		const output = renderMarkdown(viewWith(ALL), { limit: 900 });
		expect(output).toContain(
			[
				'```text',
				'-/+ replace           skillBuckets.docs-kit (skillBucket)  skb_1',
				'+ create              workspaces.web (workspace)',
				'~ update and publish  agents.reviewer (agent)  agt_1',
				'- archive             agents.old (agent)  agt_9',
				'```',
			].join('\n')
		);
		expect(output).not.toContain('```diff');
		expect(output).toContain('_Details of 4 actions are left out to stay under 900 characters');
	});

	it('names as many actions as fit and counts the rest, beside thousands of sessions too', () => {
		const many = Array.from({ length: 3000 }, (_, index) => ({
			...workspaceCreate,
			key: `workspace-with-a-long-name-${index}`,
			qualifiedKey: `workspaces.workspace-with-a-long-name-${index}`,
		}));
		const output = renderMarkdown(viewWith(many));
		expect(output.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
		expect(output).toContain('+ create  workspaces.workspace-with-a-long-name-0 (workspace)\n');
		expect(output).toMatch(/\n… [\d,]+ more actions not named here\n```/);
		expect(output).toContain('workspace: 3000 to create.');

		const creates: Action[] = Array.from({ length: 3000 }, (_, index) => ({
			kind: 'create',
			key: `session-${index}`,
			reason: 'not on the Hub',
			desired: desired(`session-${index}`),
		}));
		const both = renderMarkdown(viewOf(planOf(creates, { resources: resources(many) })));
		expect(both.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
		expect(both).toContain('session-0');
		expect(both).toMatch(/Fingerprint: <code>sha256:[0-9a-f]+<\/code>\n$/);
	});

	it('renders hostile values as the text they are, open, collapsed and listed', () => {
		const actions = hostileActions();
		const outputs = {
			open: renderMarkdown(viewWith(actions)),
			collapsed: renderMarkdown(viewWith(Array.from({ length: 4 }, () => actions).flat()), {
				limit: 1_000_000,
			}),
			listed: renderMarkdown(viewWith(actions), { limit: 3000 }),
		};
		expect(
			Object.entries(outputs).flatMap(([how, output]) =>
				textProblems(output, 'markdown', `plan markdown ${how}`)
			)
		).toEqual([]);
		expect(outputs.open).toContain('TASKTAIL');
		expect(outputs.collapsed).toContain('<details>');
		expect(outputs.listed).toContain('```text');
	});
});

describe('the JSON plan of other kinds', () => {
	it('gives each action its kind, verb, reason, changes with why, and dependencies', () => {
		const json = JSON.parse(renderJson(viewWith(ALL))) as PlanJsonV1;
		expect(json.formatVersion).toBe(1);
		expect(json.resources?.actions.map((action) => [action.kind, action.verb])).toEqual([
			['replace', 'replace'],
			['create', 'create'],
			['update', 'update and publish'],
			['delete', 'archive'],
		]);
		expect(json.resources?.actions[2]).toMatchObject({
			kind: 'update',
			resource: 'agent',
			key: 'reviewer',
			qualifiedKey: 'agents.reviewer',
			verb: 'update and publish',
			reason: 'differs from the spec',
			id: 'agt_1',
			dependsOn: ['skillBuckets.docs-kit'],
			desired: agentUpdate.desired,
		});
		expect(json.resources?.actions[2]?.changes?.[2]).toEqual({
			field: 'bucket',
			before: 'docs-kit',
			after: 'docs-kit',
			because: 'skillBucket docs-kit is replaced',
			render: 'value',
		});
		expect(json.resources?.managed).toEqual({ agent: 2, skillBucket: 1 });
	});

	it('keeps hostile values as they are, in valid JSON', () => {
		const output = renderJson(viewWith(hostileActions()));
		expect(textProblems(output, 'json', 'plan json')).toEqual([]);
		const json = JSON.parse(output) as PlanJsonV1;
		expect(json.resources?.actions[1]?.changes?.[2]?.because).toBe(HOSTILE);
	});
});

function applyResult(outcomes: readonly ResourceOutcome[]): ApplyResult {
	return {
		outcomes: [],
		duplicatesArchived: [],
		notConverged: [],
		otherWrites: [],
		runId: 'run_test',
		resourceOutcomes: outcomes,
	};
}

describe("apply's lines on other kinds", () => {
	const outcomes: ResourceOutcome[] = [
		{ action: bucketReplace, status: 'failed', message: 'the Hub refused the repo' },
		{
			action: agentUpdate,
			status: 'not-attempted',
			message: 'depends on skillBuckets.docs-kit, which did not succeed',
		},
		{ action: agentArchive, status: 'applied' },
		{ action: { ...agentArchive, key: 'older', qualifiedKey: 'agents.older' }, status: 'applied' },
	];

	it('name each action by what the Hub does', () => {
		expect(resourceOutcomeLine(outcomes[2]!, plainStyle)).toBe(
			'  applied  archive agents.old (agent)'
		);
		expect(
			resourceOutcomeLine({ action: agentUpdate, status: 'applied', id: 'agt_1' }, plainStyle)
		).toBe('  applied  update and publish agents.reviewer (agent) (agt_1)');
		expect(resourceActionJson(agentArchive, outcomes[2])).toMatchObject({
			kind: 'delete',
			verb: 'archive',
			status: 'applied',
		});
	});

	it('sum up what was done in its words, and which dependency kept an action from being attempted', () => {
		expect(summaryLines(applyResult(outcomes), 'docs-team')).toEqual([
			'Apply finished: 2 applied, 1 failed, 0 skipped, 0 unknown, 1 not attempted.',
			'Applied 2 of 4 on other kinds: 2 archived agents.',
			'Not attempted: update and publish agents.reviewer (agent): depends on skillBuckets.docs-kit, which did not succeed',
		]);
		expect(
			summaryLines(applyResult([{ action: agentUpdate, status: 'applied' }]), 'docs-team')
		).toContain('Applied 1 of 1 on other kinds: 1 updated and published agent.');
	});
});

/**
 * `export` of the other kinds (saved skills, skill buckets, agents, workspaces): the records the
 * stack owns, each under the key its description's marker names, with references written as the
 * keys of the exported entries (README "Agents, workspaces, saved skills and skill buckets").
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILT_IN_KINDS } from '../../../src/kinds/table.js';
import type {
	AgentRecord,
	SkillBucketRecord,
	SkillRecord,
	WorkspaceRecord,
} from '../../../src/kinds/stores/coder-port.js';
import { exportResourceSections, sectionText } from '../../../src/spec/export/resource-sections.js';
import { parseSpec } from '../../../src/spec/merge.js';

const marked = (stack: string, key: string, extra = '') =>
	`[coder-sessions ${stack}/${key}${extra}]`;

const skill = (id: string, skillId: string, description: string): SkillRecord => ({
	id,
	source: 'registry',
	repo: 'acme/skills',
	skillId,
	name: skillId,
	description,
});

const agent = (id: string, slug: string, description: string, fields: Partial<AgentRecord> = {}) =>
	({
		id,
		slug,
		displayName: slug,
		description,
		instructions: `Instructions of ${slug}.`,
		headlessCompatible: true,
		tools: [],
		serviceTools: [],
		savedSkills: [],
		companionAgents: [],
		lifecycle: 'published',
		hasPublishedVersion: true,
		hasUnpublishedChanges: false,
		...fields,
	}) satisfies AgentRecord;

const workspace = (id: string, description: string, fields: Partial<WorkspaceRecord> = {}) =>
	({
		id,
		name: id,
		description,
		scope: 'org',
		repos: [],
		dependencies: [],
		setupScript: '',
		systemPrompt: '',
		systemPromptMode: 'append',
		savedSkillIds: [],
		skillBucketIds: [],
		enabledAgents: [],
		...fields,
	}) satisfies WorkspaceRecord;

// Listed out of id order, as the Hub may list them.
const skills: SkillRecord[] = [
	skill('sk_3', 'lint-copy', marked('team', 'lint')),
	skill('sk_2', 'lint', marked('team', 'lint')),
	skill('sk_1', 'docs', `Writes the docs.\n\n${marked('team', 'docs')}`),
	skill('sk_9', 'theirs', marked('other', 'theirs')),
	skill('sk_8', 'by-hand', 'made in the UI'),
];
const buckets: SkillBucketRecord[] = [
	{
		id: 'bk_1',
		name: 'core',
		description: marked('team', 'core'),
		skills: [skills[2]!, skills[3]!],
	},
];
const agents: AgentRecord[] = [
	agent('ag_2', 'helper', marked('team', 'helper-agent')),
	agent('ag_1', 'reviewer', marked('team', 'review', ' protect'), {
		instructions: 'Review the change.\nName each risk.',
		headlessCompatible: false,
		// What the Hub leaves empty is its default: written, it would be a value to compare.
		model: '',
		thinkingLevel: null as unknown as string,
		savedSkills: [
			{ repo: 'acme/skills', skillId: 'lint' },
			{ repo: 'acme/other', skillId: 'unsaved' },
		],
		companionAgents: ['lead', 'helper'],
	}),
	agent('ag_7', 'gone', marked('team', 'gone'), { lifecycle: 'archived' }),
];
const workspaces: WorkspaceRecord[] = [
	workspace('ws_1', marked('team', 'main'), {
		name: 'main',
		repos: [{ owner: 'acme', name: 'app', fullName: 'acme/app' }],
		dependencies: ['ripgrep'],
		savedSkillIds: ['sk_1', 'sk_9'],
		skillBucketIds: ['bk_1'],
		// Agents are named by slug: an agent's id is no handle, and stays as it is.
		enabledAgents: ['helper', 'ag_1', 'scout'],
	}),
	workspace('ws_2', marked('other', 'main'), { systemPrompt: 'not ours' }),
];

const live = new Map<string, readonly unknown[]>([
	['skill', skills],
	['skillBucket', buckets],
	['agent', agents],
	['workspace', workspaces],
]);

describe('export of the other kinds', () => {
	// Computed in each test, not once when the tests are collected.
	const exportTeam = () => exportResourceSections(BUILT_IN_KINDS, 'team', live);

	it('writes each record the stack owns under its key, sections by level, keys in order', () => {
		const exported = exportTeam();
		expect(exported.text).toBe(
			[
				'skills:',
				'  docs:',
				'    name: docs',
				'    description: Writes the docs.',
				'    repo: acme/skills',
				'    skillId: docs',
				'    source: registry',
				'  lint:',
				'    name: lint',
				'    repo: acme/skills',
				'    skillId: lint',
				'    source: registry',
				'skillBuckets:',
				'  core:',
				'    name: core',
				'    savedSkills:',
				'      - docs',
				'      - sk_9',
				'agents:',
				'  helper-agent:',
				'    slug: helper',
				'    displayName: helper',
				'    instructions: Instructions of helper.',
				'    headlessCompatible: true',
				'  review:',
				'    slug: reviewer',
				'    displayName: reviewer',
				'    instructions: |-',
				'      Review the change.',
				'      Name each risk.',
				'    headlessCompatible: false',
				'    savedSkills:',
				'      - lint',
				'      - acme/other/unsaved',
				'    companionAgents:',
				'      - lead',
				'      - helper-agent',
				'    protect: true',
				'workspaces:',
				'  main:',
				'    name: main',
				'    scope: org',
				'    repos:',
				'      - owner: acme',
				'        name: app',
				'    dependencies:',
				'      - ripgrep',
				'    systemPromptMode: append',
				'    savedSkills:',
				'      - docs',
				'      - sk_9',
				'    skillBuckets:',
				'      - core',
				'    enabledAgents:',
				'      - helper-agent',
				'      - ag_1',
				'      - scout',
				'',
			].join('\n')
		);
		expect(exported.counts).toEqual({ skill: 2, skillBucket: 1, agent: 2, workspace: 1 });
	});

	it('writes the sections by level whatever the order of the kind table', () => {
		const exported = exportTeam();
		const reversed = [...BUILT_IN_KINDS].reverse();
		expect(exportResourceSections(reversed, 'team', live).text).toBe(exported.text);
	});

	it('gives each section its entries, as `export --write` adds them under the section', () => {
		const exported = exportTeam();
		expect(exported.blocks.map((block) => block.section)).toEqual([
			'skills',
			'skillBuckets',
			'agents',
			'workspaces',
		]);
		for (const { section, entries } of exported.blocks) {
			expect(entries.startsWith('  ')).toBe(true);
			expect(exported.text).toContain(`${section}:\n${entries}`);
		}
		expect(parse(exported.text)).toEqual(
			Object.fromEntries(
				exported.blocks.map(({ section, entries }) => [
					section,
					parse(`${section}:\n${entries}`)[section],
				])
			)
		);
	});

	it('exports the lowest id of a key two records hold, and names the other', () => {
		const exported = exportTeam();
		expect(exported.warnings).toEqual([
			'skills.lint: two records hold this key; sk_2 is exported, sk_3 left out',
		]);
	});

	it('leaves out records of other stacks, unmarked records and archived agents', () => {
		const exported = exportTeam();
		const sections = parse(exported.text) as Record<string, Record<string, unknown>>;
		expect(Object.keys(sections.skills!)).toEqual(['docs', 'lint']);
		expect(Object.keys(sections.agents!)).toEqual(['helper-agent', 'review']);
		expect(exported.text).not.toContain('theirs');
		expect(exported.text).not.toContain('by-hand');
		expect(exported.text).not.toContain('not ours');
		expect(exported.text).not.toContain('gone');
	});

	it('writes nothing for a stack that owns no record of these kinds', () => {
		expect(exportResourceSections(BUILT_IN_KINDS, 'nobody', live)).toEqual({
			text: '',
			blocks: [],
			counts: {},
			warnings: [],
			leftOut: [],
		});
		expect(exportResourceSections(BUILT_IN_KINDS, 'team', new Map())).toEqual({
			text: '',
			blocks: [],
			counts: {},
			warnings: [],
			leftOut: [],
		});
	});

	it('escapes text the spec would read as a template, and leaves out text no spec string can write', () => {
		const hub = new Map<string, readonly unknown[]>([
			[
				'agent',
				[
					agent('ag_1', 'rev', marked('t', 'rev'), {
						instructions: 'Write ${var.name} and ${each.key} literally.\n',
					}),
					agent('ag_2', 'make', marked('t', 'make'), { displayName: 'Make $${HOME}' }),
				],
			],
		]);
		const exported = exportResourceSections(BUILT_IN_KINDS, 't', hub);
		expect(exported.warnings).toEqual([
			'agents.make: displayName left out: the Hub\'s value holds "$${" (or "{" after another even number of "$"), which a spec string reads as "${"',
		]);
		const sections = parse(exported.text) as { agents: Record<string, Record<string, unknown>> };
		expect(sections.agents.rev?.instructions).toBe(
			'Write $${var.name} and $${each.key} literally.\n'
		);
		expect(sections.agents.make).not.toHaveProperty('displayName');
		const read = parseSpec([
			{ file: 's.yaml', text: `version: 1\nstack: t\nsessions: {}\n${exported.text}` },
		]);
		expect(read.ok && read.spec.resources?.find((entry) => entry.key === 'rev')).toMatchObject({
			values: { instructions: 'Write ${var.name} and ${each.key} literally.\n' },
		});
	});

	it('leaves out an empty id the Hub holds, so the exported spec validates', () => {
		const hub = new Map<string, readonly unknown[]>([
			[
				'workspace',
				[
					workspace('ws_1', marked('t', 'blank'), {
						dependencies: ['ripgrep'],
						enabledAgents: ['', 'scout'],
					}),
					workspace('ws_2', marked('t', 'fine'), { enabledAgents: ['scout'] }),
				],
			],
		]);
		const exported = exportResourceSections(BUILT_IN_KINDS, 't', hub);
		expect(exported.warnings).toEqual([
			"workspaces.blank: enabledAgents left out: the Hub's value is not one the spec allows",
		]);
		const read = parseSpec([
			{ file: 's.yaml', text: `version: 1\nstack: t\nsessions: {}\n${exported.text}` },
		]);
		expect(read.ok).toBe(true);
	});

	it('writes a hidden character as a JSON escape, inert in a terminal, parsing back exactly', () => {
		const description = 'Colours \u001b[31mred\u001b[0m';
		const text = sectionText('skills', { lint: { description } });
		expect(text).toBe('skills:\n  lint:\n    description: "Colours \\u001b[31mred\\u001b[0m"\n');
		expect(parse(text)).toEqual({ skills: { lint: { description } } });
	});
});

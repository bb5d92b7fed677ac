/**
 * The rows of the Coder kinds, field by field: what a create and an update send, how a record is
 * told to be the stack's, the live values a plan compares (references as the Hub's handles),
 * collisions with records made by hand, and the checks of values taken together.
 */
import { describe, expect, it } from 'vitest';
import { agentKind, BUILT_IN_AGENTS } from '../../src/kinds/agent.js';
import { CODER_KINDS } from '../../src/kinds/coder-kinds.js';
import { markerLine } from '../../src/kinds/description-marker.js';
import { NO_LOOKUP, type KindField, type LiveLookup } from '../../src/kinds/kind.js';
import { skillBucketKind } from '../../src/kinds/skill-bucket.js';
import { skillKind } from '../../src/kinds/skill.js';
import type {
	AgentRecord,
	SkillRecord,
	WorkspaceRecord,
} from '../../src/kinds/stores/coder-port.js';
import { workspaceKind } from '../../src/kinds/workspace.js';

const owner = { stack: 'docs', key: 'style-guide' };
const marker = (key: string) => markerLine({ stack: 'docs', key });

function liveOf<Live>(
	fields: readonly KindField<Live>[],
	record: Live,
	lookup: LiveLookup = NO_LOOKUP
): Record<string, unknown> {
	return Object.fromEntries(fields.map((field) => [field.name, field.live(record, lookup)]));
}

const skill = (over: Partial<SkillRecord> = {}): SkillRecord => ({
	id: 'skill_0a1b2c3d4e5f',
	source: 'registry',
	repo: 'agentuity/skills',
	skillId: 'release-notes',
	name: 'Release notes',
	...over,
});

describe('the Coder kind table', () => {
	it('holds sessions and the four kinds by level, each named by section', () => {
		expect(CODER_KINDS.map((row) => [row.name, row.section, row.level, row.qualify])).toEqual([
			['session', 'sessions', 100, 'bare'],
			['skill', 'skills', 10, 'section'],
			['skillBucket', 'skillBuckets', 20, 'section'],
			['agent', 'agents', 30, 'section'],
			['workspace', 'workspaces', 40, 'section'],
		]);
	});
});

describe('the skill row', () => {
	it('creates a custom skill, its skill id and name defaulting to the key, with the marker', () => {
		expect(
			skillKind.createInput(owner, { content: '# Style', description: 'House style' })
		).toEqual({
			custom: true,
			skillId: 'style-guide',
			name: 'style-guide',
			description: `House style\n\n${marker('style-guide')}`,
			content: '# Style',
		});
	});

	it('saves a skill from a repository with every field the request has', () => {
		const values = {
			repo: 'agentuity/skills',
			skillId: 'release-notes',
			name: 'Release notes',
			url: 'https://example.com/r',
			source: 'github',
		};
		expect(skillKind.createInput({ stack: 'docs', key: 'notes' }, values)).toEqual({
			custom: false,
			...values,
			description: marker('notes'),
		});
	});

	it('saves again in place what the upsert keeps, and replaces a skill of another identity', () => {
		const changing = (onChange: string) =>
			skillKind.fields.filter((field) => field.onChange === onChange).map((field) => field.name);
		expect(changing('update')).toEqual(['name', 'description', 'content', 'url']);
		expect(changing('replace')).toEqual(['repo', 'skillId', 'source']);
		expect(skillKind.updateInput(owner, { content: '# New', repo: 'ignored' }, {})).toEqual({
			content: '# New',
			description: marker('style-guide'),
		});
	});

	it("is the stack's by the marker, and compares the description without it", () => {
		const record = skill({ description: `Notes\n\n${marker('notes')}` });
		expect(skillKind.ownerOf(record)).toEqual({ stack: 'docs', key: 'notes' });
		expect(skillKind.ownerOf(skill({ description: 'Notes' }))).toBeUndefined();
		expect(liveOf(skillKind.fields, record)).toMatchObject({
			description: 'Notes',
			repo: 'agentuity/skills',
			skillId: 'release-notes',
			content: undefined,
		});
		const custom = skill({ source: 'custom', repo: 'custom', content: '# S' });
		expect(liveOf(skillKind.fields, custom)).toMatchObject({ repo: undefined, content: '# S' });
	});

	it('refuses content and repo together, or neither, and repository fields on a custom skill', () => {
		expect(skillKind.check!({ repo: 'a/b' })).toEqual([]);
		expect(skillKind.check!({ content: '# S' })).toEqual([]);
		expect(skillKind.check!({ content: '# S', repo: 'a/b' }).map((p) => p.field)).toEqual(['repo']);
		expect(skillKind.check!({ name: 'x' }).map((p) => p.field)).toEqual(['content']);
		expect(skillKind.check!({ content: '# S', url: 'u' }).map((p) => p.field)).toEqual(['url']);
	});

	it('names a record made by hand that saving the skill would overwrite', () => {
		const values = { repo: 'agentuity/skills' };
		expect(skillKind.conflict!('release-notes', values, skill())).toBe(
			"saved skill skill_0a1b2c3d4e5f would be overwritten by this create (the Hub keeps one skill per repo and skillId: agentuity/skills/release-notes); it is not the stack's: adopt it (adopt: skill_0a1b2c3d4e5f), name it by its id (skill_0a1b2c3d4e5f) where it is used instead of declaring it, or remove it"
		);
		expect(skillKind.conflict!('other', values, skill())).toBeUndefined();
		expect(
			skillKind.conflict!('release-notes', { ...values, source: 'github' }, skill())
		).toBeUndefined();
		const custom = skill({ source: 'custom', repo: 'custom', skillId: 'style' });
		expect(skillKind.conflict!('style', { content: '# S' }, custom)).toContain('adopt: skill_');
		expect(skillKind.conflict!('style', { repo: 'custom' }, custom)).toBeUndefined();
	});
});

describe('the skill bucket row', () => {
	it('sends the saved skills as ids, its name defaulting to the key', () => {
		expect(
			skillBucketKind.createInput(
				{ stack: 'docs', key: 'kit' },
				{ savedSkills: ['skill_1', 'skill_2'] }
			)
		).toEqual({ name: 'kit', description: marker('kit'), savedSkillIds: ['skill_1', 'skill_2'] });
	});

	it('reads its skills as their ids, and is replaced on any change', () => {
		const bucket = {
			id: 'skbkt_1',
			name: 'Kit',
			description: marker('kit'),
			skills: [skill({ id: 'skill_a' }), skill({ id: 'skill_b' })],
		};
		expect(liveOf(skillBucketKind.fields, bucket)).toEqual({
			name: 'Kit',
			description: '',
			savedSkills: ['skill_a', 'skill_b'],
		});
		expect(skillBucketKind.ownerOf(bucket)).toEqual({ stack: 'docs', key: 'kit' });
		expect(skillBucketKind.fields.every((field) => field.onChange === 'replace')).toBe(true);
		expect(skillBucketKind.references).toEqual([
			{ field: 'savedSkills', kind: 'skill', many: true },
		]);
	});
});

const snapshot = {
	slug: 'reviewer',
	displayName: 'Docs reviewer',
	description: `Reviews\n\n${marker('reviewer')}`,
	instructions: 'Review.',
	headlessCompatible: false,
	tools: ['read'],
	serviceTools: [],
	savedSkills: [{ repo: 'agentuity/skills', skillId: 'release-notes' }],
	companionAgents: ['scout'],
};
const agent = (over: Partial<AgentRecord> = {}): AgentRecord => ({
	...snapshot,
	id: 'hagent_1',
	lifecycle: 'published',
	hasPublishedVersion: true,
	hasUnpublishedChanges: false,
	latestPublishedVersion: 3,
	published: { ...snapshot, version: 3 },
	draft: snapshot,
	...over,
});

describe('the agent row', () => {
	it('creates with the slug and display name defaulting to the key, references as sent', () => {
		const input = agentKind.createInput(
			{ stack: 'docs', key: 'reviewer' },
			{
				instructions: 'Review.',
				thinkingLevel: 'medium',
				tools: ['read', 'grep'],
				savedSkills: ['skill_1'],
				companionAgents: ['scout', 'helper'],
			}
		);
		expect(input).toEqual({
			slug: 'reviewer',
			displayName: 'reviewer',
			description: marker('reviewer'),
			instructions: 'Review.',
			thinkingLevel: 'medium',
			tools: ['read', 'grep'],
			savedSkillIds: ['skill_1'],
			companionAgents: ['scout', 'helper'],
		});
	});

	it('updates the values it is given and always writes the marker, which adopts a record', () => {
		expect(
			agentKind.updateInput(
				{ stack: 'docs', key: 'reviewer' },
				{ model: 'm', savedSkills: [] },
				{ description: 'Reviews', model: 'm', savedSkills: [] }
			)
		).toEqual({ description: `Reviews\n\n${marker('reviewer')}`, model: 'm', savedSkillIds: [] });
		expect(agentKind.updateInput({ stack: 'docs', key: 'reviewer' }, {}, {})).toEqual({
			description: marker('reviewer'),
		});
	});

	it('compares the published version, saved skills as the ids of the library skills', () => {
		const record = agent({
			instructions: 'Draft only.',
			draft: { ...snapshot, instructions: 'Draft only.' },
			hasUnpublishedChanges: true,
		});
		const lookup: LiveLookup = {
			records: (kind) => (kind === 'skill' ? [skill({ id: 'skill_rn' })] : []),
		};
		expect(liveOf(agentKind.fields, record, lookup)).toMatchObject({
			instructions: 'Review.',
			description: 'Reviews',
			savedSkills: ['skill_rn'],
			companionAgents: ['scout'],
		});
		expect(liveOf(agentKind.fields, record).savedSkills).toEqual([
			'agentuity/skills/release-notes',
		]);
		const draftOnly = agent({ published: undefined, hasPublishedVersion: false });
		expect(liveOf(agentKind.fields, draftOnly).instructions).toBe('Review.');
		expect(agentKind.pending!(record)).toBe('the draft has unpublished changes');
		expect(agentKind.pending!(agent())).toBeUndefined();
	});

	it("is not the stack's once archived, retired, and its kept slug conflicts with a create", () => {
		expect(agentKind.ownerOf(agent())).toEqual({ stack: 'docs', key: 'reviewer' });
		expect(agentKind.ownerOf(agent({ lifecycle: 'archived' }))).toBeUndefined();
		const byHand = agent({ description: 'mine' });
		expect(agentKind.conflict!('reviewer', {}, byHand)).toBe(
			'custom agent hagent_1 already has the slug "reviewer"; it is not the stack\'s: adopt it (adopt: hagent_1), give this entry another slug (slug: NAME), or remove it'
		);
		expect(agentKind.conflict!('other', { slug: 'reviewer' }, byHand)).toContain('adopt: hagent_1');
		expect(agentKind.conflict!('reviewer', { slug: 'rev' }, byHand)).toBeUndefined();
		const archived = agent({ lifecycle: 'archived' });
		expect(agentKind.retired!(archived)).toBe(true);
		expect(agentKind.retired!(agent())).toBe(false);
		expect(agentKind.conflict!('reviewer', {}, archived)).toBe(
			'archived custom agent hagent_1 keeps the slug "reviewer" (the Hub keeps an archived agent\'s slug, so the create would fail): give this entry another slug (slug: NAME)'
		);
		expect(agentKind.conflict!('reviewer', { slug: 'rev' }, archived)).toBeUndefined();
	});

	it('is named by its slug, updated and published, archived on delete, its status in versions', () => {
		expect(agentKind.handle!.desired('reviewer', {})).toBe('reviewer');
		expect(agentKind.handle!.desired('reviewer', { slug: 'rev' })).toBe('rev');
		expect(agentKind.handle!.live(agent())).toBe('reviewer');
		expect([agentKind.updateVerb, agentKind.deleteVerb]).toEqual(['update and publish', 'archive']);
		expect(agentKind.statusOf!(agent())).toBe('v3 published');
		expect(agentKind.statusOf!(agent({ hasUnpublishedChanges: true }))).toBe(
			'v3 published, unpublished changes'
		);
		expect(
			agentKind.statusOf!(
				agent({
					hasPublishedVersion: false,
					published: undefined,
					latestPublishedVersion: undefined,
				})
			)
		).toBe('draft, never published');
		expect(BUILT_IN_AGENTS).toEqual(['lead', 'scout', 'builder', 'reviewer']);
	});
});

const workspace = (over: Partial<WorkspaceRecord> = {}): WorkspaceRecord => ({
	id: 'ws_1',
	name: 'Docs',
	description: marker('docs'),
	scope: 'user',
	repos: [{ owner: 'agentuity', name: 'docs', fullName: 'agentuity/docs', branch: 'main' }],
	dependencies: ['jq'],
	setupScript: 'npm ci\n',
	systemPrompt: '',
	systemPromptMode: 'append',
	savedSkillIds: ['skill_1'],
	skillBucketIds: [],
	enabledAgents: ['lead'],
	...over,
});

describe('the workspace row', () => {
	it("sends repos as the Hub's references and the reference lists under the request's names", () => {
		const repos = [{ owner: 'agentuity', name: 'docs', branch: 'main' }];
		expect(
			workspaceKind.createInput(
				{ stack: 'docs', key: 'docs' },
				{ repos, savedSkills: ['skill_1'], skillBuckets: ['skbkt_1'], enabledAgents: ['lead'] }
			)
		).toEqual({
			name: 'docs',
			description: marker('docs'),
			repos: [{ ...repos[0], fullName: 'agentuity/docs' }],
			savedSkillIds: ['skill_1'],
			skillBucketIds: ['skbkt_1'],
			enabledAgents: ['lead'],
		});
		expect(
			workspaceKind.updateInput({ stack: 'docs', key: 'docs' }, { setupScript: '' }, {})
		).toEqual({
			setupScript: '',
			description: marker('docs'),
		});
	});

	it('reads repos back in the shape the spec expands to', () => {
		expect(liveOf(workspaceKind.fields, workspace())).toMatchObject({
			repos: [{ owner: 'agentuity', name: 'docs', branch: 'main' }],
			savedSkills: ['skill_1'],
			skillBuckets: [],
			enabledAgents: ['lead'],
		});
		const fullNameOnly = workspace({ repos: [{ fullName: 'a/b', url: 'https://x' }] });
		expect(liveOf(workspaceKind.fields, fullNameOnly).repos).toEqual([
			{ owner: 'a', name: 'b', url: 'https://x' },
		]);
	});

	it('settles on its snapshot: ready, building, or failed with the error', () => {
		const state = workspaceKind.settle!.state;
		expect(state(workspace({ snapshot: { status: 'ready' } }))).toEqual({ ready: true });
		expect(state(workspace())).toEqual({ ready: true });
		expect(state(workspace({ snapshot: { status: 'building' } }))).toEqual({ ready: false });
		expect(state(workspace({ snapshot: { status: 'failed', error: 'apt failed' } }))).toEqual({
			ready: false,
			failed: 'apt failed',
		});
		expect(workspaceKind.settle!.fields).toEqual(['dependencies', 'setupScript']);
		expect(workspaceKind.statusOf!(workspace({ snapshot: { status: 'building' } }))).toBe(
			'snapshot building'
		);
		expect(workspaceKind.statusOf!(workspace({ snapshot: { status: 'error', error: 'x' } }))).toBe(
			'snapshot failed: x'
		);
	});

	it('refuses an entry with nothing in it, as the Hub would', () => {
		expect(workspaceKind.check!({ name: 'x', systemPrompt: '  ', repos: [] })).toHaveLength(1);
		expect(workspaceKind.check!({ enabledAgents: ['lead'] })).toEqual([]);
		expect(workspaceKind.check!({ setupScript: 'make' })).toEqual([]);
	});
});

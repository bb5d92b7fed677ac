/**
 * `workspaces:` entries: the repositories, skills, agents, packages and setup a session can be
 * created from. Every field is updated in place. Dependencies and a setup script are built into
 * a snapshot; records referencing the workspace wait until it is ready.
 */
import * as z from 'zod';
import type { KindField, KindValues, ResourceKindRow } from './kind.js';
import {
	definedOnly,
	descriptionField,
	descriptionFor,
	unmarkedDescription,
	ownerOfDescribed,
	stringList,
	valueOf,
} from './marked-record.js';
import type {
	WireRepo,
	WorkspaceCreateRequest,
	WorkspaceRecord,
	WorkspaceRequest,
} from './stores/coder-port.js';
import { workspaceStore } from './stores/coder-stores.js';
import { parseRepo, RepoSchema, type RepoRef } from './session/fields/repo.js';
import { referenceList } from './reference-schema.js';

export type { WorkspaceRecord };

/** The fields of which a workspace needs one at least: the Hub refuses an empty workspace. */
export const WORKSPACE_SELECTIONS = [
	'repos',
	'dependencies',
	'setupScript',
	'systemPrompt',
	'savedSkills',
	'skillBuckets',
	'enabledAgents',
] as const;

const REPO_KEYS = ['owner', 'name', 'branch', 'ref', 'commit', 'path', 'provider', 'url'] as const;

/** A repository as the Hub echoes it, in the shape the spec's repos expand to. */
export function repoOfWire(repo: WireRepo): RepoRef {
	const [owner = '', name = ''] = (repo.fullName ?? '').split('/');
	const picked = Object.fromEntries(
		REPO_KEYS.map((key) => [key, typeof repo[key] === 'string' ? repo[key] : undefined])
	);
	return definedOnly({ ...picked, owner: repo.owner ?? owner, name: repo.name ?? name }) as RepoRef;
}

const toWireRepo = (repo: RepoRef): WireRepo => ({
	...repo,
	fullName: `${repo.owner}/${repo.name}`,
});

function field(
	name: string,
	spec: z.ZodType,
	live: (record: WorkspaceRecord) => unknown,
	render: KindField['render'] = 'value'
): KindField<WorkspaceRecord> {
	return { name, spec, live, onChange: 'update', render };
}

/** The request fields of the desired values the entry sets, the reference lists renamed. */
function requestFields(values: KindValues) {
	return definedOnly({
		name: valueOf<string>(values, 'name'),
		scope: valueOf<'user' | 'org'>(values, 'scope'),
		repos: valueOf<RepoRef[]>(values, 'repos')?.map(toWireRepo),
		dependencies: valueOf<string[]>(values, 'dependencies'),
		setupScript: valueOf<string>(values, 'setupScript'),
		systemPrompt: valueOf<string>(values, 'systemPrompt'),
		systemPromptMode: valueOf<'append' | 'overwrite'>(values, 'systemPromptMode'),
		savedSkillIds: valueOf<string[]>(values, 'savedSkills'),
		skillBucketIds: valueOf<string[]>(values, 'skillBuckets'),
		enabledAgents: valueOf<string[]>(values, 'enabledAgents'),
	});
}

const SNAPSHOT_FAILED = new Set(['failed', 'error']);

export const workspaceKind: ResourceKindRow<
	WorkspaceRecord,
	WorkspaceCreateRequest,
	WorkspaceRequest
> = {
	name: 'workspace',
	section: 'workspaces',
	qualify: 'section',
	level: 40,
	references: [
		{ field: 'savedSkills', kind: 'skill', many: true },
		{ field: 'skillBuckets', kind: 'skillBucket', many: true },
		{ field: 'enabledAgents', kind: 'agent', many: true },
	],
	fields: [
		field(
			'name',
			z.string().min(1).optional().describe('Workspace name (default: the entry key)'),
			(r) => r.name
		),
		descriptionField<WorkspaceRecord>('update'),
		field('scope', z.enum(['user', 'org']).optional().describe('Workspace scope'), (r) => r.scope),
		{
			...field(
				'repos',
				z
					.array(RepoSchema)
					.optional()
					.describe('Repositories: "owner/name", "owner/name#branch", or a mapping'),
				(r) => r.repos.map(repoOfWire),
				'value'
			),
			desired: (entry) =>
				(entry.repos as z.output<typeof RepoSchema>[] | undefined)?.map(parseRepo),
		},
		field(
			'dependencies',
			stringList().describe('APT packages installed into the snapshot'),
			(r) => r.dependencies,
			'list'
		),
		field(
			'setupScript',
			z.string().optional().describe('Shell script run while building the snapshot'),
			(r) => r.setupScript,
			'lines'
		),
		field(
			'systemPrompt',
			z.string().optional().describe('Lead agent system prompt of sessions made from it'),
			(r) => r.systemPrompt,
			'text'
		),
		field(
			'systemPromptMode',
			z.enum(['append', 'overwrite']).optional().describe('Append to or overwrite the Lead prompt'),
			(r) => r.systemPromptMode
		),
		field(
			'savedSkills',
			referenceList('a key under skills or a saved skill id')
				.optional()
				.describe('Saved skills: keys under skills, or skill ids'),
			(r) => r.savedSkillIds,
			'list'
		),
		field(
			'skillBuckets',
			referenceList('a key under skillBuckets or a skill bucket id')
				.optional()
				.describe('Skill buckets: keys under skillBuckets, or bucket ids'),
			(r) => r.skillBucketIds,
			'list'
		),
		field(
			'enabledAgents',
			referenceList('a key under agents, a built-in agent or an agent id')
				.optional()
				.describe('Agents: keys under agents, built-in agents, or agent ids'),
			(r) => r.enabledAgents,
			'list'
		),
	],
	idOf: (record) => record.id,
	ownerOf: ownerOfDescribed,
	createInput: (owner, values) => ({
		...requestFields(values),
		name: valueOf<string>(values, 'name') ?? owner.key,
		description: descriptionFor(owner, values),
	}),
	updateInput: (owner, changed, desired) => ({
		...requestFields(changed),
		description: descriptionFor(owner, desired),
	}),
	store: (hub) => workspaceStore(hub.sdkClient),
	forgetInput: (record) => unmarkedDescription(record),
	settle: {
		fields: ['dependencies', 'setupScript'],
		state: (record) => {
			const snapshot = record.snapshot;
			// Nothing to build: no dependencies and no setup script.
			if (!snapshot || snapshot.status === 'ready') return { ready: true };
			if (SNAPSHOT_FAILED.has(snapshot.status)) {
				return { ready: false, failed: snapshot.error ?? `snapshot ${snapshot.status}` };
			}
			return { ready: false };
		},
		describe: () => 'snapshot building',
	},
	check: (values) => {
		const selected = WORKSPACE_SELECTIONS.some((name) => {
			const value = values[name];
			return Array.isArray(value)
				? value.length > 0
				: typeof value === 'string' && value.trim() !== '';
		});
		if (selected) return [];
		return [
			{
				field: 'repos',
				message: `a workspace needs at least one of ${WORKSPACE_SELECTIONS.join(', ')} (the Hub refuses an empty workspace)`,
			},
		];
	},
	statusOf: (record) => {
		const snapshot = record.snapshot;
		if (!snapshot) return 'no snapshot (nothing to build)';
		if (snapshot.status === 'ready') return 'snapshot ready';
		if (SNAPSHOT_FAILED.has(snapshot.status)) {
			return `snapshot failed: ${snapshot.error ?? snapshot.status}`;
		}
		return 'snapshot building';
	},
};

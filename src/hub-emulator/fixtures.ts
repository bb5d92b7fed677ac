/**
 * `hub serve --fixtures FILE` / `startLocalHub({fixtures})`: users, saved skills, skill buckets,
 * workspaces and custom agents put in place at start. Records without an `id` get one derived
 * from their name, so a restart over the same state file finds them again; a record whose id is
 * already in the state is left as it is there (the state wins: edits made through the API stay).
 * Buckets, workspaces and agents name skills by id or `skillId`, workspaces buckets by id or name.
 */
import {
	CoderCreateCustomAgentRequestSchema,
	CoderCreateSkillBucketRequestSchema,
	CoderCreateWorkspaceRequestSchema,
	CoderSaveSkillRequestSchema,
} from '@agentuity/core/coder';
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { LocalHubStartError } from './errors.js';
import type { HubContext } from './hub-context.js';
import {
	ID_PREFIX,
	LOCAL_USER_ID,
	type AgentRecord,
	frozenSkillRef,
	type BucketRecord,
	type LibraryKind,
	type LibraryRecord,
	type SkillRecord,
	type UserRecord,
	type WorkspaceRecord,
} from './library-record.js';

const withId = { id: z.string().min(1).optional(), createdAt: z.string().optional() };

export const LocalFixturesSchema = z
	.object({
		/** The org everything is put in (default `default`). */
		org: z.string().min(1).optional(),
		users: z
			.array(
				z.object({
					...withId,
					displayName: z.string(),
					email: z.string(),
					provider: z.string().optional(),
					avatarUrl: z.string().optional(),
					lastLoginAt: z.string().optional(),
					lastSeenAt: z.string().optional(),
				})
			)
			.optional(),
		skills: z.array(CoderSaveSkillRequestSchema.extend(withId)).optional(),
		buckets: z.array(CoderCreateSkillBucketRequestSchema.extend(withId)).optional(),
		workspaces: z
			.array(z.intersection(CoderCreateWorkspaceRequestSchema, z.object(withId)))
			.optional(),
		agents: z
			.array(
				CoderCreateCustomAgentRequestSchema.extend({
					...withId,
					/** Publish the agent once (version 1) as it is given. */
					published: z.boolean().optional(),
				})
			)
			.optional(),
	})
	.strict();
export type LocalFixtures = z.infer<typeof LocalFixturesSchema>;
export type LocalFixturesInput = z.input<typeof LocalFixturesSchema>;

function derivedId(kind: LibraryKind, name: string): string {
	const hash = createHash('sha256').update(`${kind}\n${name}`).digest('hex').slice(0, 12);
	return `${ID_PREFIX[kind]}${hash}`;
}

function fail(message: string): never {
	throw new LocalHubStartError(`fixtures: ${message}`);
}

/** Builds every record first (so a bad reference stops the start before anything is written). */
export async function loadFixtures(hub: HubContext, fixtures: LocalFixtures): Promise<void> {
	const org = fixtures.org ?? 'default';
	const at = hub.now().toISOString();
	const stamp = (createdAt: string | undefined) => ({
		org,
		createdAt: createdAt ?? at,
		updatedAt: createdAt ?? at,
	});
	const users: UserRecord[] = (fixtures.users ?? []).map(({ id, createdAt, ...user }) => ({
		kind: 'user',
		id: id ?? derivedId('user', user.email),
		...stamp(createdAt),
		displayName: user.displayName,
		email: user.email,
		provider: user.provider ?? 'local',
		...(user.avatarUrl !== undefined ? { avatarUrl: user.avatarUrl } : {}),
		lastLoginAt: user.lastLoginAt ?? createdAt ?? at,
		lastSeenAt: user.lastSeenAt ?? createdAt ?? at,
	}));
	const skills: SkillRecord[] = (fixtures.skills ?? []).map(({ id, createdAt, ...skill }) => ({
		kind: 'skill',
		id: id ?? derivedId('skill', `${skill.repo}/${skill.skillId}`),
		...stamp(createdAt),
		...skill,
		source: skill.source ?? 'registry',
	}));
	const skillId = (ref: string, where: string): string =>
		skills.find((skill) => skill.id === ref || skill.skillId === ref)?.id ??
		fail(`${where}: no skill ${ref} in the fixture's skills`);
	const buckets: BucketRecord[] = (fixtures.buckets ?? []).map(({ id, createdAt, ...bucket }) => ({
		kind: 'bucket',
		id: id ?? derivedId('bucket', bucket.name),
		...stamp(createdAt),
		name: bucket.name,
		...(bucket.description !== undefined ? { description: bucket.description } : {}),
		savedSkillIds: (bucket.savedSkillIds ?? []).map((ref) => skillId(ref, `bucket ${bucket.name}`)),
	}));
	const bucketId = (ref: string, where: string): string =>
		buckets.find((bucket) => bucket.id === ref || bucket.name === ref)?.id ??
		fail(`${where}: no bucket ${ref} in the fixture's buckets`);
	const workspaces: WorkspaceRecord[] = (fixtures.workspaces ?? []).map((workspace) => ({
		kind: 'workspace',
		id: workspace.id ?? derivedId('workspace', workspace.name),
		...stamp(workspace.createdAt),
		name: workspace.name,
		...(workspace.description !== undefined ? { description: workspace.description } : {}),
		scope: workspace.scope ?? 'user',
		ownerUserId: LOCAL_USER_ID,
		repos: workspace.repos ?? [],
		dependencies: workspace.dependencies ?? [],
		setupScript: workspace.setupScript ?? '',
		systemPrompt: workspace.systemPrompt ?? '',
		systemPromptMode: workspace.systemPromptMode ?? 'append',
		savedSkillIds: (workspace.savedSkillIds ?? []).map((ref) =>
			skillId(ref, `workspace ${workspace.name}`)
		),
		skillBucketIds: (workspace.skillBucketIds ?? []).map((ref) =>
			bucketId(ref, `workspace ${workspace.name}`)
		),
		enabledAgents: workspace.enabledAgents ?? [],
	}));
	const agents: AgentRecord[] = (fixtures.agents ?? []).map(
		({ id, createdAt, published, ...agent }) => {
			const created = stamp(createdAt);
			const draft = {
				slug: agent.slug,
				displayName: agent.displayName,
				...(agent.description !== undefined ? { description: agent.description } : {}),
				instructions: agent.instructions,
				...(agent.model !== undefined ? { model: agent.model } : {}),
				...(agent.thinkingLevel !== undefined ? { thinkingLevel: agent.thinkingLevel } : {}),
				headlessCompatible: agent.headlessCompatible ?? false,
				tools: agent.tools ?? [],
				serviceTools: agent.serviceTools ?? [],
				savedSkills: (agent.savedSkillIds ?? []).map((ref) => {
					const skill = skills.find(
						(candidate) => candidate.id === skillId(ref, `agent ${agent.slug}`)
					)!;
					return frozenSkillRef(skill);
				}),
				companionAgents: agent.companionAgents ?? [],
			};
			const agentId = id ?? derivedId('agent', agent.slug);
			return {
				kind: 'agent',
				id: agentId,
				...created,
				ownerUserId: LOCAL_USER_ID,
				archived: false,
				draft,
				versions: published
					? [
							{
								id: `${agentId}_v1`,
								version: 1,
								createdByUserId: LOCAL_USER_ID,
								createdAt: created.createdAt,
								snapshot: draft,
							},
						]
					: [],
			};
		}
	);
	const slugs = agents.map((agent) => agent.draft.slug);
	const duplicate = slugs.find((slug, index) => slugs.indexOf(slug) !== index);
	if (duplicate !== undefined) fail(`two agents have the slug ${duplicate}`);
	const records: LibraryRecord[] = [...users, ...skills, ...buckets, ...workspaces, ...agents];
	for (const record of records) {
		if (hub.store.hasRecordId(record.kind, record.id)) continue;
		await hub.store.putRecord(record);
	}
}

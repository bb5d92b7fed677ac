/**
 * The org library the local Hub keeps next to sessions: workspaces, saved skills, skill buckets,
 * custom agents and users. One journal entry holds one whole record, like a session `put`.
 */
import {
	CoderCustomAgentThinkingLevelSchema,
	CoderSessionRepositoryRefSchema,
	CoderSkillRefSchema,
	CoderWorkspaceSystemPromptModeSchema,
} from '@agentuity/core/coder';
import * as z from 'zod';
import { SnapshotBuildSchema } from './workspace-snapshot.js';

const base = {
	id: z.string().min(1),
	org: z.string().min(1),
	createdAt: z.string().min(1),
	updatedAt: z.string().min(1),
};

export const WorkspaceRecordSchema = z.object({
	kind: z.literal('workspace'),
	...base,
	name: z.string(),
	description: z.string().optional(),
	scope: z.enum(['user', 'org']),
	ownerUserId: z.string(),
	repos: z.array(CoderSessionRepositoryRefSchema),
	dependencies: z.array(z.string()),
	setupScript: z.string(),
	systemPrompt: z.string(),
	systemPromptMode: CoderWorkspaceSystemPromptModeSchema,
	savedSkillIds: z.array(z.string()),
	skillBucketIds: z.array(z.string()),
	enabledAgents: z.array(z.string()),
	/** The latest snapshot build (workspace-snapshot.ts); none until one is started. */
	snapshot: SnapshotBuildSchema.optional(),
});
export type WorkspaceRecord = z.infer<typeof WorkspaceRecordSchema>;

export const SkillRecordSchema = z.object({
	kind: z.literal('skill'),
	...base,
	source: z.string(),
	repo: z.string(),
	skillId: z.string(),
	name: z.string(),
	description: z.string().optional(),
	url: z.string().optional(),
	installs: z.number().optional(),
	content: z.string().optional(),
});
export type SkillRecord = z.infer<typeof SkillRecordSchema>;

export const BucketRecordSchema = z.object({
	kind: z.literal('bucket'),
	...base,
	name: z.string(),
	description: z.string().optional(),
	savedSkillIds: z.array(z.string()),
});
export type BucketRecord = z.infer<typeof BucketRecordSchema>;

/** What a custom agent is at one moment: its draft, or a published version. */
export const AgentSnapshotSchema = z.object({
	slug: z.string(),
	displayName: z.string(),
	description: z.string().optional(),
	instructions: z.string(),
	model: z.string().optional(),
	thinkingLevel: CoderCustomAgentThinkingLevelSchema.optional(),
	headlessCompatible: z.boolean(),
	tools: z.array(z.string()),
	serviceTools: z.array(z.string()),
	/** Frozen when the draft is written: later library changes do not alter it. */
	savedSkills: z.array(CoderSkillRefSchema),
	companionAgents: z.array(z.string()),
});
export type AgentSnapshot = z.infer<typeof AgentSnapshotSchema>;

export const AgentVersionSchema = z.object({
	id: z.string(),
	version: z.number().int(),
	createdByUserId: z.string(),
	createdAt: z.string(),
	snapshot: AgentSnapshotSchema,
});
export type AgentVersion = z.infer<typeof AgentVersionSchema>;

export const AgentRecordSchema = z.object({
	kind: z.literal('agent'),
	...base,
	ownerUserId: z.string(),
	archived: z.boolean(),
	draft: AgentSnapshotSchema,
	/** Oldest first. */
	versions: z.array(AgentVersionSchema),
});
export type AgentRecord = z.infer<typeof AgentRecordSchema>;

export const UserRecordSchema = z.object({
	kind: z.literal('user'),
	...base,
	displayName: z.string(),
	email: z.string(),
	provider: z.string(),
	avatarUrl: z.string().optional(),
	lastLoginAt: z.string(),
	lastSeenAt: z.string(),
});
export type UserRecord = z.infer<typeof UserRecordSchema>;

export const LibraryRecordSchema = z.discriminatedUnion('kind', [
	WorkspaceRecordSchema,
	SkillRecordSchema,
	BucketRecordSchema,
	AgentRecordSchema,
	UserRecordSchema,
]);
export type LibraryRecord = z.infer<typeof LibraryRecordSchema>;
export type LibraryKind = LibraryRecord['kind'];
export type RecordOf<K extends LibraryKind> = Extract<LibraryRecord, { kind: K }>;

/** A saved skill as a custom agent's draft freezes it: later library changes do not alter it. */
export const frozenSkillRef = (skill: SkillRecord): z.infer<typeof CoderSkillRefSchema> => ({
	skillId: skill.skillId,
	repo: skill.repo,
	name: skill.name,
	...(skill.url !== undefined ? { url: skill.url } : {}),
	...(skill.content !== undefined ? { content: skill.content } : {}),
});

/** Id prefixes per kind, after the Hub's `codesess_` style (custom agents: `hagent_`, as the SDK's docs show). */
export const ID_PREFIX: Record<LibraryKind, string> = {
	workspace: 'ws_',
	skill: 'skill_',
	bucket: 'skbkt_',
	agent: 'hagent_',
	user: 'user_',
};

/** The user the local Hub takes every caller to be (owner of what they create). */
export const LOCAL_USER_ID = 'user_local';

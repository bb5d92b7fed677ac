/**
 * The part of the SDK's CoderClient the Coder kinds' stores call, and the records it answers
 * with, as far as the rows read them. Declared here because the kinds build on no package but
 * zod; test/kinds/coder-port.test.ts checks that CoderClient is one.
 */
import type { AgentServiceTool, AgentTool, ThinkingLevel } from '../agent-values.js';

/** A repository reference as the Hub sends and echoes it (more keys are kept). */
export interface WireRepo {
	readonly owner?: string;
	readonly name?: string;
	readonly fullName?: string;
	readonly [key: string]: unknown;
}

export interface SkillRecord {
	readonly id: string;
	readonly source: string;
	readonly repo: string;
	readonly skillId: string;
	readonly name: string;
	readonly description?: string;
	readonly url?: string;
	readonly content?: string;
}

export interface SkillBucketRecord {
	readonly id: string;
	readonly name: string;
	readonly description?: string;
	readonly skills: readonly SkillRecord[];
}

/** One version of a custom agent: the draft, or a published one. */
export interface AgentSnapshot {
	readonly slug: string;
	readonly displayName: string;
	readonly description?: string;
	readonly instructions: string;
	readonly model?: string;
	readonly thinkingLevel?: string;
	readonly headlessCompatible: boolean;
	readonly tools: readonly string[];
	readonly serviceTools: readonly string[];
	readonly savedSkills: readonly { readonly repo: string; readonly skillId: string }[];
	readonly companionAgents: readonly string[];
}

/** A custom agent: its top-level fields are the draft. */
export interface AgentRecord extends AgentSnapshot {
	readonly id: string;
	readonly lifecycle: 'draft' | 'published' | 'archived';
	readonly hasPublishedVersion: boolean;
	readonly hasUnpublishedChanges: boolean;
	readonly latestPublishedVersion?: number;
	readonly published?: AgentSnapshot & { readonly version: number };
	readonly draft?: AgentSnapshot;
}

export interface WorkspaceRecord {
	readonly id: string;
	readonly name: string;
	readonly description?: string;
	readonly scope: string;
	readonly repos: readonly WireRepo[];
	readonly dependencies: readonly string[];
	readonly setupScript: string;
	readonly systemPrompt: string;
	readonly systemPromptMode: 'append' | 'overwrite';
	readonly snapshot?: { readonly status: string; readonly error?: string };
	readonly savedSkillIds: readonly string[];
	readonly skillBucketIds: readonly string[];
	readonly enabledAgents: readonly string[];
}

export interface SaveSkillRequest {
	repo: string;
	skillId: string;
	name: string;
	description?: string;
	url?: string;
	source?: string;
}

export interface CustomSkillRequest {
	skillId: string;
	name: string;
	description?: string;
	content: string;
}

export interface SkillBucketRequest {
	name: string;
	description?: string;
	savedSkillIds?: string[];
}

export interface AgentRequest {
	slug?: string;
	displayName?: string;
	description?: string;
	instructions?: string;
	model?: string;
	thinkingLevel?: ThinkingLevel;
	headlessCompatible?: boolean;
	tools?: AgentTool[];
	serviceTools?: AgentServiceTool[];
	savedSkillIds?: string[];
	companionAgents?: string[];
}

export type AgentCreateRequest = AgentRequest & {
	slug: string;
	displayName: string;
	instructions: string;
};

export interface WorkspaceRequest {
	name?: string;
	description?: string;
	scope?: 'user' | 'org';
	repos?: WireRepo[];
	dependencies?: string[];
	setupScript?: string;
	systemPrompt?: string;
	systemPromptMode?: 'append' | 'overwrite';
	savedSkillIds?: string[];
	skillBucketIds?: string[];
	enabledAgents?: string[];
}

export type WorkspaceCreateRequest = WorkspaceRequest & { name: string };

/** The CoderClient methods the stores call. */
export interface CoderPort {
	listSavedSkills(): Promise<{ readonly skills: readonly SkillRecord[] }>;
	saveSkill(body: SaveSkillRequest): Promise<{ readonly id: string }>;
	createCustomSkill(body: CustomSkillRequest): Promise<{ readonly id: string }>;
	deleteSavedSkill(id: string): Promise<void>;
	listSkillBuckets(): Promise<{ readonly buckets: readonly SkillBucketRecord[] }>;
	createSkillBucket(body: SkillBucketRequest): Promise<{ readonly id: string }>;
	deleteSkillBucket(id: string): Promise<void>;
	listCustomAgents(params?: {
		includeArchived?: boolean;
	}): Promise<{ readonly agents: readonly AgentRecord[] }>;
	getCustomAgent(id: string): Promise<AgentRecord>;
	createCustomAgent(body: AgentCreateRequest): Promise<{ readonly id: string }>;
	updateCustomAgent(id: string, body: AgentRequest): Promise<unknown>;
	publishCustomAgent(id: string): Promise<unknown>;
	archiveCustomAgent(id: string): Promise<unknown>;
	listWorkspaces(): Promise<{ readonly workspaces: readonly WorkspaceRecord[] }>;
	getWorkspace(id: string): Promise<WorkspaceRecord>;
	createWorkspace(body: WorkspaceCreateRequest): Promise<{ readonly id: string }>;
	updateWorkspace(id: string, body: WorkspaceRequest): Promise<WorkspaceRecord>;
	refreshWorkspaceSnapshot(id: string): Promise<unknown>;
	deleteWorkspace(id: string): Promise<void>;
}

/** The client a Hub connection hands the stores (src/hub: the SDK's CoderClient). */
export const coderPort = (sdkClient: unknown): CoderPort => sdkClient as CoderPort;

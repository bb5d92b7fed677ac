/**
 * The Hub calls of the Coder kinds: what each row's `store` is. Only the apply executor calls
 * their writes, through the Hub client's `kindStore` (src/hub/client.ts), which counts each write
 * and turns the SDK's errors into the tool's.
 */
import type { KindStore } from '../kind.js';
import {
	coderPort,
	type AgentCreateRequest,
	type AgentRecord,
	type AgentRequest,
	type CustomSkillRequest,
	type SaveSkillRequest,
	type SkillBucketRecord,
	type SkillBucketRequest,
	type SkillRecord,
	type WorkspaceCreateRequest,
	type WorkspaceRecord,
	type WorkspaceRequest,
} from './coder-port.js';

/** A saved skill to create: custom (`createCustomSkill`) or from a repository (`saveSkill`). */
export type SkillCreate =
	| ({ readonly custom: true } & CustomSkillRequest)
	| ({ readonly custom: false } & SaveSkillRequest);

/** What saving a skill again changes; the rest is the record's. */
export type SkillUpdate = Partial<Pick<SkillRecord, 'name' | 'description' | 'content' | 'url'>>;
export const NO_BUCKET_UPDATE = 'the Hub has no update for skill buckets: they are replaced';

export function skillStore(sdkClient: unknown): KindStore<SkillRecord, SkillCreate, SkillUpdate> {
	const client = coderPort(sdkClient);
	const list = async () => (await client.listSavedSkills()).skills;
	return {
		list,
		create: async ({ custom, ...body }) => {
			const saved = custom
				? await client.createCustomSkill(body as CustomSkillRequest)
				: await client.saveSkill(body as SaveSkillRequest);
			return { id: saved.id };
		},
		// Saving again under the record's source, repo and skill id updates it in place.
		update: async (id, input) => {
			const current = (await list()).find((skill) => skill.id === id);
			if (!current) throw new Error(`saved skill ${id} is no longer on the Hub`);
			const common = {
				skillId: current.skillId,
				name: input.name ?? current.name,
				description: input.description ?? current.description,
			};
			const saved =
				current.source === 'custom'
					? await client.createCustomSkill({
							...common,
							content: input.content ?? current.content ?? '',
						})
					: await client.saveSkill({
							...common,
							source: current.source,
							repo: current.repo,
							...((input.url ?? current.url) !== undefined
								? { url: input.url ?? current.url }
								: {}),
						});
			if (saved.id !== id) {
				throw new Error(`saving skill ${id} again made another record (${saved.id})`);
			}
		},
		remove: (id) => client.deleteSavedSkill(id),
	};
}

export function skillBucketStore(
	sdkClient: unknown
): KindStore<SkillBucketRecord, SkillBucketRequest, never> {
	const client = coderPort(sdkClient);
	return {
		list: async () => (await client.listSkillBuckets()).buckets,
		create: async (input) => ({ id: (await client.createSkillBucket(input)).id }),
		update: async () => {
			throw new Error(NO_BUCKET_UPDATE);
		},
		remove: (id) => client.deleteSkillBucket(id),
	};
}

/** Every write is made to the draft and published at once; a delete archives the agent. */
export function agentStore(
	sdkClient: unknown
): KindStore<AgentRecord, AgentCreateRequest, AgentRequest> {
	const client = coderPort(sdkClient);
	return {
		// Archived agents too, in the same call: they are no one's (the row's `retired`), but they
		// keep their slugs, which a plan must not create again.
		list: async () => (await client.listCustomAgents({ includeArchived: true })).agents,
		get: (id) => client.getCustomAgent(id),
		create: async (input) => {
			const created = await client.createCustomAgent(input);
			await client.publishCustomAgent(created.id);
			return { id: created.id };
		},
		update: async (id, input) => {
			await client.updateCustomAgent(id, input);
			await client.publishCustomAgent(id);
		},
		remove: async (id) => {
			await client.archiveCustomAgent(id);
		},
	};
}

/**
 * The Hub starts a snapshot build itself when a create or an update changes the dependencies or
 * the setup script (hub-emulator/workspace-handlers.ts), so an update needs no refresh call.
 */
export function workspaceStore(
	sdkClient: unknown
): KindStore<WorkspaceRecord, WorkspaceCreateRequest, WorkspaceRequest> {
	const client = coderPort(sdkClient);
	return {
		list: async () => (await client.listWorkspaces()).workspaces,
		get: (id) => client.getWorkspace(id),
		create: async (input) => ({ id: (await client.createWorkspace(input)).id }),
		update: async (id, input) => {
			const updated = await client.updateWorkspace(id, input);
			// The Hub's documentation does not say whether a PATCH of what the snapshot is built
			// from starts a build: when the answer shows none under way, ask for one.
			const rebuilds = input.dependencies !== undefined || input.setupScript !== undefined;
			if (rebuilds && updated.snapshot?.status === 'ready')
				await client.refreshWorkspaceSnapshot(id);
		},
		remove: (id) => client.deleteWorkspace(id),
	};
}

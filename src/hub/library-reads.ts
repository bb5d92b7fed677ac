/**
 * The Hub's library, read for plan's reference check: workspaces, saved skills, skill buckets
 * and custom agents, each reduced to its id and the names it is known by.
 */
import { goneIsUndefined, readOther, type ReadContext } from './read-context.js';
import type { LibraryEntry, LibraryKind } from './types.js';

/** Answers of a Hub that has no such route: an older Hub. */
const NO_ROUTE = new Set([404, 501]);

const LISTS: Record<LibraryKind, (context: ReadContext) => Promise<LibraryEntry[]>> = {
	workspace: async ({ client }) =>
		(await client.listWorkspaces()).workspaces.map((w) => ({ id: w.id, names: [w.name] })),
	savedSkill: async ({ client }) =>
		(await client.listSavedSkills()).skills.map((s) => ({ id: s.id, names: [s.skillId, s.name] })),
	skillBucket: async ({ client }) =>
		(await client.listSkillBuckets()).buckets.map((b) => ({ id: b.id, names: [b.name] })),
	agent: async ({ client }) => (await client.listCustomAgents()).agents.map(agentEntry),
};

function agentEntry(agent: { id: string; slug: string; displayName: string }): LibraryEntry {
	return { id: agent.id, slug: agent.slug, names: [agent.displayName] };
}

const LIST_NAMES: Record<LibraryKind, string> = {
	workspace: 'list workspaces',
	savedSkill: 'list saved skills',
	skillBucket: 'list skill buckets',
	agent: 'list custom agents',
};

export function listLibrary(
	context: ReadContext,
	kind: LibraryKind
): Promise<LibraryEntry[] | undefined> {
	return readOther(
		context,
		LIST_NAMES[kind],
		() => LISTS[kind](context),
		(status) => (NO_ROUTE.has(status ?? 0) ? { answer: undefined } : undefined)
	);
}

export function findLibraryEntry(
	context: ReadContext,
	kind: 'workspace' | 'agent',
	id: string
): Promise<LibraryEntry | undefined> {
	const what = kind === 'workspace' ? `get workspace ${id}` : `get agent ${id}`;
	return readOther(
		context,
		what,
		async () => {
			if (kind === 'workspace') {
				const workspace = await context.client.getWorkspace(id);
				return { id: workspace.id, names: [workspace.name] };
			}
			return agentEntry(await context.client.getCustomAgent(id));
		},
		goneIsUndefined
	);
}

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
		libraryEntriesOf('workspace', (await client.listWorkspaces()).workspaces),
	savedSkill: async ({ client }) =>
		libraryEntriesOf('savedSkill', (await client.listSavedSkills()).skills),
	skillBucket: async ({ client }) =>
		libraryEntriesOf('skillBucket', (await client.listSkillBuckets()).buckets),
	agent: async ({ client }) => libraryEntriesOf('agent', (await client.listCustomAgents()).agents),
};

type Listed = { id: string; name?: string; skillId?: string; slug?: string; displayName?: string };

/** Records of a list answer (or of the plan's lists of its kinds) as library entries. */
export function libraryEntriesOf(kind: LibraryKind, records: readonly unknown[]): LibraryEntry[] {
	return (records as readonly Listed[]).map((record) => {
		switch (kind) {
			case 'savedSkill':
				return { id: record.id, names: [record.skillId ?? '', record.name ?? ''] };
			case 'agent':
				return agentEntry(record as { id: string; slug: string; displayName: string });
			default:
				return { id: record.id, names: [record.name ?? ''] };
		}
	});
}

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
	// No record has an empty id, and the SDK's path for '' is another route (the list).
	if (id === '') return Promise.resolve(undefined);
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

/**
 * Sessions naming entries of other kinds by key: `workspace: docs`, `skillBuckets: [docs-kit]`,
 * `savedSkills: [...]` (tokens until now, see entry-reference.ts), and `agent`, `defaultAgent`
 * or `enabledAgents` naming a declared agent. The plan puts in the handles it knows (the id of a
 * record kept, an agent's slug); a token left is a record this run creates or replaces, whose id
 * apply puts in before the session is written. Pure.
 */
import { qualifiedKey, resourceRows, type DesiredResource, type KindTable } from '../kinds/kind.js';
import type { DesiredSession } from '../kinds/session/desired.js';
import { readEntryToken } from '../kinds/session/entry-reference.js';
import type { Action, ResourcePlan } from './types.js';

/** What the plan knows of a declared entry's record: its handle, or why it is not known yet. */
export interface EntryHandle {
	readonly handle?: string;
	/** `skillBucket docs-kit is replaced` */
	readonly because?: string;
}

const RENEWED = { create: 'created', replace: 'replaced' } as const;

/** The handle of every declared entry of the other kinds, by qualified key. */
export function entryHandles(
	table: KindTable,
	resources: ResourcePlan | undefined,
	entries: readonly DesiredResource[],
	live: ReadonlyMap<string, readonly unknown[]>,
	stack: string
): Map<string, EntryHandle> {
	const handles = new Map<string, EntryHandle>();
	for (const row of resourceRows(table)) {
		for (const entry of entries.filter((each) => each.kind === row.name)) {
			const key = qualifiedKey(row, entry.key);
			if (row.handle) {
				handles.set(key, { handle: row.handle.desired(entry.key, entry.values) });
				continue;
			}
			const action = resources?.actions.find(
				(each) => each.qualifiedKey === key && each.kind !== 'delete'
			);
			if (action?.kind === 'create' || action?.kind === 'replace') {
				handles.set(key, { because: `${row.name} ${entry.key} is ${RENEWED[action.kind]}` });
			} else if (action?.id !== undefined) {
				handles.set(key, { handle: action.id });
			} else {
				// Out of the plan's scope: the record the stack has for it, if any.
				const record = (live.get(row.name) ?? []).find((each) => {
					const owner = row.ownerOf(each);
					return owner?.stack === stack && owner.key === entry.key;
				});
				handles.set(
					key,
					record ? { handle: row.idOf(record) } : { because: `${key} is not on the Hub` }
				);
			}
		}
	}
	return handles;
}

const AGENT_FIELDS = ['agent', 'defaultAgent'] as const;

/** Each session with the handles put in for the keys it names. */
export function resolveSessionReferences(
	sessions: readonly DesiredSession[],
	handles: ReadonlyMap<string, EntryHandle>
): DesiredSession[] {
	const resolve = (value: string): string => {
		const token = readEntryToken(value);
		return token ? (handles.get(token.qualified)?.handle ?? value) : value;
	};
	const agent = (value: string): string => handles.get(`agents.${value}`)?.handle ?? value;
	return sessions.map((session) => {
		const changed: Record<string, unknown> = {};
		if (session.workspaceId !== undefined) changed.workspaceId = resolve(session.workspaceId);
		if (session.savedSkillIds) changed.savedSkillIds = session.savedSkillIds.map(resolve);
		if (session.skillBucketIds) changed.skillBucketIds = session.skillBucketIds.map(resolve);
		for (const field of AGENT_FIELDS) {
			const value = session[field];
			if (value !== undefined) changed[field] = agent(value);
		}
		if (session.enabledAgents) changed.enabledAgents = session.enabledAgents.map(agent);
		return { ...session, ...changed } as DesiredSession;
	});
}

/** The entries a session still waits for: tokens whose records apply creates first. */
export function pendingEntries(session: DesiredSession): string[] {
	const values = [
		session.workspaceId,
		...(session.savedSkillIds ?? []),
		...(session.skillBucketIds ?? []),
	];
	return values.flatMap((value) => {
		const token = readEntryToken(value);
		return token ? [token.qualified] : [];
	});
}

/** A session replaced because an entry it was created with is new says so. */
export function explainReplaces(
	actions: readonly Action[],
	handles: ReadonlyMap<string, EntryHandle>
): Action[] {
	return actions.map((action) => {
		if (action.kind !== 'replace' || action.requested) return action;
		const because = pendingEntries(action.desired).flatMap((key) => {
			const words = handles.get(key)?.because;
			return words ? [words] : [];
		});
		return because.length > 0
			? { ...action, reason: `replaced because ${[...new Set(because)].join(' and ')}` }
			: action;
	});
}

/**
 * The entries the plan's actions name that no record stands for and this plan makes none of
 * (left out by `--only`): apply could not build what names them. By the naming entry's key.
 */
export function unplannedEntries(
	actions: readonly Action[],
	resources: ResourcePlan | undefined,
	handles: ReadonlyMap<string, EntryHandle>
): { readonly key: string; readonly entries: readonly string[] }[] {
	const made = new Set(
		(resources?.actions ?? [])
			.filter((each) => each.kind === 'create' || each.kind === 'replace')
			.map((each) => each.qualifiedKey)
	);
	const unplanned = (entries: readonly string[]) =>
		[...new Set(entries)].filter((key) => !made.has(key) && handles.get(key)?.handle === undefined);
	const sessions = actions.flatMap((action) => {
		if (action.kind !== 'create' && action.kind !== 'replace' && action.kind !== 'adopt') return [];
		const entries = unplanned(pendingEntries(action.desired));
		return entries.length > 0 ? [{ key: action.key, entries }] : [];
	});
	const records = (resources?.actions ?? []).flatMap((action) => {
		if (action.kind !== 'create' && action.kind !== 'replace' && action.kind !== 'update')
			return [];
		const entries = unplanned(action.dependsOn ?? []);
		return entries.length > 0 ? [{ key: action.qualifiedKey, entries }] : [];
	});
	return [...records, ...sessions];
}

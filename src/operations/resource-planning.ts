/** Reads the records of every resource kind of the table, and plans them (planResources). */
import { resourceRows, type DesiredResource, type KindTable } from '../kinds/kind.js';
import type { Spec } from '../kinds/session/desired.js';
import type { IdKind } from '../kinds/id-kind.js';
import { HubError, UserError } from '../core/errors.js';
import { libraryEntriesOf } from '../hub/library-reads.js';
import type { HubReader, KindListing, LibraryEntry, LibraryKind } from '../hub/types.js';
import { planResources } from '../plan/kinds.js';
import { entryHandles, resolveSessionReferences } from '../plan/session-references.js';
import type { ResourcePlan } from '../plan/types.js';

/**
 * The live records of each resource kind, by the row's name; empty with sessions alone. A Hub
 * without a kind's route (an older Hub: 404 or 501) holds none of it: fine while the spec
 * declares none, an error otherwise.
 */
export async function readResourceRecords(
	hub: HubReader,
	table: KindTable,
	declared: readonly DesiredResource[] = []
): Promise<Map<string, readonly unknown[]>> {
	return (await readResourceListings(hub, table, declared)).records;
}

/** Each kind's live records, and the retired ones a plan's creates must not collide with. */
export interface ResourceListings {
	readonly records: Map<string, readonly unknown[]>;
	readonly retired: Map<string, readonly unknown[]>;
}

/** readResourceRecords, keeping the retired records of the same lists apart. */
export async function readResourceListings(
	hub: HubReader,
	table: KindTable,
	declared: readonly DesiredResource[] = []
): Promise<ResourceListings> {
	const rows = resourceRows(table);
	const lists = await Promise.all(
		rows.map(async (row) => {
			if (!hub.readKind) throw new UserError(`this Hub connection cannot read ${row.section}`);
			try {
				return await hub.readKind(row);
			} catch (error) {
				const status = error instanceof HubError ? error.status : undefined;
				if (!NO_ROUTE.has(status ?? 0)) throw error;
				if (declared.some((entry) => entry.kind === row.name)) {
					throw new UserError(
						`this Hub has no ${row.section} (it answered ${status} to their list); remove the ${row.section} section, or use a Hub that serves them`
					);
				}
				return undefined;
			}
		})
	);
	// A kind the Hub has no route for is left out: nothing of it is on the Hub, nothing was read.
	const byRow = (part: keyof KindListing) =>
		new Map(
			rows.flatMap((row, index) => {
				const list = lists[index];
				return list ? [[row.name, list[part]] as const] : [];
			})
		);
	return { records: byRow('records'), retired: byRow('retired') };
}

const NO_ROUTE = new Set([404, 501]);

/** The Hub's library kind of each resource row the reference check also reads. */
const LIBRARY_KIND_OF: Readonly<Record<string, LibraryKind>> = {
	skill: 'savedSkill',
	skillBucket: 'skillBucket',
	agent: 'agent',
	workspace: 'workspace',
};

/**
 * The plan's lists as the reference check's library entries, so it reads none of them again;
 * null for a kind the Hub has no route for.
 */
export function libraryListsOf(
	records: ReadonlyMap<string, readonly unknown[]>,
	table: KindTable
): Map<LibraryKind, readonly LibraryEntry[] | null> {
	const lists = new Map<LibraryKind, readonly LibraryEntry[] | null>();
	for (const row of resourceRows(table)) {
		const kind = LIBRARY_KIND_OF[row.name];
		if (!kind) continue;
		const list = records.get(row.name);
		lists.set(kind, list ? libraryEntriesOf(kind, list) : null);
	}
	return lists;
}
export function planResourceRecords(
	spec: Spec,
	table: KindTable,
	live: ReadonlyMap<string, readonly unknown[]>,
	request: {
		/** The keys in scope, qualified for the other kinds; empty: every entry. */
		readonly only: readonly string[];
		readonly replace?: readonly string[];
		readonly destroy?: boolean;
		/** Records no one's that still keep a handle (archived agents), for conflicts. */
		readonly retired?: ReadonlyMap<string, readonly unknown[]>;
		/** The kind of a session or record of another kind with this id, for `adopt:`'s errors. */
		readonly kindOfId?: (id: string) => IdKind | undefined;
	}
): ResourcePlan | undefined {
	if (resourceRows(table).length === 0) return undefined;
	return planResources(table, {
		stack: spec.stack,
		prune: spec.prune,
		entries: spec.resources ?? [],
		live,
		...(request.only.length > 0 ? { only: new Set(request.only) } : {}),
		...(request.replace?.length ? { replace: new Set(request.replace) } : {}),
		destroy: request.destroy === true,
		...(request.retired ? { retired: request.retired } : {}),
		...(request.kindOfId ? { kindOfId: request.kindOfId } : {}),
	});
}

/**
 * The spec with each session's references to entries of other kinds resolved to the handles
 * the plan of those kinds knows (tokens left for records a run would create first).
 */
export function withResolvedReferences(
	spec: Spec,
	table: KindTable,
	records: ReadonlyMap<string, readonly unknown[]>,
	resources: ResourcePlan | undefined = planResourceRecords(spec, table, records, { only: [] })
): Spec {
	const handles = entryHandles(table, resources, spec.resources ?? [], records, spec.stack);
	return handles.size > 0
		? { ...spec, sessions: resolveSessionReferences(spec.sessions, handles) }
		: spec;
}

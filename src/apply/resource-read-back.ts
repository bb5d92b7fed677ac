/**
 * After the writes, each kind an action applied to is listed again through its store: what the
 * verification (resource-verify.ts) compares with what the plan wanted. The kinds those reference
 * are listed too: a live field can read through them (an agent's frozen saved skills map back to
 * skill ids only with the saved skills at hand).
 */
import { resourceRows, type KindTable } from '../kinds/kind.js';
import type { HubWriter } from '../hub/types.js';
import type { ResourceOutcome } from './events.js';

/** Per kind name: its records as listed now, or why they could not be listed. */
export type ResourceListing = ReadonlyMap<string, Listed>;

type Listed = { readonly records: readonly unknown[] } | { readonly failure: string };

export async function readBackResources(
	outcomes: readonly ResourceOutcome[],
	table: KindTable,
	hub: HubWriter
): Promise<ResourceListing> {
	const applied = new Set(
		outcomes.filter((outcome) => outcome.status === 'applied').map((o) => o.action.resource)
	);
	const all = resourceRows(table);
	const kinds = new Set(applied);
	for (const row of all.filter((each) => applied.has(each.name)))
		for (const reference of row.references) kinds.add(reference.kind);
	const rows = all.filter((row) => kinds.has(row.name));
	const listed = await Promise.all(
		rows.map(async (row): Promise<[string, Listed]> => {
			try {
				if (!hub.kindStore) throw new Error(`no store for kind ${row.name}`);
				return [row.name, { records: await hub.kindStore(row).list() }];
			} catch (error) {
				const failure = error instanceof Error ? error.message : String(error);
				return [row.name, { failure }];
			}
		})
	);
	return new Map(listed);
}

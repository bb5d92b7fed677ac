/** Reads the records of every resource kind of the table, and plans them (planResources). */
import { resourceRows, type KindTable } from '../kinds/kind.js';
import type { Spec } from '../kinds/session/desired.js';
import { UserError } from '../core/errors.js';
import type { HubReader } from '../hub/types.js';
import { planResources } from '../plan/kinds.js';
import type { ResourcePlan } from '../plan/types.js';

/** The live records of each resource kind, by the row's name; empty with sessions alone. */
export async function readResourceRecords(
	hub: HubReader,
	table: KindTable
): Promise<Map<string, readonly unknown[]>> {
	const rows = resourceRows(table);
	const lists = await Promise.all(
		rows.map((row) => {
			if (!hub.readKind) throw new UserError(`this Hub connection cannot read ${row.section}`);
			return hub.readKind(row);
		})
	);
	return new Map(rows.map((row, index) => [row.name, lists[index]!]));
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
	});
}

/** Reads the records of every resource kind of the table and plans them (planResources). */
import { resourceRows, type KindTable } from '../kinds/kind.js';
import type { Spec } from '../kinds/session/desired.js';
import { UserError } from '../core/errors.js';
import type { HubReader } from '../hub/types.js';
import { planResources } from '../plan/kinds.js';
import type { ResourcePlan } from '../plan/types.js';

export async function planResourcesAgainstHub(
	spec: Spec,
	hub: HubReader,
	table: KindTable,
	request: { readonly only: readonly string[]; readonly destroy?: boolean }
): Promise<ResourcePlan | undefined> {
	const rows = resourceRows(table);
	if (rows.length === 0) return undefined;
	const live = new Map<string, readonly unknown[]>();
	for (const row of rows) {
		if (!hub.readKind) throw new UserError(`this Hub connection cannot read ${row.section}`);
		live.set(row.name, await hub.readKind(row));
	}
	return planResources(table, {
		stack: spec.stack,
		prune: spec.prune,
		entries: spec.resources ?? [],
		live,
		// `--only` names sessions: the other kinds are then out of scope.
		...(request.only.length > 0 ? { only: new Set<string>() } : {}),
		destroy: request.destroy === true,
	});
}

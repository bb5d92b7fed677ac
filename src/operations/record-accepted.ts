/**
 * The second half of `drift --write`: once the spec holds the Hub's values, each accepted
 * session's `coder-sessions/applied` stamp is made from the spec as written, so drift compares
 * with the values just accepted. Only the stamp is written (a stamp-only update: no field
 * changes), through apply's executor like every write: throttled, named by the run's id, the
 * session read again first and left alone if another writer changed it since drift read it.
 */
import { applyPlan } from '../apply/executor.js';
import type { ApplyResult } from '../apply/events.js';
import type { HubWriter } from '../hub/types.js';
import { DEFAULT_PARALLELISM } from '../hub/client.js';
import { MARKER } from '../ownership/markers.js';
import { stampAfterUpdate } from '../ownership/next-stamp.js';
import { liveRef } from '../plan/live-ref.js';
import { isActive, type Action } from '../plan/types.js';
import type { Spec } from '../kinds/session/desired.js';
import { applySucceeded } from './apply.js';
import type { DriftRead } from './status.js';

export interface Recorded {
	/** One stamp-only `update` outcome per session whose stamp changes, and the read-back. */
	readonly result: ApplyResult;
	/** Every stamp written, and nobody else wrote to the stack meanwhile. */
	readonly succeeded: boolean;
}

export async function recordAccepted(
	spec: Spec,
	read: DriftRead,
	keys: ReadonlySet<string>,
	hub: HubWriter,
	parallelism = DEFAULT_PARALLELISM
): Promise<Recorded> {
	const entries = new Map(spec.sessions.map((entry) => [entry.key, entry]));
	const sessions = new Map(read.live.map((session) => [session.id, session]));
	const actions: Action[] = [];
	for (const prior of read.plan.prior.filter(isActive)) {
		const entry = entries.get(prior.key);
		const session = sessions.get(prior.id);
		if (!keys.has(prior.key) || !entry || !session) continue;
		const stamp = stampAfterUpdate(entry, session, []);
		if (stamp === session.metadata[MARKER.applied]) continue;
		actions.push({
			kind: 'update',
			key: prior.key,
			live: liveRef(session),
			desired: entry,
			changes: [],
			stamp,
			reason: 'drift --write: the Hub values accepted into the spec',
		});
	}
	const result = await applyPlan({ stack: spec.stack, actions }, hub, {
		parallelism,
		env: {},
		baseline: read.discovered,
		listing: read.listing,
	});
	return { result, succeeded: applySucceeded(result) };
}

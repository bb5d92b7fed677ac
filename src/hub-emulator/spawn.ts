/**
 * Sessions the Hub spawns from another: workers of a lead, sessions derived from one, steps of a
 * coordination job. They carry a copy of their parent's metadata (markers included), and the
 * list item says where they came from: `parentSessionId`, `coordinationJobId`, `sessionKind`.
 * Spawned through `POST /_local/sessions/:id/spawn`, or on every create with `spawnWorkers`.
 */
import * as z from 'zod';
import type { StoredSession } from './session-record.js';

/** The `sessionKind` of a spawned session unless the request names another. */
export const WORKER_KIND = 'worker';

export const SpawnBodySchema = z
	.object({
		/** Default `worker`; null: the child carries no kind. */
		sessionKind: z.string().min(1).nullable().optional(),
		/** Default true: the child names its parent in `parentSessionId`. */
		parent: z.boolean().optional(),
		coordinationJobId: z.string().min(1).optional(),
		/** Default: the parent's task. */
		task: z.string().min(1).optional(),
		/** How many children (default 1). */
		count: z.number().int().min(1).max(100).optional(),
	})
	.strict();
export type SpawnBody = z.infer<typeof SpawnBodySchema>;

/** A child of `parent`: its task, label, settings and a copy of its metadata, fresh otherwise. */
export function spawnedSession(
	parent: StoredSession,
	id: string,
	at: string,
	body: SpawnBody = {}
): StoredSession {
	// A child starts with no history, activity, builder state or origin of its own.
	const {
		archivedAt: _archivedAt,
		status: _status,
		activity: _activity,
		builder: _builder,
		parentSessionId: _parentSessionId,
		coordinationJobId: _coordinationJobId,
		sessionKind: _sessionKind,
		...settings
	} = parent;
	const kind = body.sessionKind === undefined ? WORKER_KIND : body.sessionKind;
	return {
		...settings,
		id,
		createdAt: at,
		updatedAt: at,
		task: body.task ?? parent.task,
		metadata: { ...parent.metadata },
		...(kind !== null ? { sessionKind: kind } : {}),
		...(body.parent === false ? {} : { parentSessionId: parent.id }),
		...(body.coordinationJobId !== undefined ? { coordinationJobId: body.coordinationJobId } : {}),
	};
}

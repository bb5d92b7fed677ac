/** Sessions the local Hub spawns from another (a worker, a derived session), for tests. */
import type { LocalHub } from '../../src/hub-emulator/index.js';

export interface SpawnRequest {
	/** Default `worker`; null: no kind. */
	readonly sessionKind?: string | null;
	/** Default true: the child names its parent. */
	readonly parent?: boolean;
	readonly coordinationJobId?: string;
	readonly task?: string;
	readonly count?: number;
}

/** `POST /_local/sessions/:id/spawn`: the children's ids, each with a copy of the parent's metadata. */
export async function spawnChildren(
	hub: Pick<LocalHub, 'url'>,
	parentId: string,
	request: SpawnRequest = {}
): Promise<string[]> {
	const response = await fetch(`${hub.url}/_local/sessions/${encodeURIComponent(parentId)}/spawn`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(request),
	});
	const body = (await response.json()) as { sessionIds?: string[] };
	if (response.status !== 201 || !body.sessionIds) {
		throw new Error(`spawn from ${parentId}: ${response.status} ${JSON.stringify(body)}`);
	}
	return body.sessionIds;
}

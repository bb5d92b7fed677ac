/** Words for where a session the Hub spawned came from. Pure. */
import type { SpawnOrigin } from './live.js';

/**
 * `a worker of codesess_1`, `derived from codesess_1, in coordination job job_7`,
 * `of sessionKind "agent_builder"`.
 */
export function spawnedText(origin: SpawnOrigin): string {
	const { parentSessionId: parent, coordinationJobId: job, sessionKind: kind } = origin;
	const pieces: string[] = [];
	if (parent !== undefined) {
		pieces.push(
			kind === undefined
				? `derived from ${parent}`
				: kind.toLowerCase() === 'worker'
					? `a worker of ${parent}`
					: `a ${JSON.stringify(kind)} session spawned from ${parent}`
		);
	}
	if (job !== undefined) pieces.push(`in coordination job ${job}`);
	if (parent === undefined && kind !== undefined)
		pieces.push(`of sessionKind ${JSON.stringify(kind)}`);
	return pieces.join(', ');
}

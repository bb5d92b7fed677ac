/** After apply: read every touched session back and check it is what was applied. */
import pLimit from 'p-limit';
import type { HubReader } from '../hub/types.js';
import { compareSession } from '../plan/compare.js';
import { MARKER } from '../plan/markers.js';
import type { NotConverged, Outcome } from './events.js';

export async function verifyOutcomes(
	outcomes: readonly Outcome[],
	hub: HubReader,
	parallelism: number,
	/** The plan's stack: adopted sessions must carry it. */
	stack?: string
): Promise<NotConverged[]> {
	const limit = pLimit(parallelism);
	const checks = outcomes
		.filter((outcome) => outcome.status === 'applied' && outcome.sessionId)
		.map((outcome) => limit(() => verifyOne(outcome, hub, stack)));
	const problems = await Promise.all(checks);
	return problems.filter((problem): problem is NotConverged => problem !== undefined);
}

async function verifyOne(
	outcome: Outcome,
	hub: HubReader,
	stack?: string
): Promise<NotConverged | undefined> {
	const { action } = outcome;
	const sessionId = outcome.sessionId!;
	let live;
	try {
		live = await hub.getSession(sessionId);
	} catch (error) {
		return {
			key: action.key,
			sessionId,
			problem: `could not be read back: ${(error as Error).message}`,
		};
	}
	const problem = (text: string): NotConverged => ({ key: action.key, sessionId, problem: text });
	switch (action.kind) {
		case 'adopt':
			if (
				live &&
				(live.metadata[MARKER.key] !== action.key ||
					(stack !== undefined && live.metadata[MARKER.stack] !== stack))
			) {
				return problem('does not carry the ownership markers after adopt');
			}
		// falls through: an adopted session must also match the spec
		case 'create':
		case 'update':
		case 'replace': {
			if (!live) return problem('not found on the Hub after apply');
			if (live.archived) return problem('archived on the Hub after apply');
			const left = compareSession(action.desired, live).map((change) => change.field);
			return left.length > 0 ? problem(`still differs in ${left.join(', ')}`) : undefined;
		}
		case 'archive':
		case 'dedupe':
			return live && !live.archived ? problem('still active after archive') : undefined;
		case 'delete':
			return live ? problem('still present after delete') : undefined;
		case 'noop':
			return undefined;
	}
}

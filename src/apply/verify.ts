/** After apply: every touched session, as read back, must be what was applied. Pure. */
import { compareSession } from '../plan/compare.js';
import { MARKER } from '../ownership/markers.js';
import { spawnedText } from '../kinds/session/spawned.js';
import type { NotConverged, Outcome } from './events.js';
import type { ReadBack } from './read-back.js';

/**
 * The fields a create's answer carries besides the id and status: a created session taken from
 * its answer (see read-back.ts) is checked in these; the rest it holds is what the create sent.
 */
const CREATE_ANSWER_FIELDS: ReadonlySet<string> = new Set(['visibility']);

export function verifyOutcomes(
	outcomes: readonly Outcome[],
	back: ReadBack,
	/** The plan's stack: adopted sessions must carry it. */
	stack: string
): NotConverged[] {
	return outcomes
		.filter((outcome) => outcome.status === 'applied' && outcome.sessionId)
		.map((outcome) => verifyOne(outcome, back, stack))
		.filter((problem): problem is NotConverged => problem !== undefined);
}

function verifyOne(outcome: Outcome, back: ReadBack, stack: string): NotConverged | undefined {
	const { action } = outcome;
	const sessionId = outcome.sessionId!;
	const problem = (text: string): NotConverged => ({ key: action.key, sessionId, problem: text });
	const unreadable = back.unreadable.get(sessionId);
	if (unreadable !== undefined) return problem(`could not be read back: ${unreadable}`);
	const live = back.sessions.get(sessionId);
	switch (action.kind) {
		case 'adopt':
			if (
				live &&
				(live.metadata[MARKER.key] !== action.key || live.metadata[MARKER.stack] !== stack)
			) {
				return problem('does not carry the ownership markers after adopt');
			}
		// falls through: an adopted session must also match the spec
		case 'update':
			// A stamp-only update (drift --write records accepted values) changes no field.
			if (action.changes.length === 0) {
				if (!live) return problem('not found on the Hub after apply');
				return live.metadata[MARKER.applied] === action.stamp
					? undefined
					: problem('does not carry the applied stamp written');
			}
		// falls through
		case 'create':
		case 'replace': {
			if (!live) return problem('not found on the Hub after apply');
			if (live.archived) {
				const how = live.status === 'archived' ? 'archived' : `${live.status} (history only)`;
				return problem(`${how} on the Hub after apply`);
			}
			// Its markers read as no stack's: the next plan would not see it, and create again.
			if (live.spawned) {
				return problem(
					`reads back as a session the Hub spawned (${spawnedText(live.spawned)}), which no stack manages`
				);
			}
			const fromAnswer =
				action.kind !== 'update' && action.kind !== 'adopt' && back.answered?.has(sessionId);
			const left = compareSession(action.desired, live)
				.map((change) => change.field)
				.filter((field) => !fromAnswer || CREATE_ANSWER_FIELDS.has(field));
			return left.length > 0 ? problem(`still differs in ${left.join(', ')}`) : undefined;
		}
		case 'archive':
		case 'dedupe':
			return live && !live.archived ? problem('still active after archive') : undefined;
		case 'delete':
			return live ? problem('still present after delete') : undefined;
		case 'forget':
			return live?.metadata[MARKER.stack] !== undefined
				? problem('still carries the ownership markers after forget')
				: undefined;
		case 'noop':
			return undefined;
	}
}

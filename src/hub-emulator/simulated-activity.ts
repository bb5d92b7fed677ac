/**
 * What `--simulate-activity` gives a new session: a lead agent and an observer that came and
 * went, a few events and a replay, all stamped from the session's creation time.
 */
import type { SessionActivity, StoredSession } from './session-record.js';

/** Steps between simulated moments: small, so nothing lies in the future for long. */
const STEP_MS = 10;

export function simulatedActivity(session: StoredSession): SessionActivity {
	const start = Date.parse(session.createdAt);
	const at = (steps: number): string => new Date(start + steps * STEP_MS).toISOString();
	const lead = `${session.id}-lead`;
	return {
		participants: [
			{
				id: lead,
				role: 'lead',
				transport: 'ws',
				agentRole: 'lead',
				connectedAt: at(1),
				lastActivityAt: at(4),
			},
			{
				id: `${session.id}-observer`,
				role: 'observer',
				transport: 'sse',
				connectedAt: at(2),
				disconnectedAt: at(3),
				lastActivityAt: at(3),
			},
		],
		events: [
			{ id: 1, event: 'session_start', category: 'session', occurredAt: at(1) },
			{
				id: 2,
				event: 'task_start',
				category: 'agent',
				agent: 'lead',
				taskId: 'task_1',
				payload: { task: session.task.slice(0, 200) },
				occurredAt: at(2),
			},
			{
				id: 3,
				event: 'agent_activity',
				category: 'agent',
				agent: 'lead',
				taskId: 'task_1',
				occurredAt: at(3),
			},
			{
				id: 4,
				event: 'task_complete',
				category: 'agent',
				agent: 'lead',
				taskId: 'task_1',
				occurredAt: at(4),
			},
		],
		replay: [
			{ type: 'user_message', content: session.task.slice(0, 200), timestamp: start + STEP_MS },
			{ type: 'assistant_message', content: 'Done.', timestamp: start + 4 * STEP_MS },
		],
	};
}

/**
 * What the Hub says about a stored session (hub-api §4). Optional fields are omitted, never
 * null. `task`, `metadata` and `env` are detail-only.
 *
 * Env: the detail's `env` has the SDK's shape, a mapping of the session's variables. The values
 * are secrets this Hub never holds (nothing secret reaches its state file), so each variable is
 * named with an empty value: a caller learns which variables were set, never what they hold.
 */
import { CREATING, lifecycleOf, type Clock, type Lifecycle } from './lifecycle.js';
import { EMPTY_ACTIVITY, type StoredSession } from './session-record.js';

export { isHistoryStatus, lifecycleOf, type Clock } from './lifecycle.js';

export function createResponse(session: StoredSession): Record<string, unknown> {
	return {
		sessionId: session.id,
		status: CREATING.status,
		sandboxId: null,
		mode: 'sandbox',
		visibility: session.visibility,
	};
}

export function listItem(session: StoredSession, clock: Clock): Record<string, unknown> {
	const lifecycle = lifecycleOf(session, clock);
	const { participants, events } = session.activity ?? EMPTY_ACTIVITY;
	const connected = participants.filter((participant) => !participant.disconnectedAt);
	return {
		sessionId: session.id,
		label: session.label,
		status: lifecycle.status,
		mode: 'sandbox',
		visibility: session.visibility,
		...(session.repo ? { repo: session.repo } : {}),
		...(session.repos ? { repos: session.repos } : {}),
		workflowMode: session.workflowMode,
		...(session.workflowMode === 'loop'
			? { loopStatus: loopStatusOf(lifecycle), loopIteration: 0 }
			: {}),
		...sessionOrigin(session),
		createdAt: session.createdAt,
		lastActivityAt: lastActivityOf(session),
		taskCount: new Set(events.flatMap((event) => (event.taskId ? [event.taskId] : []))).size,
		subAgentCount: 0,
		observerCount: connected.filter((participant) => participant.role === 'observer').length,
		participantCount: connected.length,
		tags: session.tags,
		skills: session.skills,
		enabledAgents: session.enabledAgents,
		...(session.defaultAgent !== undefined ? { defaultAgent: session.defaultAgent } : {}),
		...(session.builder ? { builder: session.builder } : {}),
		bucket: lifecycle.bucket,
		runtimeAvailable: lifecycle.runtimeAvailable,
		controlAvailable: lifecycle.controlAvailable,
		wakeAvailable: lifecycle.wakeAvailable,
		historyOnly: lifecycle.historyOnly,
		liveExpected: lifecycle.liveExpected,
	};
}

export function detail(session: StoredSession, clock: Clock): Record<string, unknown> {
	return {
		...listItem(session, clock),
		task: session.task,
		metadata: session.metadata,
		...(session.envKeys.length > 0 ? { env: namesOnly(session.envKeys) } : {}),
		updatedAt: session.updatedAt,
		// `agent` and the loop's settings are stored but not in the SDK's detail: GET /loop has them.
		...(session.workspaceId !== undefined ? { workspace: workspaceOf(session.workspaceId) } : {}),
		participants: session.activity?.participants ?? [],
	};
}

/** What the Hub says of where a session came from: its kind, and a spawned one's parent and job. */
function sessionOrigin(session: StoredSession): Record<string, string> {
	const kind = session.sessionKind ?? (session.builder ? 'agent_builder' : undefined);
	return {
		...(kind !== undefined ? { sessionKind: kind } : {}),
		...(session.parentSessionId !== undefined ? { parentSessionId: session.parentSessionId } : {}),
		...(session.coordinationJobId !== undefined
			? { coordinationJobId: session.coordinationJobId }
			: {}),
	};
}

/** The newest of the last write, event and participant activity. */
function lastActivityOf(session: StoredSession): string {
	const { participants, events } = session.activity ?? EMPTY_ACTIVITY;
	const times = [
		session.updatedAt,
		...events.map((event) => event.occurredAt),
		...participants.flatMap((participant) => [
			participant.lastActivityAt,
			participant.connectedAt,
			participant.disconnectedAt,
		]),
	];
	let newest = session.updatedAt;
	for (const time of times) {
		if (time !== undefined && Date.parse(time) > Date.parse(newest)) newest = time;
	}
	return newest;
}

function namesOnly(keys: readonly string[]): Record<string, string> {
	return Object.fromEntries(keys.map((key) => [key, '']));
}

/** The SDK's workspace object, named by its id (a session may name a workspace the library lacks). */
function workspaceOf(id: string): { id: string; name: string; scope: 'org' } {
	return { id, name: id, scope: 'org' };
}

export function updateResponse(session: StoredSession): Record<string, unknown> {
	return {
		sessionId: session.id,
		label: session.label,
		visibility: session.visibility,
		tags: session.tags,
		skills: session.skills,
		enabledAgents: session.enabledAgents,
		metadata: session.metadata,
		workflowMode: session.workflowMode,
		...(session.loop ? { loop: session.loop } : {}),
		...(session.agent !== undefined ? { agent: session.agent } : {}),
		...(session.defaultAgent !== undefined ? { defaultAgent: session.defaultAgent } : {}),
	};
}

/** GET /loop: `loop` is null outside loop mode (the SDK schema makes it required and nullable). */
export function loopState(session: StoredSession, clock: Clock): Record<string, unknown> {
	if (session.workflowMode !== 'loop') {
		return { sessionId: session.id, workflowMode: session.workflowMode, loop: null };
	}
	return {
		sessionId: session.id,
		workflowMode: 'loop',
		loop: { ...session.loop, status: loopStatusOf(lifecycleOf(session, clock)), iteration: 0 },
	};
}

function loopStatusOf(lifecycle: Lifecycle): string {
	if (lifecycle.bucket === 'running') return 'running';
	if (lifecycle.bucket === 'paused') return 'paused';
	if (lifecycle.status === 'failed' || lifecycle.status === 'error') return 'cancelled';
	return lifecycle.bucket === 'history' ? 'completed' : 'starting';
}

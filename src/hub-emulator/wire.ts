/**
 * What the Hub says about a stored session (hub-api §4). Optional fields are omitted, never
 * null. `task`, `metadata` and `env` are detail-only.
 *
 * Env: the detail's `env` has the SDK's shape, a mapping of the session's variables. The values
 * are secrets this Hub never writes to its state file, so each variable is named with an empty
 * value: a caller learns which variables were set, never what they hold. Started with `echoEnv`,
 * it echoes the values it holds in memory instead, as a real Hub may.
 */
import { CREATING, lastActivityOf, lifecycleOf, type Clock, type Lifecycle } from './lifecycle.js';
import { EMPTY_ACTIVITY, type StoredSession } from './session-record.js';

export { isHistoryStatus, lifecycleOf, type Clock } from './lifecycle.js';

type SkillRef = StoredSession['skills'][number];

/** The skills asked for, then those the Hub added from saved skills and buckets, once each. */
export function echoedSkills(session: StoredSession): SkillRef[] {
	const seen = new Set<string>();
	const out: SkillRef[] = [];
	for (const skill of [...session.skills, ...(session.inheritedSkills ?? [])]) {
		const key = `${skill.skillId}\u0000${skill.repo}`;
		if (seen.has(key)) continue;
		seen.add(key);
		out.push(skill);
	}
	return out;
}

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
			? {
					loopStatus: session.loopState?.status ?? loopStatusOf(lifecycle),
					loopIteration: session.loopState?.iteration ?? 0,
				}
			: {}),
		...sessionOrigin(session),
		createdAt: session.createdAt,
		lastActivityAt: lastActivityOf(session, clock),
		taskCount: new Set(events.flatMap((event) => (event.taskId ? [event.taskId] : []))).size,
		subAgentCount: 0,
		observerCount: connected.filter((participant) => participant.role === 'observer').length,
		participantCount: connected.length,
		tags: session.tags,
		skills: echoedSkills(session),
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

/** `echoedEnv`: the session's env values, when the Hub echoes them (LocalHubOptions.echoEnv). */
export function detail(
	session: StoredSession,
	clock: Clock,
	echoedEnv?: Readonly<Record<string, string>>
): Record<string, unknown> {
	return {
		...listItem(session, clock),
		task: session.task,
		metadata: session.metadata,
		...(session.envKeys.length > 0 ? { env: echoedEnv ?? namesOnly(session.envKeys) } : {}),
		updatedAt: session.updatedAt,
		// `agent` and the loop's settings are stored but not in the SDK's detail: GET /loop has them.
		...(session.workspaceId !== undefined
			? { workspace: workspaceOf(session.workspaceId, session.workspace) }
			: {}),
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

function namesOnly(keys: readonly string[]): Record<string, string> {
	return Object.fromEntries(keys.map((key) => [key, '']));
}

/**
 * The SDK's workspace object: the workspace's own name and scope as they were when the session
 * was created (strict mode, which refuses an unknown workspace); the lenient Hub, which takes
 * any id, names it by its id.
 */
function workspaceOf(
	id: string,
	known: StoredSession['workspace']
): { id: string; name: string; scope: 'user' | 'org' } {
	return { id, name: known?.name ?? id, scope: known?.scope ?? 'org' };
}

/**
 * The PATCH answer: the keys the REST reference documents (`sessionId, label, visibility, tags,
 * skills, defaultAgent, enabledAgents, metadata`); the lenient Hub adds workflowMode, loop, agent.
 */
export function updateResponse(session: StoredSession, strict: boolean): Record<string, unknown> {
	return {
		sessionId: session.id,
		label: session.label,
		visibility: session.visibility,
		tags: session.tags,
		skills: echoedSkills(session),
		enabledAgents: session.enabledAgents,
		metadata: session.metadata,
		...(session.defaultAgent !== undefined ? { defaultAgent: session.defaultAgent } : {}),
		...(strict
			? {}
			: {
					workflowMode: session.workflowMode,
					...(session.loop ? { loop: session.loop } : {}),
					...(session.agent !== undefined ? { agent: session.agent } : {}),
				}),
	};
}

/** GET /loop: `loop` is null outside loop mode (the SDK schema makes it required and nullable). */
export function loopState(session: StoredSession, clock: Clock): Record<string, unknown> {
	if (session.workflowMode !== 'loop') {
		return { sessionId: session.id, workflowMode: session.workflowMode, loop: null };
	}
	const progress = session.loopState;
	return {
		sessionId: session.id,
		workflowMode: 'loop',
		loop: {
			...session.loop,
			status: progress?.status ?? loopStatusOf(lifecycleOf(session, clock)),
			iteration: progress?.iteration ?? 0,
			...(progress?.summary !== undefined ? { summary: progress.summary } : {}),
			...(progress?.nextAction !== undefined ? { nextAction: progress.nextAction } : {}),
		},
	};
}

function loopStatusOf(lifecycle: Lifecycle): string {
	if (lifecycle.bucket === 'running') return 'running';
	if (lifecycle.bucket === 'paused') return 'paused';
	if (lifecycle.status === 'failed' || lifecycle.status === 'error') return 'cancelled';
	return lifecycle.bucket === 'history' ? 'completed' : 'starting';
}

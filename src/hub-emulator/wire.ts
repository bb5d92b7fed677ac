/**
 * What the Hub says about a stored session (hub-api §4). Optional fields are omitted, never
 * null. `task`, `metadata` and `env` are detail-only.
 *
 * Env: the detail's `env` has the SDK's shape, a mapping of the session's variables. The values
 * are secrets this Hub never holds (nothing secret reaches its state file), so each variable is
 * named with an empty value: a caller learns which variables were set, never what they hold.
 */
import { isArchived, type StoredSession } from './session-record.js';

type Bucket = 'running' | 'paused' | 'provisioning' | 'history';

interface Lifecycle {
	readonly status: string;
	readonly bucket: Bucket;
	readonly runtimeAvailable: boolean;
	readonly controlAvailable: boolean;
	readonly wakeAvailable: boolean;
	readonly historyOnly: boolean;
	readonly liveExpected: boolean;
}

// The presets of hub-api §11.
const CREATING: Lifecycle = {
	status: 'creating',
	bucket: 'provisioning',
	runtimeAvailable: false,
	controlAvailable: false,
	wakeAvailable: false,
	historyOnly: false,
	liveExpected: true,
};
const ACTIVE: Lifecycle = {
	status: 'active',
	bucket: 'running',
	runtimeAvailable: true,
	controlAvailable: true,
	wakeAvailable: false,
	historyOnly: false,
	liveExpected: true,
};
const ARCHIVED: Lifecycle = {
	status: 'archived',
	bucket: 'history',
	runtimeAvailable: false,
	controlAvailable: false,
	wakeAvailable: false,
	historyOnly: true,
	liveExpected: false,
};

/** Where a session is in its life, derived (never stored): creating until activateAfterMs has passed. */
export interface Clock {
	readonly nowMs: () => number;
	readonly activateAfterMs: number;
}

export function lifecycleOf(session: StoredSession, clock: Clock): Lifecycle {
	if (isArchived(session)) return ARCHIVED;
	const age = clock.nowMs() - Date.parse(session.createdAt);
	return age >= clock.activateAfterMs ? ACTIVE : CREATING;
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
		createdAt: session.createdAt,
		lastActivityAt: session.updatedAt,
		taskCount: 0,
		subAgentCount: 0,
		observerCount: 0,
		participantCount: 0,
		tags: session.tags,
		skills: session.skills,
		enabledAgents: session.enabledAgents,
		...(session.defaultAgent !== undefined ? { defaultAgent: session.defaultAgent } : {}),
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
		// Sandbox passthroughs first, so they can never shadow a session field.
		...session.sandbox,
		...listItem(session, clock),
		task: session.task,
		metadata: session.metadata,
		...(session.envKeys.length > 0 ? { env: namesOnly(session.envKeys) } : {}),
		updatedAt: session.updatedAt,
		...(session.archivedAt !== undefined ? { archivedAt: session.archivedAt } : {}),
		...(session.agent !== undefined ? { agent: session.agent } : {}),
		...(session.loop ? { loop: session.loop } : {}),
		...(session.workspaceId !== undefined ? { workspace: workspaceOf(session.workspaceId) } : {}),
		participants: [],
	};
}

function namesOnly(keys: readonly string[]): Record<string, string> {
	return Object.fromEntries(keys.map((key) => [key, '']));
}

/** The SDK's workspace object; there is no workspace library here, so the id is its name too. */
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
	return lifecycle.bucket === 'history' ? 'completed' : 'starting';
}

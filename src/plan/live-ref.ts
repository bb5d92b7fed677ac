import { shortDigest } from '../ownership/digest.js';
import type { LiveRef } from './types.js';
import { isProtected } from '../ownership/markers.js';
import type { LiveSession } from '../session/live.js';

/**
 * The precondition of an action: a digest of everything plan read from the session, except
 * status and timestamps (which move on their own as a session comes up).
 */
export function preconditionOf(live: LiveSession): string {
	return shortDigest({
		id: live.id,
		archived: live.archived,
		label: live.label,
		visibility: live.visibility,
		workflowMode: live.workflowMode,
		loop: live.loop,
		tags: [...live.tags].sort(),
		enabledAgents: [...live.enabledAgents].sort(),
		agent: live.agent,
		defaultAgent: live.defaultAgent,
		task: live.task,
		repo: live.repo,
		repos: live.repos,
		workspaceId: live.workspaceId,
		metadata: live.metadata,
		envKeys: [...live.envKeys].sort(),
	});
}

export function liveRef(live: LiveSession): LiveRef {
	return {
		id: live.id,
		label: live.label,
		status: live.status,
		createdAt: live.createdAt,
		protect: isProtected(live),
		precondition: preconditionOf(live),
	};
}

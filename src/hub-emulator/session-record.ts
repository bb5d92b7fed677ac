/**
 * The session as the local Hub stores it: normalised at create time, persisted as one JSON
 * object per journal `put`. Env values are never stored, only the keys (see wire.ts).
 */
import {
	CoderLoopStatusSchema,
	CoderSessionLoopConfigSchema,
	CoderSessionRepositoryRefSchema,
	CoderSkillRefSchema,
	CoderWorkflowModeSchema,
} from '@agentuity/core/coder';
import * as z from 'zod';

/** Every status the local Hub can put a session in (hub-api §7.9); `archived` is set by archive. */
export const SESSION_STATUSES = [
	'creating',
	'provisioning',
	'active',
	'running',
	'connected',
	'paused',
	'resuming',
	'shutdown',
	'stopped',
	'error',
	'failed',
] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const StoredParticipantSchema = z.object({
	id: z.string().min(1),
	role: z.string().min(1),
	transport: z.string().optional(),
	agentRole: z.string().optional(),
	connectedAt: z.string().optional(),
	disconnectedAt: z.string().optional(),
	lastActivityAt: z.string().optional(),
	metadata: z.record(z.string(), z.unknown()).optional(),
});
export type StoredParticipant = z.infer<typeof StoredParticipantSchema>;

export const StoredEventSchema = z.object({
	id: z.number().int(),
	event: z.string().min(1),
	category: z.string().optional(),
	agent: z.string().optional(),
	taskId: z.string().optional(),
	payload: z.unknown().optional(),
	occurredAt: z.string().min(1),
	ingestedAt: z.string().optional(),
});
export type StoredEvent = z.infer<typeof StoredEventSchema>;

/** What happened in a session: recorded through /_local or by --simulate-activity. */
export const SessionActivitySchema = z.object({
	participants: z.array(StoredParticipantSchema),
	events: z.array(StoredEventSchema),
	replay: z.array(z.unknown()),
});
export type SessionActivity = z.infer<typeof SessionActivitySchema>;

export const EMPTY_ACTIVITY: SessionActivity = { participants: [], events: [], replay: [] };

export const StoredSessionSchema = z.object({
	id: z.string().min(1),
	org: z.string().min(1),
	createdAt: z.string().min(1),
	updatedAt: z.string().min(1),
	archivedAt: z.string().optional(),
	task: z.string(),
	label: z.string(),
	visibility: z.string(),
	workflowMode: CoderWorkflowModeSchema,
	loop: CoderSessionLoopConfigSchema.optional(),
	agent: z.string().optional(),
	defaultAgent: z.string().optional(),
	tags: z.array(z.string()),
	enabledAgents: z.array(z.string()),
	skills: z.array(CoderSkillRefSchema),
	/**
	 * Skills the Hub added from `savedSkillIds` and `skillBucketIds` (strict mode), frozen when
	 * they were resolved; echoed after `skills`.
	 */
	inheritedSkills: z.array(CoderSkillRefSchema).optional(),
	repo: CoderSessionRepositoryRefSchema.optional(),
	repos: z.array(CoderSessionRepositoryRefSchema).optional(),
	workspaceId: z.string().optional(),
	/** The workspace's name and scope when the session was created (strict mode). */
	workspace: z.object({ name: z.string(), scope: z.enum(['user', 'org']) }).optional(),
	savedSkillIds: z.array(z.string()).optional(),
	skillBucketIds: z.array(z.string()).optional(),
	metadata: z.record(z.string(), z.unknown()),
	envKeys: z.array(z.string()),
	/** Create-time sandbox fields (runtime, resources, ...), echoed on detail only. */
	sandbox: z.record(z.string(), z.unknown()),
	/** Set through /_local; absent, the status is derived from age, activity and archive. */
	status: z.enum(SESSION_STATUSES).optional(),
	/** When a resume last woke the session (activity, for the idle timeout). */
	wokeAt: z.string().optional(),
	/** The loop's progress, set through /_local (GET /loop and the list's loopStatus show it). */
	loopState: z
		.object({
			status: CoderLoopStatusSchema,
			iteration: z.number().int().min(0),
			summary: z.string().optional(),
			nextAction: z.string().optional(),
		})
		.optional(),
	activity: SessionActivitySchema.optional(),
	/** Spawned by the Hub from another session (spawn.ts): where it came from, as listed. */
	parentSessionId: z.string().optional(),
	coordinationJobId: z.string().optional(),
	/** The list item's `sessionKind`; absent, an agent-builder session says `agent_builder`. */
	sessionKind: z.string().optional(),
	/** Agent-builder sessions (POST /hub/session/builder): what the builder was asked to do. */
	builder: z
		.object({
			mode: z.enum(['new', 'edit', 'from_session']),
			sourceSession: z.object({ sessionId: z.string(), label: z.string().optional() }).optional(),
			targetAgent: z
				.object({
					agentId: z.string().optional(),
					slug: z.string(),
					displayName: z.string().optional(),
				})
				.optional(),
		})
		.optional(),
});
export type StoredSession = z.infer<typeof StoredSessionSchema>;

/** Labels derived from the task are trimmed and cut to this many characters. */
export const DERIVED_LABEL_MAX = 200;

export function deriveLabel(task: string): string {
	const chars = Array.from(task.trim());
	return chars.length > DERIVED_LABEL_MAX
		? chars.slice(0, DERIVED_LABEL_MAX).join('')
		: chars.join('');
}

/** Is this session archived (history only)? */
export function isArchived(session: StoredSession): boolean {
	return session.archivedAt !== undefined;
}

/** The lowercase text `search` matches against: label, task and metadata values. */
export function searchText(session: StoredSession): string {
	const values = Object.values(session.metadata).map((value) =>
		typeof value === 'string' ? value : JSON.stringify(value)
	);
	return [session.label, session.task, ...values].join('\n').toLowerCase();
}

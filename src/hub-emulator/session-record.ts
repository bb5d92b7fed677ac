/**
 * The session as the local Hub stores it: normalised at create time, persisted as one JSON
 * object per journal `put`. Env values are never stored, only the keys (see wire.ts).
 */
import {
	CoderSessionLoopConfigSchema,
	CoderSessionRepositoryRefSchema,
	CoderSkillRefSchema,
	CoderWorkflowModeSchema,
} from '@agentuity/core/coder';
import { z } from 'zod';

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
	repo: CoderSessionRepositoryRefSchema.optional(),
	repos: z.array(CoderSessionRepositoryRefSchema).optional(),
	workspaceId: z.string().optional(),
	savedSkillIds: z.array(z.string()).optional(),
	skillBucketIds: z.array(z.string()).optional(),
	metadata: z.record(z.string(), z.unknown()),
	envKeys: z.array(z.string()),
	/** Create-time sandbox fields (runtime, resources, ...), echoed on detail only. */
	sandbox: z.record(z.string(), z.unknown()),
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

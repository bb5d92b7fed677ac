/**
 * Request bodies, validated with the SDK's own schemas, and what they do to a stored session.
 */
import {
	CoderCreateSessionRequestSchema,
	CoderUpdateSessionRequestSchema,
	type CoderUpdateSessionRequest,
} from '@agentuity/core/coder';
import * as z from 'zod';
import { DOCUMENTED_PATCH_KEYS, DocumentedPatchSchema } from './documented.js';
import { HttpError } from './errors.js';
import type { ResolvedReferences } from './session-references.js';
import { deriveLabel, type StoredSession } from './session-record.js';

// On the wire, file contents are base64 text (the SDK encodes Uint8Array before sending).
const Base64Schema = z
	.string()
	.refine((text) => /^[A-Za-z0-9+/_-]*={0,2}$/.test(text.replace(/\s/g, '')), {
		message: 'expected base64 file content',
	});
const WireFileSchema = z.object({ path: z.string(), content: Base64Schema });

export const CreateSessionWireSchema = CoderCreateSessionRequestSchema.omit({
	files: true,
	command: true,
}).extend({
	files: z.array(WireFileSchema).optional(),
	command: z
		.object({
			exec: z.array(z.string()),
			files: z.array(WireFileSchema).optional(),
			mode: z.enum(['oneshot', 'interactive']).optional(),
		})
		.optional(),
});
export type CreateSessionWire = z.infer<typeof CreateSessionWireSchema>;

/** Create-time fields kept as given and echoed on detail (file contents are dropped). */
const SANDBOX_FIELDS = [
	'projectId',
	'runtime',
	'runtimeId',
	'name',
	'description',
	'resources',
	'network',
	'stream',
	'timeout',
	'snapshot',
	'dependencies',
	'packages',
	'scopes',
] as const;

/** Validates a body with an SDK schema; failures become 400 CODER_INVALID_REQUEST. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
	const result = schema.safeParse(body);
	if (result.success) return result.data;
	const issues = result.error.issues.map((issue) => ({
		path: issue.path.map((part) => (typeof part === 'number' ? part : String(part))),
		code: issue.code,
		message: issue.message,
	}));
	const summary = issues
		.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
		.join('; ');
	throw new HttpError(400, 'CODER_INVALID_REQUEST', `Invalid request: ${summary}`, {}, { issues });
}

export function newSession(
	id: string,
	org: string,
	body: CreateSessionWire,
	at: string,
	resolved: ResolvedReferences = {}
): StoredSession {
	const sandbox: Record<string, unknown> = {};
	for (const field of SANDBOX_FIELDS) {
		if (body[field] !== undefined) sandbox[field] = body[field];
	}
	if (body.command) sandbox.command = { exec: body.command.exec, mode: body.command.mode };
	const files = [...(body.files ?? []), ...(body.command?.files ?? [])];
	if (files.length > 0) sandbox.files = files.map((file) => ({ path: file.path }));
	return {
		id,
		org,
		createdAt: at,
		updatedAt: at,
		task: body.task,
		label: body.label ?? deriveLabel(body.task),
		visibility: body.visibility ?? 'private',
		workflowMode: body.workflowMode ?? 'standard',
		...(body.loop ? { loop: body.loop } : {}),
		...(body.agent !== undefined ? { agent: body.agent } : {}),
		...(body.defaultAgent !== undefined ? { defaultAgent: body.defaultAgent } : {}),
		tags: body.tags ?? [],
		enabledAgents: body.enabledAgents ?? [],
		skills: body.skills ?? [],
		...(body.repo ? { repo: body.repo } : {}),
		...(body.repos ? { repos: body.repos } : {}),
		...(body.workspaceId !== undefined ? { workspaceId: body.workspaceId } : {}),
		...(resolved.workspace ? { workspace: resolved.workspace } : {}),
		...(resolved.inheritedSkills ? { inheritedSkills: resolved.inheritedSkills } : {}),
		...(body.savedSkillIds ? { savedSkillIds: body.savedSkillIds } : {}),
		...(body.skillBucketIds ? { skillBucketIds: body.skillBucketIds } : {}),
		metadata: body.metadata ?? {},
		envKeys: Object.keys(body.env ?? {}).sort(),
		sandbox,
	};
}

/**
 * A PATCH: the SDK's update request (the lenient Hub also takes `workflowMode` and `loop`), plus
 * the `savedSkillIds` and `skillBucketIds` the REST reference documents.
 */
export type SessionPatch = CoderUpdateSessionRequest & {
	readonly savedSkillIds?: string[];
	readonly skillBucketIds?: string[];
};

/** The lenient Hub's PATCH body: the SDK's update request and the reference's extra keys. */
export const UpdateSessionWireSchema = CoderUpdateSessionRequestSchema.extend({
	savedSkillIds: z.array(z.string()).optional(),
	skillBucketIds: z.array(z.string()).optional(),
});

/** Keys a lenient PATCH may carry that the local Hub applies; anything else is ignored (hub-api §12.3). */
const PATCHABLE = new Set(Object.keys(UpdateSessionWireSchema.shape));

export function ignoredPatchKeys(raw: unknown): string[] {
	if (raw === null || typeof raw !== 'object') return [];
	return Object.keys(raw).filter((key) => !PATCHABLE.has(key));
}

/**
 * The strict Hub's PATCH body: the REST reference's wire schema, nothing else. A key outside it
 * (`workflowMode`, `loop`, `task`, ...) is a 400 naming it, rather than a change silently dropped.
 */
export function parseDocumentedPatch(raw: unknown): SessionPatch {
	if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
		const allowed = new Set(DOCUMENTED_PATCH_KEYS);
		const undocumented = Object.keys(raw).filter((key) => !allowed.has(key));
		if (undocumented.length > 0) {
			throw new HttpError(
				400,
				'CODER_INVALID_REQUEST',
				`Invalid request: PATCH takes only the documented keys ${DOCUMENTED_PATCH_KEYS.join(', ')}; not ${undocumented.join(', ')}`,
				{},
				{ undocumentedKeys: undocumented }
			);
		}
	}
	return parseBody(DocumentedPatchSchema, raw) as SessionPatch;
}

/**
 * Metadata merges (string values); tags, enabledAgents and skills replace; savedSkillIds and
 * skillBucketIds replace the ids and the skills they stand for (`resolved`, strict mode).
 */
export function patchSession(
	session: StoredSession,
	patch: SessionPatch,
	at: string,
	resolved: ResolvedReferences = {}
): StoredSession {
	return {
		...session,
		updatedAt: at,
		...(patch.savedSkillIds !== undefined ? { savedSkillIds: patch.savedSkillIds } : {}),
		...(patch.skillBucketIds !== undefined ? { skillBucketIds: patch.skillBucketIds } : {}),
		...(resolved.inheritedSkills ? { inheritedSkills: resolved.inheritedSkills } : {}),
		...(patch.label !== undefined ? { label: patch.label } : {}),
		...(patch.agent !== undefined ? { agent: patch.agent } : {}),
		...(patch.defaultAgent !== undefined ? { defaultAgent: patch.defaultAgent } : {}),
		...(patch.visibility !== undefined ? { visibility: patch.visibility } : {}),
		...(patch.workflowMode !== undefined ? { workflowMode: patch.workflowMode } : {}),
		...(patch.loop !== undefined ? { loop: patch.loop } : {}),
		...(patch.tags !== undefined ? { tags: patch.tags } : {}),
		...(patch.enabledAgents !== undefined ? { enabledAgents: patch.enabledAgents } : {}),
		...(patch.skills !== undefined ? { skills: patch.skills } : {}),
		...(patch.metadata !== undefined
			? { metadata: { ...session.metadata, ...patch.metadata } }
			: {}),
	};
}

/**
 * Field schemas shared by `defaults` and each session. Every field carries a description, so
 * the generated JSON Schema documents the spec in editors. Field names follow the SDK's
 * CoderCreateSessionRequest.
 */
import { MARKER_PREFIX } from '../ownership/markers.js';
import { z } from 'zod';
import { showValue } from './describe-value.js';
import { ENV_NAME_PATTERN, templateProblems } from '../session/env-template.js';
import { VISIBILITY_INPUTS, isVisibilityInput } from './visibility.js';

/** How messages name a schema the generic wording gets wrong (unions, mostly). */
export const expectedNames = z.registry<{ readonly one: string; readonly many: string }>();

export const REPO_SHORTHAND_PATTERN = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)(?:#(\S+))?$/;

const text = (description: string) => z.string().optional().describe(description);
const textList = (description: string) => z.array(z.string()).optional().describe(description);

const RepoObjectSchema = z.strictObject({
	owner: z.string().min(1).describe('Repository owner or organization'),
	name: z.string().min(1).describe('Repository name'),
	branch: text('Branch checked out for the session'),
	ref: text('Ref checked out for the session'),
	commit: text('Commit SHA to pin the workspace to'),
	path: text('Subpath of the repository mounted in the session'),
	provider: text('Git provider identifier (e.g. github)'),
	url: text('Repository web URL'),
});

export const RepoSchema = z
	.union(
		[
			z.string().regex(REPO_SHORTHAND_PATTERN, {
				error: (issue) =>
					`expected "owner/name" or "owner/name#branch" (got ${showValue(issue.input)})`,
			}),
			RepoObjectSchema,
		],
		{
			error: (issue) =>
				`expected "owner/name[#branch]" or a mapping with owner and name (got ${showValue(issue.input)})`,
		}
	)
	.meta({ id: 'repository' })
	.register(expectedNames, {
		one: 'a repository ("owner/name[#branch]" or a mapping with owner and name)',
		many: 'repositories',
	});

const LoopSchema = z
	.strictObject({
		goal: text('High-level goal the loop works towards'),
		maxIterations: z
			.number()
			.int()
			.min(1)
			.optional()
			.describe('Maximum loop iterations before completion'),
		autoContinue: z
			.boolean()
			.optional()
			.describe('Whether the loop continues without manual approval'),
		allowDetached: z
			.boolean()
			.optional()
			.describe('Whether the loop keeps running when no client is attached'),
	})
	.describe('Loop mode settings; a loop block implies workflowMode: loop')
	.meta({ id: 'loop' });

const VisibilitySchema = z
	.string()
	.refine(isVisibilityInput, {
		error: (issue) =>
			`expected one of private, organization, collaborate (got ${showValue(issue.input)})`,
	})
	.meta({ enum: [...VISIBILITY_INPUTS] });

const MetadataKeySchema = z
	.string()
	.min(1)
	.refine((key) => !key.startsWith(MARKER_PREFIX), {
		error: (issue) =>
			`metadata key ${showValue(issue.input)} is reserved: keys starting with "${MARKER_PREFIX}" are written by coder-sessions itself`,
	});

const EnvNameSchema = z.string().regex(ENV_NAME_PATTERN, {
	error: (issue) =>
		`invalid environment variable name ${showValue(issue.input)}: use letters, digits and underscores, not starting with a digit`,
});

const EnvTemplateSchema = z.string().superRefine((value, context) => {
	for (const message of templateProblems(value)) context.addIssue({ code: 'custom', message });
});

/** The sandbox settings of the SDK's create request, written flat on the entry as the SDK does. */
export const sandboxFields = {
	projectId: text('Project ID to associate the session sandbox with'),
	runtime: text('Runtime name for the session sandbox (e.g. "bun:1", "python:3.14")'),
	runtimeId: text('Runtime ID for the session sandbox (e.g. "srt_xxx")'),
	name: text('Sandbox name'),
	description: text('Sandbox description'),
	snapshot: text('Snapshot ID or tag to restore the sandbox from'),
	resources: z
		.strictObject({
			memory: text('Memory limit (e.g. "500Mi", "1Gi")'),
			cpu: text('CPU limit in millicores (e.g. "500m", "1000m")'),
			disk: text('Disk limit (e.g. "500Mi", "1Gi")'),
		})
		.optional()
		.describe('Resource limits for the session sandbox'),
	network: z
		.strictObject({
			enabled: z.boolean().optional().describe('Whether outbound network access is enabled'),
			port: z
				.number()
				.int()
				.min(1024)
				.max(65535)
				.optional()
				.describe('Port to expose from the sandbox (1024-65535)'),
		})
		.optional()
		.describe('Network configuration for the session sandbox'),
	timeout: z
		.strictObject({
			idle: text('Idle timeout before the sandbox is reaped (e.g. "10m", "1h")'),
			execution: text('Maximum execution time per command (e.g. "5m", "1h")'),
			paused: text('Maximum time the sandbox may stay paused (e.g. "24h", "0" for no limit)'),
		})
		.optional()
		.describe('Timeout configuration for the session sandbox'),
	dependencies: textList('Apt packages to install when the sandbox is created'),
	packages: textList('npm/bun packages to install globally when the sandbox is created'),
	scopes: textList('Permission scopes for automatic service access (e.g. "services:read")'),
};

/** Fields allowed both in `defaults` and on each session. */
export const sharedFields = {
	visibility: VisibilitySchema.optional().describe(
		'Who can see the session: private, organization (alias org) or collaborate (alias collab); case-insensitive'
	),
	tags: z
		.array(z.string().min(1))
		.optional()
		.describe('Tags for filtering; tags from defaults are added to these'),
	repo: RepoSchema.optional().describe(
		'Primary repository: "owner/name", "owner/name#branch", or a mapping {owner, name, branch, ref, commit, path, provider, url}'
	),
	repos: z
		.array(RepoSchema)
		.optional()
		.describe('Further repositories mounted in the session, each in either form of repo'),
	workflowMode: z
		.enum(['standard', 'loop'])
		.optional()
		.describe('Workflow execution mode; a loop block implies loop'),
	loop: LoopSchema.optional().describe(
		'Loop mode settings {goal, maxIterations, autoContinue, allowDetached}; implies workflowMode: loop'
	),
	agent: text('Default agent identifier to use for execution'),
	defaultAgent: text('Preferred default agent identifier for routing session prompts'),
	enabledAgents: textList('Enabled agent roster for the session'),
	savedSkillIds: textList('Saved skill IDs to attach to the session on creation'),
	skillBucketIds: textList('Skill bucket IDs to attach to the session on creation'),
	workspaceId: text('Workspace identifier associated with the session'),
	metadata: z
		.record(MetadataKeySchema, z.string())
		.optional()
		.describe(
			`String metadata, merged over the defaults' metadata; keys starting with "${MARKER_PREFIX}" are reserved`
		),
	env: z
		.record(EnvNameSchema, EnvTemplateSchema)
		.optional()
		.describe(
			'Environment variables for the session runtime. Values are templates: ${NAME} is read from the environment at apply time; $$ is a literal $ (so $${ is a literal ${); $NAME without braces is an error'
		),
	...sandboxFields,
};

/**
 * Cross-field rules run even when another field of the entry is invalid (zod skips them then by
 * default), so one run reports every error; they read only the fields they name.
 */
export const EVEN_WITH_OTHER_ERRORS = {
	when: (payload: { readonly value: unknown }) =>
		typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
};

/** A loop block with an explicit `workflowMode: standard` contradicts itself. */
export function rejectLoopInStandardMode(
	value: { readonly workflowMode?: string; readonly loop?: unknown },
	context: z.RefinementCtx
): void {
	if (value.loop === undefined || value.workflowMode !== 'standard') return;
	context.addIssue({
		code: 'custom',
		path: ['workflowMode'],
		input: value.workflowMode,
		message:
			'is "standard" but a loop block is set: use workflowMode: loop, or remove the loop block',
	});
}

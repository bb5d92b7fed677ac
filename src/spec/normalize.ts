/** One entry plus its file's defaults into the DesiredSession every later stage reads. */
import { REPO_SHORTHAND_PATTERN } from './schema-fields.js';
import type { SessionDefaults, SessionEntry } from './schema.js';
import type {
	DesiredSession,
	LoopConfig,
	RepoRef,
	SandboxConfig,
	SourceLocation,
	WorkflowMode,
} from '../session/desired.js';
import { normalizeVisibility } from './visibility.js';

type RepoInput = NonNullable<SessionEntry['repo']>;

/** Drops keys whose value is undefined, so equal sessions compare and serialise equal. */
function defined<T extends object>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** Merges two settings mappings key by key; undefined when neither is set. */
function mergeShallow<T extends object>(base: T | undefined, over: T | undefined): T | undefined {
	if (base === undefined && over === undefined) return undefined;
	return defined({ ...base, ...over } as T);
}

/** `owner/name#branch` or the mapping form, as a RepoRef. */
export function parseRepo(input: RepoInput): RepoRef {
	if (typeof input !== 'string') return defined({ ...input });
	const match = REPO_SHORTHAND_PATTERN.exec(input);
	if (!match) throw new Error(`repo ${JSON.stringify(input)} passed the schema but does not parse`);
	const [, owner = '', name = '', branch] = match;
	return defined({ owner, name, branch });
}

/**
 * A loop block implies loop mode; an explicit standard mode drops a loop inherited from the
 * defaults (a loop and standard in the same block is rejected by the schema).
 */
function resolveWorkflow(
	entry: SessionEntry,
	defaults: SessionDefaults
): { workflowMode?: WorkflowMode; loop?: LoopConfig } {
	const workflowMode =
		entry.workflowMode ??
		(entry.loop ? 'loop' : undefined) ??
		defaults.workflowMode ??
		(defaults.loop ? 'loop' : undefined);
	const loop = workflowMode === 'loop' ? mergeShallow(defaults.loop, entry.loop) : undefined;
	return { workflowMode, loop };
}

function resolveSandbox(entry: SessionEntry, defaults: SessionDefaults): SandboxConfig | undefined {
	const sandbox: SandboxConfig = defined({
		projectId: entry.projectId ?? defaults.projectId,
		runtime: entry.runtime ?? defaults.runtime,
		runtimeId: entry.runtimeId ?? defaults.runtimeId,
		name: entry.name ?? defaults.name,
		description: entry.description ?? defaults.description,
		snapshot: entry.snapshot ?? defaults.snapshot,
		resources: mergeShallow(defaults.resources, entry.resources),
		network: mergeShallow(defaults.network, entry.network),
		timeout: mergeShallow(defaults.timeout, entry.timeout),
		dependencies: entry.dependencies ?? defaults.dependencies,
		packages: entry.packages ?? defaults.packages,
		scopes: entry.scopes ?? defaults.scopes,
	});
	return Object.keys(sandbox).length > 0 ? sandbox : undefined;
}

export function normalizeSession(
	key: string,
	entry: SessionEntry,
	defaults: SessionDefaults = {},
	source: SourceLocation
): DesiredSession {
	const visibility = entry.visibility ?? defaults.visibility;
	const repo = entry.repo ?? defaults.repo;
	const repos = entry.repos ?? defaults.repos;
	return defined<DesiredSession>({
		key,
		task: entry.task,
		label: entry.label,
		tags: unique([...(defaults.tags ?? []), ...(entry.tags ?? [])]),
		visibility: visibility === undefined ? undefined : normalizeVisibility(visibility),
		...resolveWorkflow(entry, defaults),
		agent: entry.agent ?? defaults.agent,
		defaultAgent: entry.defaultAgent ?? defaults.defaultAgent,
		enabledAgents: entry.enabledAgents ?? defaults.enabledAgents,
		savedSkillIds: entry.savedSkillIds ?? defaults.savedSkillIds,
		skillBucketIds: entry.skillBucketIds ?? defaults.skillBucketIds,
		repo: repo === undefined ? undefined : parseRepo(repo),
		repos: repos?.map(parseRepo),
		workspaceId: entry.workspaceId ?? defaults.workspaceId,
		metadata: { ...defaults.metadata, ...entry.metadata },
		env: { ...defaults.env, ...entry.env },
		sandbox: resolveSandbox(entry, defaults),
		state: entry.state ?? 'active',
		protect: entry.protect ?? false,
		ignoreChanges: unique(entry.ignoreChanges ?? []),
		adopt: entry.adopt?.trim(),
		...(entry.takeOver ? { takeOver: true as const } : {}),
		source,
	});
}

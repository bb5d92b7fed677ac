/**
 * The validated, normalised spec that every later stage reads. Produced by src/spec/parse.ts
 * from one or more YAML files; defaults are merged and shorthands expanded, env references are
 * kept unresolved.
 */

export type Visibility = 'private' | 'organization' | 'collaborate';
export type WorkflowMode = 'standard' | 'loop';
export type Prune = 'archive' | 'delete' | 'keep';
export type DesiredState = 'active' | 'archived';

export interface LoopConfig {
	readonly goal?: string;
	readonly maxIterations?: number;
	readonly autoContinue?: boolean;
	readonly allowDetached?: boolean;
}

/** A repository pinned to a session; `repo: owner/name#branch` expands to this. */
export interface RepoRef {
	readonly owner: string;
	readonly name: string;
	readonly branch?: string;
	readonly ref?: string;
	readonly commit?: string;
	readonly path?: string;
	readonly provider?: string;
	readonly url?: string;
}

/** Fields of the SDK create request that configure the sandbox; all fixed at creation. */
export interface SandboxConfig {
	readonly projectId?: string;
	readonly runtime?: string;
	readonly runtimeId?: string;
	readonly name?: string;
	readonly description?: string;
	readonly snapshot?: string;
	readonly resources?: { readonly memory?: string; readonly cpu?: string; readonly disk?: string };
	readonly network?: { readonly enabled?: boolean; readonly port?: number };
	readonly timeout?: {
		readonly idle?: string;
		readonly execution?: string;
		readonly paused?: string;
	};
	readonly dependencies?: readonly string[];
	readonly packages?: readonly string[];
	readonly scopes?: readonly string[];
}

export interface SourceLocation {
	readonly file: string;
	readonly line: number;
	readonly column: number;
}

/** Fields an entry may list under `ignoreChanges`: plan leaves their differences alone. */
export const IGNORABLE_FIELDS = [
	'label',
	'visibility',
	'tags',
	'workflowMode',
	'loop',
	'agent',
	'defaultAgent',
	'enabledAgents',
	'metadata',
	'task',
	'env',
	'repo',
	'repos',
	'workspaceId',
	'savedSkillIds',
	'skillBucketIds',
	'sandbox',
] as const;
export type IgnorableField = (typeof IGNORABLE_FIELDS)[number];

export interface DesiredSession {
	/** The entry key: stable identity, stored in metadata `coder-sessions/key`. */
	readonly key: string;
	readonly task: string;
	readonly label?: string;
	/** Defaults' tags unioned with the entry's, de-duplicated, in first-seen order. */
	readonly tags: readonly string[];
	readonly visibility?: Visibility;
	readonly workflowMode?: WorkflowMode;
	readonly loop?: LoopConfig;
	readonly agent?: string;
	readonly defaultAgent?: string;
	readonly enabledAgents?: readonly string[];
	readonly savedSkillIds?: readonly string[];
	readonly skillBucketIds?: readonly string[];
	readonly repo?: RepoRef;
	readonly repos?: readonly RepoRef[];
	readonly workspaceId?: string;
	/** Defaults' metadata merged under the entry's; string values only. */
	readonly metadata: Readonly<Record<string, string>>;
	/**
	 * Env templates as written, e.g. `${API_TOKEN}` or `Bearer ${TOKEN}`; never resolved here.
	 * `$$` stands for a literal `$` (so `$${` for a literal `${`).
	 */
	readonly env: Readonly<Record<string, string>>;
	readonly sandbox?: SandboxConfig;
	readonly state: DesiredState;
	readonly protect: boolean;
	readonly ignoreChanges: readonly IgnorableField[];
	/** A live session to adopt (mark as this entry's) while no active session of the stack has the key. */
	readonly adopt?: string;
	/** `takeOver: true`: the `adopt:` target may belong to another stack (`--take-over` for this entry). */
	readonly takeOver?: true;
	/** Where the entry is declared, for messages. */
	readonly source: SourceLocation;
}

export interface Spec {
	readonly version: 1;
	readonly stack: string;
	readonly prune: Prune;
	/**
	 * `allowRemovals:` the exact removal count the safety rails let pass, reviewable in the spec
	 * (as `--allow-removals N`).
	 */
	readonly allowRemovals?: number;
	/** Sorted by key. */
	readonly sessions: readonly DesiredSession[];
	/** The files the spec was read from, in the order given. */
	readonly files: readonly string[];
}

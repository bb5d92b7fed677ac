/**
 * The tool's view of one Hub session, read from the SDK's session detail. It holds what that
 * detail holds: no agent and no loop settings, which the detail does not carry (see the field
 * table's `echo`).
 */
import type { RepoRef, WorkflowMode } from './desired.js';

export type Bucket = 'running' | 'paused' | 'provisioning' | 'history';

/** Where a session the Hub spawned came from, as the Hub says (at least one is set). */
export interface SpawnOrigin {
	readonly parentSessionId?: string;
	readonly coordinationJobId?: string;
	/** Set when it is not a plain session's kind. */
	readonly sessionKind?: string;
}

export interface LiveSession {
	readonly id: string;
	readonly label: string;
	readonly status: string;
	readonly bucket: Bucket;
	/** History-only: archived, shut down or stopped. Archive is one-way on the Hub. */
	readonly archived: boolean;
	readonly visibility: string;
	readonly workflowMode: WorkflowMode;
	readonly tags: readonly string[];
	readonly enabledAgents: readonly string[];
	readonly defaultAgent?: string;
	/** Detail only; absent when the Hub does not echo it. */
	readonly task?: string;
	readonly repo?: RepoRef;
	readonly repos?: readonly RepoRef[];
	readonly workspaceId?: string;
	/**
	 * Metadata with every value as a string (non-strings JSON-encoded). A session the Hub spawned
	 * has none of the `coder-sessions/` markers here, whatever copy of its parent's it carries:
	 * such a session is never any stack's.
	 */
	readonly metadata: Readonly<Record<string, string>>;
	/**
	 * Set when the Hub spawned this session from another (a worker, a derived session, a step of
	 * a coordination job), as its `parentSessionId`, `coordinationJobId` or `sessionKind` say. It
	 * is never matched, deduped, adopted, imported, exported or pruned: only counted.
	 */
	readonly spawned?: SpawnOrigin;
	/** The env keys the Hub echoes, never the values. */
	readonly envKeys: readonly string[];
	/**
	 * Where the Hub echoes env values: a digest of each with this process's own key (never
	 * written anywhere), to tell whether the session holds the value resolved now.
	 */
	readonly envEcho?: Readonly<Record<string, string>>;
	readonly createdAt: string;
	readonly updatedAt?: string;
	readonly lastActivityAt?: string;
	readonly participantCount: number;
	/** Loop mode: the loop's status and iteration as the Hub lists them (`loopStatus`, `loopIteration`). */
	readonly loopStatus?: string;
	readonly loopIteration?: number;
	/**
	 * The keys of the SDK's session detail that field rows read (`detailKeys` in the field table),
	 * as the Hub sent them: a field the Hub echoes needs no property of its own. Never env.
	 */
	readonly detail?: Readonly<Record<string, unknown>>;
}

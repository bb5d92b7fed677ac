/**
 * The kinds of the Coder Hub a spec may declare beside sessions: saved skills, skill buckets,
 * custom agents and workspaces, in the order they stand on one another.
 */
import type { KindTable } from './kind.js';
import { BUILT_IN_KINDS } from './table.js';

export { agentKind, BUILT_IN_AGENTS } from './agent.js';
export { skillBucketKind } from './skill-bucket.js';
export { skillKind } from './skill.js';
export { workspaceKind } from './workspace.js';

export const CODER_KINDS: KindTable = BUILT_IN_KINDS;

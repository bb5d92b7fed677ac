/**
 * The built-in kind table: the kinds a spec may declare, one row each: sessions, then the kinds
 * of the Coder Hub they stand on (saved skills, skill buckets, custom agents, workspaces).
 * Operations take a table as a parameter with this one as default, so a library caller or a
 * test can add rows.
 */
import { agentKind } from './agent.js';
import type { KindTable, SessionKindRow } from './kind.js';
import { skillBucketKind } from './skill-bucket.js';
import { skillKind } from './skill.js';
import { workspaceKind } from './workspace.js';

export const sessionKind: SessionKindRow = {
	builtIn: 'session',
	name: 'session',
	section: 'sessions',
	qualify: 'bare',
	// Sessions stand on every other kind (workspaces, agents, skills): created last, removed first.
	level: 100,
	references: [],
};

export const BUILT_IN_KINDS: KindTable = [
	sessionKind,
	skillKind,
	skillBucketKind,
	agentKind,
	workspaceKind,
];

/** Sessions alone: a library caller or test that plans sessions without reading other kinds. */
export const SESSION_KINDS: KindTable = [sessionKind];

/**
 * The built-in kind table: the kinds a spec may declare, one row each. Sessions are the first
 * row; agents, workspaces, saved skills and skill buckets are rows to come. Operations take a
 * table as a parameter with this one as default, so a library caller or a test can add rows.
 */
import type { KindTable, SessionKindRow } from './kind.js';

export const sessionKind: SessionKindRow = {
	builtIn: 'session',
	name: 'session',
	section: 'sessions',
	qualify: 'bare',
	// Sessions stand on every other kind (workspaces, agents, skills): created last, removed first.
	level: 100,
	references: [],
};

export const BUILT_IN_KINDS: KindTable = [sessionKind];

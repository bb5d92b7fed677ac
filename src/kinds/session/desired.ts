/**
 * The validated, normalised spec that every later stage reads. Produced by src/spec/parse.ts
 * from one or more YAML files; defaults are merged and shorthands expanded, env references are
 * kept unresolved.
 */
import type { DesiredFields, IgnorableField } from './fields/index.js';
import type { DesiredResource } from '../kind.js';

export type Visibility = 'private' | 'organization' | 'collaborate';
export type Prune = 'archive' | 'delete' | 'keep';
export type DesiredState = 'active' | 'archived' | 'unmanaged';

export type { WorkflowMode, LoopConfig } from './fields/workflow.js';
export type { RepoRef } from './fields/repo.js';
export type { SandboxConfig } from './fields/sandbox.js';

export interface SourceLocation {
	readonly file: string;
	readonly line: number;
	readonly column: number;
}

export { IGNORABLE_FIELDS, type IgnorableField } from './fields/index.js';

/** One entry: the fields of the field table (src/kinds/session/fields), plus how the tool treats it. */
export interface DesiredSession extends DesiredFields {
	/** The entry key: stable identity, stored in metadata `coder-sessions/key`. */
	readonly key: string;
	readonly state: DesiredState;
	readonly protect: boolean;
	readonly ignoreChanges: readonly IgnorableField[];
	/** A live session to adopt (mark as this entry's) while no active session of the stack has the key. */
	readonly adopt?: string;
	/** `takeOver: true`: the `adopt:` target may belong to another stack (`--take-over` for this entry). */
	readonly takeOver?: true;
	/** Where the entry is declared, for messages. */
	readonly source: SourceLocation;
	/** The key of the `forEach` entry this one was expanded from; absent for a plain entry. */
	readonly template?: string;
}

/** A spec variable in effect: its value, and whether `vars:`, a var file or `--var` gave it. */
export interface SpecVar {
	readonly value: unknown;
	readonly origin: 'vars' | 'var-file' | 'var';
	/** The var file, for `var-file`. */
	readonly file?: string;
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
	/**
	 * The entries of the other kinds of the kind table (src/kinds/table.ts), sorted by kind and
	 * key; absent when the table has no kind but sessions.
	 */
	readonly resources?: readonly DesiredResource[];
	/** The vars the spec was expanded with, by name; absent when it declares none. */
	readonly vars?: Readonly<Record<string, SpecVar>>;
}

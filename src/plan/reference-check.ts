/**
 * The reference check, pure: which Hub records (workspaces, saved skills, skill buckets, custom
 * agents) a plan names, and which of them the Hub does not hold. Checked, as in the repo check,
 * when a reference is sent to the Hub: every reference of an entry the plan creates or replaces,
 * and the agent fields an update or adopt changes in place (only the names it adds to
 * `enabledAgents`). A running session whose workspace was deleted later is left alone.
 */
import { readEntryToken } from '../kinds/session/entry-reference.js';
import type { LibraryEntry, LibraryKind } from '../hub/types.js';
import { didYouMean } from '../spec/did-you-mean.js';
import type { PathSegment, SpecError } from '../spec/errors.js';
import type { DesiredSession, SourceLocation } from '../kinds/session/desired.js';
import type { Action, FieldChange, Plan } from './types.js';

export type ReferenceKind = LibraryKind;

export const REFERENCE_KINDS: readonly ReferenceKind[] = [
	'workspace',
	'savedSkill',
	'skillBucket',
	'agent',
];

/** How messages name each kind. */
export const KIND_NOUN: Readonly<Record<ReferenceKind, string>> = {
	workspace: 'workspace',
	savedSkill: 'saved skill',
	skillBucket: 'skill bucket',
	agent: 'agent',
};

/**
 * The Hub's built-in agents, valid without a lookup: the names the SDK's documentation and
 * source give (the "Choosing built-in agents" cookbook: lead, builder, reviewer; the live
 * protocol's sub-agent roles: scout). The Hub has no route that lists them.
 */
export const BUILT_IN_AGENTS: readonly string[] = ['lead', 'scout', 'builder', 'reviewer'];

export const isBuiltInAgent = (name: string) => BUILT_IN_AGENTS.includes(name);

export interface Reference {
	readonly key: string;
	readonly kind: ReferenceKind;
	/** The id (or, for an agent, the name) as the spec writes it. */
	readonly id: string;
	/** Where in the spec, e.g. ['sessions', 'api-docs', 'savedSkillIds', 1]. */
	readonly path: readonly PathSegment[];
	/** The entry's declaration. */
	readonly source: SourceLocation;
}

export interface KnownRecords {
	/** Ids (and for agents, slugs) the Hub answered for. */
	readonly found: ReadonlySet<string>;
	/** Records to suggest from when a reference is not found. */
	readonly entries: readonly LibraryEntry[];
}

export interface ReferenceProblem extends Reference {
	readonly message: string;
}

type Collect = (kind: ReferenceKind, id: string, path: readonly PathSegment[]) => void;

/** The references of the entries the plan creates, replaces or changes in place, in plan order. */
export function referencesOf(plan: Plan): Reference[] {
	const references: Reference[] = [];
	// Agents the spec declares are named by their slugs before they exist; entries the run
	// creates first are tokens until then (entry-reference.ts): the plan vouches for both.
	const declaredAgents = new Set(
		(plan.resources?.actions ?? [])
			.filter((action) => action.resource === 'agent' && action.kind !== 'delete')
			.map((action) => (action.desired?.slug as string | undefined) ?? action.key)
	);
	for (const action of plan.actions) {
		if (!('desired' in action)) continue;
		const { key, source } = action.desired;
		const add: Collect = (kind, id, path) => {
			if (readEntryToken(id) || (kind === 'agent' && declaredAgents.has(id))) return;
			references.push({ key, kind, id, path: ['sessions', key, ...path], source });
		};
		if (action.kind === 'create' || action.kind === 'replace') {
			createdReferences(action.desired, add);
		} else if (action.kind === 'update' || action.kind === 'adopt') {
			changedAgentReferences(action, add);
		}
	}
	return references;
}

function createdReferences(desired: DesiredSession, add: Collect): void {
	if (desired.workspaceId !== undefined) add('workspace', desired.workspaceId, ['workspaceId']);
	desired.savedSkillIds?.forEach((id, i) => add('savedSkill', id, ['savedSkillIds', i]));
	desired.skillBucketIds?.forEach((id, i) => add('skillBucket', id, ['skillBucketIds', i]));
	if (desired.agent !== undefined) add('agent', desired.agent, ['agent']);
	if (desired.defaultAgent !== undefined) add('agent', desired.defaultAgent, ['defaultAgent']);
	desired.enabledAgents?.forEach((name, i) => add('agent', name, ['enabledAgents', i]));
}

function changedAgentReferences(
	action: Extract<Action, { kind: 'update' | 'adopt' }>,
	add: Collect
): void {
	const { desired } = action;
	const changed = (field: FieldChange['field']) =>
		action.changes.find((change) => change.field === field);
	if (changed('agent') && desired.agent !== undefined) add('agent', desired.agent, ['agent']);
	if (changed('defaultAgent') && desired.defaultAgent !== undefined) {
		add('agent', desired.defaultAgent, ['defaultAgent']);
	}
	const roster = changed('enabledAgents');
	if (roster && desired.enabledAgents !== undefined) {
		const before = Array.isArray(roster.before) ? (roster.before as unknown[]) : [];
		desired.enabledAgents.forEach((name, i) => {
			if (!before.includes(name)) add('agent', name, ['enabledAgents', i]);
		});
	}
}

/** The distinct ids of one kind the Hub must answer for; built-in agents need no lookup. */
export function idsToLookUp(references: readonly Reference[], kind: ReferenceKind): string[] {
	const ids = references
		.filter((reference) => reference.kind === kind)
		.map((reference) => reference.id)
		.filter((id) => kind !== 'agent' || !isBuiltInAgent(id));
	return [...new Set(ids)];
}

/**
 * A problem per reference the Hub does not hold. A kind absent from `known` was not checked
 * (the Hub cannot answer it): its references pass.
 */
export function findReferenceProblems(
	references: readonly Reference[],
	known: ReadonlyMap<ReferenceKind, KnownRecords>
): ReferenceProblem[] {
	const problems: ReferenceProblem[] = [];
	for (const reference of references) {
		if (reference.kind === 'agent' && isBuiltInAgent(reference.id)) continue;
		const records = known.get(reference.kind);
		if (!records || records.found.has(reference.id)) continue;
		problems.push({ ...reference, message: problemMessage(reference, records.entries) });
	}
	return problems;
}

function problemMessage(reference: Reference, entries: readonly LibraryEntry[]): string {
	const noun = KIND_NOUN[reference.kind];
	const what =
		reference.kind === 'agent'
			? `agent "${reference.id}" is neither a built-in agent (${BUILT_IN_AGENTS.join(', ')}) nor a custom agent's id or slug on the Hub`
			: `no ${noun} "${reference.id}" on the Hub`;
	return `${what}${suggestion(reference, entries)}`;
}

/** `; did you mean ws_1 (named "docs")?` for a record's other name, or a near id, slug or name. */
function suggestion(reference: Reference, entries: readonly LibraryEntry[]): string {
	const wanted = reference.id.toLowerCase();
	const valid = (entry: LibraryEntry) => entry.slug ?? entry.id;
	const byName = entries.find((entry) => entry.names.some((name) => name.toLowerCase() === wanted));
	if (byName) return `; did you mean ${valid(byName)} (named "${reference.id}")?`;
	const builtIns = reference.kind === 'agent' ? BUILT_IN_AGENTS : [];
	const candidates = [
		...builtIns,
		...entries.flatMap((entry) => [entry.id, ...(entry.slug ? [entry.slug] : []), ...entry.names]),
	];
	const close = didYouMean(reference.id, candidates);
	if (!close) return '';
	const owner = entries.find((entry) => entry.names.includes(close));
	return owner ? `; did you mean ${valid(owner)} (named "${close}")?` : `; did you mean ${close}?`;
}

/** Problems as spec errors, to print compiler-style at the entry's declaration. */
export function referenceProblemsAsSpecErrors(problems: readonly ReferenceProblem[]): SpecError[] {
	return problems.map((problem) => ({
		file: problem.source.file,
		at: { line: problem.source.line, column: problem.source.column },
		path: problem.path,
		message: problem.message,
	}));
}

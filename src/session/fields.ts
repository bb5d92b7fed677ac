/**
 * The field table: how each field is read from the spec and from the live session, and whether a
 * difference is updated in place or forces a replace (design.md section 4, hub-api.md 7.1).
 */
import type { LiveSession } from './live.js';
import { IGNORABLE_FIELDS, type DesiredSession, type IgnorableField } from './desired.js';

/** The fields plan compares; `protect` is the `coder-sessions/protect` marker. */
export type FieldName =
	| 'label'
	| 'visibility'
	| 'tags'
	| 'workflowMode'
	| 'loop'
	| 'agent'
	| 'defaultAgent'
	| 'enabledAgents'
	| 'metadata'
	| 'protect'
	| 'task'
	| 'env'
	| 'repo'
	| 'repos'
	| 'workspaceId'
	| 'savedSkillIds'
	| 'skillBucketIds'
	| 'sandbox';

export type StampedField = Exclude<IgnorableField, 'env'>;

/** Fields recorded by digest: every field plan compares, but env and protect (their own markers). */
export const STAMPED_FIELDS: readonly StampedField[] = IGNORABLE_FIELDS.filter(
	(field): field is StampedField => field !== 'env'
);

/** The value of a field as the spec declares it, normalised for comparison. */
export function desiredFieldValue(desired: DesiredSession, field: StampedField): unknown {
	switch (field) {
		case 'tags':
			return [...new Set(desired.tags)].sort();
		case 'enabledAgents':
			return desired.enabledAgents ? [...new Set(desired.enabledAgents)].sort() : undefined;
		case 'metadata':
			return desired.metadata;
		default:
			return desired[field];
	}
}

export interface FieldRule {
	readonly onChange: 'update' | 'replace';
	/**
	 * The live value, or undefined when the Hub does not echo it (the stamp decides then).
	 * Fields without a reader are compared through the stamp only: the Hub may normalise them
	 * (repo), not echo them (env, sandbox) or echo a different shape (the detail's `loop` is the
	 * loop's run state, not its configuration).
	 */
	readonly live?: (live: LiveSession) => unknown;
	/** An absent value in the spec leaves the live one alone ("don't care"). */
	readonly optional: boolean;
}

const sortedSet = (values: readonly string[] | undefined) =>
	values === undefined ? undefined : [...new Set(values)].sort();

export const FIELDS: Record<StampedField, FieldRule> = {
	label: { onChange: 'update', optional: true, live: (l) => l.label },
	visibility: { onChange: 'update', optional: true, live: (l) => l.visibility },
	tags: { onChange: 'update', optional: false, live: (l) => sortedSet(l.tags) },
	workflowMode: { onChange: 'update', optional: true, live: (l) => l.workflowMode },
	loop: { onChange: 'update', optional: true },
	agent: { onChange: 'update', optional: true },
	defaultAgent: { onChange: 'update', optional: true, live: (l) => l.defaultAgent },
	enabledAgents: { onChange: 'update', optional: true, live: (l) => sortedSet(l.enabledAgents) },
	metadata: { onChange: 'update', optional: false },
	task: { onChange: 'replace', optional: false, live: (l) => l.task },
	repo: { onChange: 'replace', optional: true },
	repos: { onChange: 'replace', optional: true },
	workspaceId: { onChange: 'replace', optional: true },
	savedSkillIds: { onChange: 'replace', optional: true },
	skillBucketIds: { onChange: 'replace', optional: true },
	sandbox: { onChange: 'replace', optional: true },
};

/** Fields that force a replace when they change; env is one of them. */
export const REPLACE_FIELDS: ReadonlySet<FieldName> = new Set<FieldName>([
	...STAMPED_FIELDS.filter((field) => FIELDS[field].onChange === 'replace'),
	'env',
]);

/**
 * The field table: how each field is read from the spec and from the live session, and whether a
 * difference is updated in place or forces a replace (design.md section 4, hub-api.md 7.1).
 */
import type { LiveSession } from '../hub/types.js';
import type { DesiredSession } from '../spec/types.js';
import { MARKER } from './markers.js';
import { STAMPED_FIELDS, desiredFieldValue, type StampedField } from './stamp.js';
import type { FieldName } from './types.js';

export type { StampedField };

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

/** Fields apply can send in an update (PATCH). */
export const UPDATE_FIELDS: ReadonlySet<FieldName> = new Set<FieldName>([
	...STAMPED_FIELDS.filter((field) => FIELDS[field].onChange === 'update'),
	'protect',
]);

export { desiredFieldValue };

export function isProtected(live: LiveSession): boolean {
	return live.metadata[MARKER.protect] === 'true';
}

/** Desired metadata as the session should carry it: the spec's keys only. */
export function desiredMetadata(desired: DesiredSession): Record<string, string> {
	return { ...desired.metadata };
}

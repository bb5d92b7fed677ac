/** Fields that hold a set of names: compared as sets, shown as added and removed entries. */
import * as z from 'zod';
import { defineField, entryOrDefault, sortedSet } from './row.js';
import { referenceList } from '../../reference-schema.js';
import { entryToken } from '../entry-reference.js';

/** Ids as written, then the keys of declared entries as tokens the plan resolves. */
function idsAndKeys(
	section: string,
	ids: readonly string[] | undefined,
	keys: readonly string[] | undefined
): string[] | undefined {
	if (ids === undefined && keys === undefined) return undefined;
	return unique([...(ids ?? []), ...(keys ?? []).map((key) => entryToken(section, key))]);
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
const copy = (values: readonly string[]) => [...values];
/** Export writes a set as the Hub holds it, once each; an empty one is the spec's default. */
const nonEmpty = (values: readonly string[]) => (values.length > 0 ? unique(values) : undefined);

export const tags = defineField({
	name: 'tags',
	spec: {
		tags: z
			.array(z.string().min(1))
			.optional()
			.describe('Tags for filtering; tags from defaults are added to these'),
	},
	required: true,
	// Defaults' tags unioned with the entry's, de-duplicated, in first-seen order.
	merge: (entry, defaults): readonly string[] =>
		unique([...(defaults.tags ?? []), ...(entry.tags ?? [])]),
	comparable: sortedSet,
	compare: 'value',
	onChange: 'update',
	optional: false,
	echo: (live) => sortedSet(live.tags),
	create: (value: readonly string[]) => (value.length > 0 ? { tags: copy(value) } : {}),
	update: (value: readonly string[]) => ({ tags: copy(value) }),
	render: 'list',
	exportValue: (_echo, live) => nonEmpty(live.tags),
});

export const enabledAgents = defineField({
	name: 'enabledAgents',
	spec: {
		enabledAgents: referenceList('an agent id')
			.optional()
			.describe('Enabled agent roster for the session'),
	},
	merge: (entry, defaults) => entryOrDefault(entry.enabledAgents, defaults.enabledAgents),
	comparable: sortedSet,
	compare: 'value',
	onChange: 'update',
	optional: true,
	echo: (live) => sortedSet(live.enabledAgents),
	create: (value: readonly string[]) => ({ enabledAgents: copy(value) }),
	update: (value: readonly string[]) => ({ enabledAgents: copy(value) }),
	render: 'list',
	// An empty agent id is no spec value (the schema refuses it), so such a roster is left out.
	exportValue: (_echo, live) => {
		if (live.enabledAgents.some((agentId) => agentId.trim() === ''))
			return { leftOut: 'the Hub holds an empty agent id in it' };
		return live.enabledAgents.length > 0 ? copy(live.enabledAgents) : undefined;
	},
});

export const savedSkillIds = defineField({
	name: 'savedSkillIds',
	spec: {
		savedSkillIds: referenceList('a saved skill id (or a key under skills in savedSkills)')
			.optional()
			.describe('Saved skill IDs to attach to the session on creation'),
		savedSkills: referenceList('a key under skills')
			.optional()
			.describe(
				'Keys of saved skills declared under skills: to attach on creation (their ids are taken at apply)'
			),
	},
	merge: (entry, defaults) =>
		entryOrDefault(
			idsAndKeys('skills', entry.savedSkillIds, entry.savedSkills),
			idsAndKeys('skills', defaults.savedSkillIds, defaults.savedSkills)
		),
	compare: 'value',
	onChange: 'replace',
	optional: true,
	create: (value: readonly string[]) => ({ savedSkillIds: copy(value) }),
	render: 'list',
});

export const skillBucketIds = defineField({
	name: 'skillBucketIds',
	spec: {
		skillBucketIds: referenceList('a skill bucket id (or a key under skillBuckets in skillBuckets)')
			.optional()
			.describe('Skill bucket IDs to attach to the session on creation'),
		skillBuckets: referenceList('a key under skillBuckets')
			.optional()
			.describe(
				'Keys of skill buckets declared under skillBuckets: to attach on creation (their ids are taken at apply)'
			),
	},
	merge: (entry, defaults) =>
		entryOrDefault(
			idsAndKeys('skillBuckets', entry.skillBucketIds, entry.skillBuckets),
			idsAndKeys('skillBuckets', defaults.skillBucketIds, defaults.skillBuckets)
		),
	compare: 'value',
	onChange: 'replace',
	optional: true,
	create: (value: readonly string[]) => ({ skillBucketIds: copy(value) }),
	render: 'list',
});

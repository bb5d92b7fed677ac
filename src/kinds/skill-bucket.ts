/**
 * `skillBuckets:` entries: named sets of saved skills. The Hub has no update for buckets, so
 * every field is fixed at creation: a change recreates the bucket.
 */
import * as z from 'zod';
import type { ResourceKindRow } from './kind.js';
import type { SkillBucketRecord, SkillBucketRequest } from './stores/coder-port.js';
import { NO_BUCKET_UPDATE, skillBucketStore } from './stores/coder-stores.js';
import { descriptionField, descriptionFor, ownerOfDescribed, valueOf } from './marked-record.js';
import { referenceList } from './reference-schema.js';

export type { SkillBucketRecord };

export const skillBucketKind: ResourceKindRow<SkillBucketRecord, SkillBucketRequest, never> = {
	name: 'skillBucket',
	section: 'skillBuckets',
	qualify: 'section',
	level: 20,
	references: [{ field: 'savedSkills', kind: 'skill', many: true }],
	fields: [
		{
			name: 'name',
			spec: z.string().min(1).optional().describe('Bucket name (default: the entry key)'),
			live: (record) => record.name,
			onChange: 'replace',
			render: 'value',
		},
		descriptionField<SkillBucketRecord>('replace'),
		{
			name: 'savedSkills',
			spec: referenceList('a key under skills or a saved skill id')
				.optional()
				.describe('Saved skills in the bucket: keys under skills, or skill ids'),
			live: (record) => record.skills.map((skill) => skill.id),
			onChange: 'replace',
			render: 'list',
		},
	],
	idOf: (record) => record.id,
	ownerOf: ownerOfDescribed,
	createInput: (owner, values) => {
		const savedSkillIds = valueOf<string[]>(values, 'savedSkills');
		return {
			name: valueOf<string>(values, 'name') ?? owner.key,
			description: descriptionFor(owner, values),
			...(savedSkillIds !== undefined ? { savedSkillIds } : {}),
		};
	},
	updateInput: () => {
		throw new Error(NO_BUCKET_UPDATE);
	},
	store: (hub) => skillBucketStore(hub.sdkClient),
};

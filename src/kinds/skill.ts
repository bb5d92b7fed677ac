/**
 * `skills:` entries: saved skills of the caller's library, either custom (`content`, a SKILL.md)
 * or saved from a repository (`repo`, `skillId`). The Hub has no update route for saved skills,
 * but saving is an upsert by source, repo and skill id that keeps the record's id: a change of
 * name, description, content or url saves the skill again in place. Recreating it instead would
 * save over the old record and then delete it. A change of source, repo or skill id makes
 * another record: the skill is replaced.
 */
import * as z from 'zod';
import type { KindValues, Owner, ResourceKindRow } from './kind.js';
import type { SkillRecord } from './stores/coder-port.js';
import { skillStore, type SkillCreate, type SkillUpdate } from './stores/coder-stores.js';
import {
	adoptOrRemove,
	definedOnly,
	descriptionField,
	descriptionFor,
	unmarkedDescription,
	ownerOfDescribed,
	valueOf,
} from './marked-record.js';

export type { SkillCreate, SkillRecord, SkillUpdate };

/** The `source` the Hub gives a custom skill, and the `repo` it files it under. */
const CUSTOM = 'custom';
/** The `source` the Hub gives a saved skill that names none. */
const DEFAULT_SOURCE = 'registry';

const text = (describe: string) => z.string().min(1).optional().describe(describe);

/** The identity the Hub saves a skill under (an upsert: the same one overwrites the record). */
function savedAs(key: string, values: KindValues) {
	const custom = values.content !== undefined;
	return {
		source: custom ? CUSTOM : (valueOf<string>(values, 'source') ?? DEFAULT_SOURCE),
		repo: custom ? CUSTOM : (valueOf<string>(values, 'repo') ?? ''),
		skillId: valueOf<string>(values, 'skillId') ?? key,
	};
}

export const skillKind: ResourceKindRow<SkillRecord, SkillCreate, SkillUpdate> = {
	name: 'skill',
	section: 'skills',
	qualify: 'section',
	level: 10,
	references: [],
	fields: [
		{
			name: 'name',
			spec: text('Skill name (default: the entry key)'),
			live: (record) => record.name,
			onChange: 'update',
			render: 'value',
		},
		descriptionField<SkillRecord>('update'),
		{
			name: 'content',
			spec: text('SKILL.md content of a custom skill'),
			live: (record) => (record.source === CUSTOM ? record.content : undefined),
			onChange: 'update',
			render: 'lines',
		},
		{
			name: 'repo',
			spec: text('Repository the skill is saved from'),
			live: (record) => (record.source === CUSTOM ? undefined : record.repo),
			onChange: 'replace',
			render: 'value',
		},
		{
			name: 'skillId',
			spec: text('Skill identifier within the repository (default: the entry key)'),
			live: (record) => record.skillId,
			onChange: 'replace',
			render: 'value',
		},
		{
			name: 'url',
			spec: text('Skill URL'),
			live: (record) => record.url,
			onChange: 'update',
			render: 'value',
		},
		{
			name: 'source',
			spec: text('Skill source of a repository skill (default: registry)'),
			// A custom skill's source is the Hub's own (`custom`), not a spec value.
			live: (record) => (record.source === CUSTOM ? undefined : record.source),
			onChange: 'replace',
			render: 'value',
		},
	],
	idOf: (record) => record.id,
	ownerOf: ownerOfDescribed,
	createInput: (owner: Owner, values) => {
		const common = {
			skillId: valueOf<string>(values, 'skillId') ?? owner.key,
			name: valueOf<string>(values, 'name') ?? owner.key,
			description: descriptionFor(owner, values),
		};
		const content = valueOf<string>(values, 'content');
		if (content !== undefined) return { custom: true, ...common, content };
		return definedOnly({
			custom: false as const,
			...common,
			repo: valueOf<string>(values, 'repo') ?? '',
			url: valueOf<string>(values, 'url'),
			source: valueOf<string>(values, 'source'),
		});
	},
	updateInput: (owner, changed, desired) =>
		definedOnly({
			name: valueOf<string>(changed, 'name'),
			content: valueOf<string>(changed, 'content'),
			url: valueOf<string>(changed, 'url'),
			description: descriptionFor(owner, desired),
		}),
	store: (hub) => skillStore(hub.sdkClient),
	forgetInput: (record) => unmarkedDescription(record),
	check: (values) => {
		const custom = values.content !== undefined;
		const fromRepo = values.repo !== undefined;
		if (custom && fromRepo) {
			return [
				{
					field: 'repo',
					message:
						'a skill is custom (content) or saved from a repository (repo), not both: remove one',
				},
			];
		}
		if (!custom && !fromRepo) {
			return [
				{
					field: 'content',
					message:
						'a skill needs content (a custom SKILL.md) or repo (a skill saved from a repository)',
				},
			];
		}
		const repoOnly = ['url', 'source'].filter((field) => custom && values[field] !== undefined);
		return repoOnly.map((field) => ({
			field,
			message: `${field} is for a skill saved from a repository, not a custom one`,
		}));
	},
	conflict: (key, values, record, owner) => {
		const wanted = savedAs(key, values);
		const same =
			record.source === wanted.source &&
			record.repo === wanted.repo &&
			record.skillId === wanted.skillId;
		if (!same) return undefined;
		return adoptOrRemove(
			'saved skill',
			record.id,
			`would be overwritten by this create (the Hub keeps one skill per repo and skillId: ${wanted.repo}/${wanted.skillId})`,
			wanted.repo === CUSTOM
				? 'give this entry another skillId (skillId: NAME)'
				: `name it by its id (${record.id}) where it is used instead of declaring it`,
			owner
		);
	},
};

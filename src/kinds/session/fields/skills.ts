/**
 * Skills attached to the session (the SDK's `skills`, each a skill id and the repository it comes
 * from). Changed in place; the Hub echoes them on the session, so a hand change shows as drift.
 * The echo also holds the skills the Hub expands from saved skills, buckets and a workspace:
 * with any of those named, skills are compared through the applied stamp (see `echoAddedBy`).
 */
import * as z from 'zod';
import { defineField, defined, entryOrDefault } from './row.js';
import { text } from './schema-kit.js';

export interface SkillRef {
	readonly skillId: string;
	readonly repo: string;
	readonly name?: string;
	readonly url?: string;
	readonly content?: string;
}

const SkillSchema = z
	.strictObject({
		skillId: z.string().min(1).describe('Skill identifier'),
		repo: z.string().min(1).describe('Repository slug the skill comes from'),
		name: text('Human-readable skill name'),
		url: text('Canonical URL of the skill repository or page'),
		content: text('Inline SKILL.md content, for a custom skill'),
	})
	.meta({ id: 'skill' });

/** One order and no empty keys, so the same skills compare equal however they were listed. */
function skillSet(skills: readonly SkillRef[] | undefined): SkillRef[] | undefined {
	if (skills === undefined) return undefined;
	if (skills.length === 0) return [];
	const key = (skill: SkillRef) => `${skill.skillId}\u0000${skill.repo}`;
	return skills
		.map((skill) => defined({ ...skill }))
		.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The detail's `skills`, read with the spec's own shape; anything else there is no skills. */
// Built once: a zod schema is costly to build, and every session's compare reads the echo.
const EchoedSkillsSchema = z.array(SkillSchema.strip());

function echoedSkills(value: unknown): SkillRef[] {
	if (Array.isArray(value) && value.length === 0) return [];
	const parsed = EchoedSkillsSchema.safeParse(value);
	return parsed.success ? parsed.data.map((skill) => defined({ ...skill })) : [];
}

const copy = (skills: readonly SkillRef[]) => skills.map((skill) => defined({ ...skill }));

export const skills = defineField({
	name: 'skills',
	spec: {
		skills: z
			.array(SkillSchema)
			.optional()
			.describe(
				'Skills attached to the session, each {skillId, repo, name, url, content}; replaced whole on change'
			),
	},
	merge: (entry, defaults) => entryOrDefault(entry.skills, defaults.skills),
	comparable: skillSet,
	compare: 'value',
	onChange: 'update',
	optional: true,
	echo: (live) => skillSet(echoedSkills(live.detail?.skills)),
	detailKeys: ['skills'],
	// The SDK's skills cookbook: saved skills and buckets expand into `skills`, shown at once.
	echoAddedBy: ['savedSkillIds', 'skillBucketIds', 'workspaceId'],
	create: (value: readonly SkillRef[]) => ({ skills: copy(value) }),
	update: (value: readonly SkillRef[]) => ({ skills: copy(value) }),
	render: 'value',
	exportValue: (echo) => ((echo as SkillRef[]).length > 0 ? echo : undefined),
});

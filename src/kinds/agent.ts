/**
 * `agents:` entries: custom agents of the org's library. The Hub keeps a draft and published
 * versions; every change is made to the draft and published at once, and the plan compares the
 * spec with the published version (`published`, else the draft). An archived agent is no longer
 * the stack's: it is listed only for the slug it keeps. Other records name an agent by its slug.
 */
import * as z from 'zod';
import type { KindField, KindValues, Owner, ResourceKindRow } from './kind.js';
import {
	adoptOrRemove,
	definedOnly,
	descriptionField,
	descriptionFor,
	unmarkedDescription,
	ownerOfDescribed,
	valueOf,
} from './marked-record.js';
import type {
	AgentCreateRequest,
	AgentRecord,
	AgentRequest,
	AgentSnapshot,
	SkillRecord,
} from './stores/coder-port.js';
import { agentStore } from './stores/coder-stores.js';
import { AGENT_SERVICE_TOOLS, AGENT_TOOLS, THINKING_LEVELS } from './agent-values.js';
import { referenceList } from './reference-schema.js';

export { AGENT_SERVICE_TOOLS, AGENT_TOOLS, THINKING_LEVELS };

export type { AgentRecord };

/**
 * The agents the Hub provides itself, which any agent list may name: the SDK's built-in agents
 * (lead, builder, reviewer) and the sub-agent role scout.
 */
export const BUILT_IN_AGENTS: readonly string[] = ['lead', 'scout', 'builder', 'reviewer'];

/** The version the plan compares with: the published one, else the draft. */
export function comparedSnapshot(record: AgentRecord): AgentSnapshot {
	return record.published ?? record.draft ?? record;
}

const isArchived = (record: AgentRecord) => record.lifecycle === 'archived';

/** A published field of the agent, compared under its own name. */
function snapshotField(
	name: keyof AgentSnapshot & string,
	spec: z.ZodType,
	render: KindField['render'] = 'value'
): KindField<AgentRecord> {
	return {
		name,
		spec,
		live: (record) => comparedSnapshot(record)[name],
		onChange: 'update',
		render,
	};
}

/**
 * The agent's saved skills are frozen copies (repo and skill id), not ids: each is the id of the
 * saved skill with the same repo and skill id, or `repo/skillId` when the library has none.
 */
function liveSavedSkills(record: AgentRecord, skills: readonly unknown[]): string[] {
	return (comparedSnapshot(record).savedSkills ?? []).map((ref) => {
		const saved = (skills as readonly SkillRecord[]).find(
			(skill) => skill.repo === ref.repo && skill.skillId === ref.skillId
		);
		return saved?.id ?? `${ref.repo}/${ref.skillId}`;
	});
}

/** The request fields of the desired values that the entry sets, the reference lists renamed. */
function requestFields(values: KindValues) {
	return definedOnly({
		slug: valueOf<string>(values, 'slug'),
		displayName: valueOf<string>(values, 'displayName'),
		instructions: valueOf<string>(values, 'instructions'),
		model: valueOf<string>(values, 'model'),
		thinkingLevel: valueOf<(typeof THINKING_LEVELS)[number]>(values, 'thinkingLevel'),
		headlessCompatible: valueOf<boolean>(values, 'headlessCompatible'),
		tools: valueOf<AgentRequest['tools']>(values, 'tools'),
		serviceTools: valueOf<AgentRequest['serviceTools']>(values, 'serviceTools'),
		savedSkillIds: valueOf<string[]>(values, 'savedSkills'),
		companionAgents: valueOf<string[]>(values, 'companionAgents'),
	});
}

export const agentKind: ResourceKindRow<AgentRecord, AgentCreateRequest, AgentRequest> = {
	name: 'agent',
	section: 'agents',
	qualify: 'section',
	level: 30,
	references: [
		{ field: 'savedSkills', kind: 'skill', many: true },
		{ field: 'companionAgents', kind: 'agent', many: true },
	],
	fields: [
		snapshotField(
			'slug',
			z.string().min(1).optional().describe('Agent slug (default: the entry key)')
		),
		snapshotField(
			'displayName',
			z.string().min(1).optional().describe('Agent name shown (default: the entry key)')
		),
		descriptionField<AgentRecord>('update', comparedSnapshot),
		snapshotField(
			'instructions',
			z.string().min(1).describe('The system prompt of the agent'),
			'lines'
		),
		snapshotField('model', z.string().min(1).optional().describe('Model override')),
		snapshotField(
			'thinkingLevel',
			z.enum(THINKING_LEVELS).optional().describe('Thinking level override')
		),
		snapshotField(
			'headlessCompatible',
			z.boolean().optional().describe('Whether the agent is safe for non-interactive callers')
		),
		snapshotField(
			'tools',
			z.array(z.enum(AGENT_TOOLS)).optional().describe('Workspace tools granted'),
			'list'
		),
		snapshotField(
			'serviceTools',
			z.array(z.enum(AGENT_SERVICE_TOOLS)).optional().describe('Service tools granted'),
			'list'
		),
		{
			name: 'savedSkills',
			spec: referenceList('a key under skills or a saved skill id')
				.optional()
				.describe('Saved skills of the agent: keys under skills, or skill ids'),
			live: (record, lookup) => liveSavedSkills(record, lookup.records('skill')),
			onChange: 'update',
			render: 'list',
		},
		{
			name: 'companionAgents',
			spec: referenceList('a key under agents, a built-in agent or an agent id')
				.optional()
				.describe('Agents included alongside: keys under agents, built-in agents, or agent ids'),
			live: (record) => comparedSnapshot(record).companionAgents,
			onChange: 'update',
			render: 'list',
		},
	],
	idOf: (record) => record.id,
	ownerOf: (record) => (isArchived(record) ? undefined : ownerOfDescribed(record)),
	retired: isArchived,
	createInput: (owner: Owner, values) => ({
		...requestFields(values),
		slug: valueOf<string>(values, 'slug') ?? owner.key,
		displayName: valueOf<string>(values, 'displayName') ?? owner.key,
		instructions: valueOf<string>(values, 'instructions') ?? '',
		description: descriptionFor(owner, values),
	}),
	updateInput: (owner, changed, desired) => ({
		...requestFields(changed),
		description: descriptionFor(owner, desired),
	}),
	handle: { desired: (key, values) => valueOf<string>(values, 'slug') ?? key, live: (r) => r.slug },
	store: (hub) => agentStore(hub.sdkClient),
	forgetInput: (record) => unmarkedDescription(record),
	updateVerb: 'update and publish',
	deleteVerb: 'archive',
	conflict: (key, values, record, owner) => {
		const slug = valueOf<string>(values, 'slug') ?? key;
		if (record.slug !== slug) return undefined;
		if (isArchived(record))
			return `archived custom agent ${record.id} keeps the slug "${slug}" (the Hub keeps an archived agent's slug, so the create would fail): give this entry another slug (slug: NAME)`;
		return adoptOrRemove(
			'custom agent',
			record.id,
			`already has the slug "${slug}"`,
			'give this entry another slug (slug: NAME)',
			owner
		);
	},
	replaceConflict: (key, values, record) => {
		const slug = valueOf<string>(values, 'slug') ?? key;
		if (record.slug !== slug) return undefined;
		return `the new agent would take the slug "${slug}", which custom agent ${record.id} keeps once archived (the Hub keeps an archived agent's slug, so the create would fail): give the entry a new slug (slug: NAME) for the replace to go through, or leave out --replace: an agent needs no replace, as every change updates it in place`;
	},
	pending: (record) =>
		record.hasUnpublishedChanges ? 'the draft has unpublished changes' : undefined,
	statusOf: (record) => {
		if (!record.hasPublishedVersion) return 'draft, never published';
		const version = record.latestPublishedVersion ?? record.published?.version;
		const published = version !== undefined ? `v${version} published` : 'published';
		return record.hasUnpublishedChanges ? `${published}, unpublished changes` : published;
	},
};

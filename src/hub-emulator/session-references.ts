/**
 * What a session names in the org's library, checked and resolved by the strict local Hub: the
 * workspace, saved skills, skill buckets and agents of a create or PATCH must exist (else 400
 * CODER_INVALID_REQUEST naming them), and saved skills and buckets expand into the session's
 * `skills`, as the SDK's skills cookbook documents ("buckets expand into their members";
 * getSession shows them "right away").
 */
import { HttpError } from './errors.js';
import type { HubContext } from './hub-context.js';
import type { SkillRecord } from './library-record.js';
import type { StoredSession } from './session-record.js';

/**
 * The Hub's built-in agents (the SDK documentation's "Choosing built-in agents" cookbook: lead,
 * builder, reviewer; the live protocol's sub-agent roles: scout). Any other agent name must be a
 * custom agent of the org, by id or slug.
 */
export const BUILT_IN_AGENTS: readonly string[] = ['lead', 'scout', 'builder', 'reviewer'];

export interface NamedReferences {
	readonly workspaceId?: string;
	readonly savedSkillIds?: readonly string[];
	readonly skillBucketIds?: readonly string[];
	readonly agent?: string;
	readonly defaultAgent?: string;
	readonly enabledAgents?: readonly string[];
}

export interface ResolvedReferences {
	/** The workspace's name and scope, when one was named. */
	readonly workspace?: NonNullable<StoredSession['workspace']>;
	/** The skills the saved skills and buckets named stand for, when either was named. */
	readonly inheritedSkills?: StoredSession['skills'];
}

type SkillRef = StoredSession['skills'][number];

const skillRef = (skill: SkillRecord): SkillRef => ({
	skillId: skill.skillId,
	repo: skill.repo,
	name: skill.name,
	...(skill.url !== undefined ? { url: skill.url } : {}),
});

/** Checks every reference (all problems in one 400), and resolves what the Hub derives from them. */
export function resolveReferences(
	hub: HubContext,
	org: string,
	named: NamedReferences
): ResolvedReferences {
	const problems: string[] = [];
	let workspace: ResolvedReferences['workspace'];
	if (named.workspaceId !== undefined) {
		const record = hub.store.latestRecord('workspace', org, named.workspaceId);
		if (record) workspace = { name: record.name, scope: record.scope };
		else problems.push(`workspaceId: no workspace ${named.workspaceId}`);
	}
	const skills: SkillRef[] = [];
	for (const id of named.savedSkillIds ?? []) {
		const skill = hub.store.latestRecord('skill', org, id);
		if (skill) skills.push(skillRef(skill));
		else problems.push(`savedSkillIds: no saved skill ${id}`);
	}
	for (const id of named.skillBucketIds ?? []) {
		const bucket = hub.store.latestRecord('bucket', org, id);
		if (!bucket) {
			problems.push(`skillBucketIds: no skill bucket ${id}`);
			continue;
		}
		for (const member of bucket.savedSkillIds) {
			const skill = hub.store.latestRecord('skill', org, member);
			if (skill) skills.push(skillRef(skill));
		}
	}
	const agents: [string, string][] = [
		...(named.agent !== undefined ? [['agent', named.agent] as [string, string]] : []),
		...(named.defaultAgent !== undefined
			? [['defaultAgent', named.defaultAgent] as [string, string]]
			: []),
		...(named.enabledAgents ?? []).map((name): [string, string] => ['enabledAgents', name]),
	];
	for (const [field, name] of agents) {
		if (!isKnownAgent(hub, org, name))
			problems.push(
				`${field}: no built-in agent (${BUILT_IN_AGENTS.join(', ')}) or custom agent ${name}`
			);
	}
	if (problems.length > 0) {
		throw new HttpError(400, 'CODER_INVALID_REQUEST', `Unknown references: ${problems.join('; ')}`);
	}
	const expands = named.savedSkillIds !== undefined || named.skillBucketIds !== undefined;
	return {
		...(workspace ? { workspace } : {}),
		...(expands ? { inheritedSkills: skills } : {}),
	};
}

function isKnownAgent(hub: HubContext, org: string, name: string): boolean {
	if (BUILT_IN_AGENTS.includes(name)) return true;
	if (hub.store.latestRecord('agent', org, name)) return true;
	return hub.store.listRecords('agent', org).some((agent) => agent.draft.slug === name);
}

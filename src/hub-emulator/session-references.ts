/**
 * What a session names in the org's library, checked and resolved by the strict local Hub: the
 * workspace, saved skills, skill buckets and agents of a create or PATCH must exist (else 400
 * CODER_INVALID_REQUEST naming them; an archived custom agent counts as unknown for what a write newly names), and saved skills and buckets expand into the session's
 * `skills`, as the SDK's skills cookbook documents ("buckets expand into their members";
 * getSession shows them "right away").
 */
import type { HubContext } from './hub-context.js';
import { agentProblems, refuseProblems } from './library-references.js';
import type { SkillRecord } from './library-record.js';
import type { StoredSession } from './session-record.js';

export interface NamedReferences {
	readonly workspaceId?: string;
	readonly savedSkillIds?: readonly string[];
	readonly skillBucketIds?: readonly string[];
	readonly agent?: string;
	readonly defaultAgent?: string;
	readonly enabledAgents?: readonly string[];
	/**
	 * What the session names already (a PATCH): it stands even if deleted or archived since (a
	 * delete in use leaves dangling ids).
	 */
	readonly kept?: {
		readonly agents: readonly string[];
		readonly savedSkillIds: readonly string[];
		readonly skillBucketIds: readonly string[];
	};
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
		else if (!named.kept?.savedSkillIds.includes(id))
			problems.push(`savedSkillIds: no saved skill ${id}`);
	}
	for (const id of named.skillBucketIds ?? []) {
		const bucket = hub.store.latestRecord('bucket', org, id);
		if (!bucket) {
			if (!named.kept?.skillBucketIds.includes(id))
				problems.push(`skillBucketIds: no skill bucket ${id}`);
			continue;
		}
		for (const member of bucket.savedSkillIds) {
			const skill = hub.store.latestRecord('skill', org, member);
			if (skill) skills.push(skillRef(skill));
		}
	}
	const kept = named.kept?.agents ?? [];
	problems.push(
		...agentProblems(hub, org, 'agent', named.agent !== undefined ? [named.agent] : [], kept),
		...agentProblems(
			hub,
			org,
			'defaultAgent',
			named.defaultAgent !== undefined ? [named.defaultAgent] : [],
			kept
		),
		...agentProblems(hub, org, 'enabledAgents', named.enabledAgents ?? [], kept)
	);
	refuseProblems(problems);
	const expands = named.savedSkillIds !== undefined || named.skillBucketIds !== undefined;
	return {
		...(workspace ? { workspace } : {}),
		...(expands ? { inheritedSkills: skills } : {}),
	};
}

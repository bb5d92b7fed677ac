/**
 * /hub/agents*: custom agents. A draft is edited freely; publishing freezes it as the next
 * version. The caller is the owner of every agent here, so the draft is always visible.
 */
import {
	CoderCreateCustomAgentRequestSchema,
	CoderUpdateCustomAgentRequestSchema,
} from '@agentuity/core/coder';
import { HttpError } from './errors.js';
import type { Handler, HubContext, RequestInfo } from './hub-context.js';
import {
	frozenSkillRef,
	LOCAL_USER_ID,
	type AgentRecord,
	type AgentSnapshot,
	type AgentVersion,
} from './library-record.js';
import { agentProblems, refuseProblems, skillProblems } from './library-references.js';
import { bodyObject, notFound, savedSkills } from './record-access.js';
import { parseBody } from './session-requests.js';

function versionWire(agent: AgentRecord, version: AgentVersion): Record<string, unknown> {
	return {
		...version.snapshot,
		id: version.id,
		agentId: agent.id,
		version: version.version,
		createdByUserId: version.createdByUserId,
		createdAt: version.createdAt,
	};
}

/** Equal field by field: a draft edited back to what was published has no unpublished changes. */
function sameSnapshot(a: AgentSnapshot, b: AgentSnapshot): boolean {
	const canonical = (snapshot: AgentSnapshot): string =>
		JSON.stringify(Object.entries(snapshot).sort(([x], [y]) => x.localeCompare(y)));
	return canonical(a) === canonical(b);
}

/**
 * Saved skills must exist; companion agents must be built in or custom agents not archived (those
 * the draft names already stand).
 */
function checkReferences(
	hub: HubContext,
	org: string,
	body: { savedSkillIds?: string[] | undefined; companionAgents?: string[] | undefined },
	draft?: AgentSnapshot
): void {
	refuseProblems([
		...skillProblems(hub, org, 'savedSkillIds', body.savedSkillIds ?? []),
		...agentProblems(
			hub,
			org,
			'companionAgents',
			body.companionAgents ?? [],
			draft?.companionAgents
		),
	]);
}

export function agentWire(agent: AgentRecord): Record<string, unknown> {
	const latest = agent.versions[agent.versions.length - 1];
	return {
		...agent.draft,
		id: agent.id,
		ownerUserId: agent.ownerUserId,
		lifecycle: agent.archived ? 'archived' : latest ? 'published' : 'draft',
		visibility: latest ? 'org' : 'private_draft',
		createdAt: agent.createdAt,
		updatedAt: agent.updatedAt,
		hasPublishedVersion: latest !== undefined,
		hasUnpublishedChanges: !latest || !sameSnapshot(latest.snapshot, agent.draft),
		...(latest
			? {
					latestPublishedVersion: latest.version,
					latestPublishedAt: latest.createdAt,
					published: versionWire(agent, latest),
				}
			: {}),
		draft: agent.draft,
	};
}

/** By id, else by the draft's slug (the SDK takes either). */
function findAgent(hub: HubContext, request: RequestInfo, forWrite = false): AgentRecord {
	const byId = forWrite
		? hub.store.latestRecord('agent', request.org, request.id)
		: hub.store.getRecord('agent', request.org, request.id);
	const found =
		byId ??
		hub.store.listRecords('agent', request.org).find((agent) => agent.draft.slug === request.id);
	if (!found) throw notFound('agent', request.id);
	return forWrite ? (hub.store.latestRecord('agent', request.org, found.id) ?? found) : found;
}

/**
 * Slugs are unique per org. An archived agent keeps its slug: archive is one-way, the agent is
 * still found by it (GET, versions), and the SDK calls a slug stable, so a new agent under the
 * same slug would make it name two agents. Renaming the archived agent (PATCH slug) frees it.
 */
function checkSlugFree(hub: HubContext, org: string, slug: string, except?: string): void {
	if (slug.trim() === '')
		throw new HttpError(400, 'CODER_INVALID_REQUEST', 'slug: must not be empty');
	const holder = hub.store
		.listRecords('agent', org)
		.find((agent) => agent.id !== except && agent.draft.slug === slug);
	if (!holder) return;
	const archived = holder.archived
		? ' (archived; archived agents keep their slug: rename it to free the slug)'
		: '';
	throw new HttpError(
		409,
		'CODER_AGENT_SLUG_CONFLICT',
		`slug: custom agent ${holder.id} already has slug ${slug}${archived}`,
		// The SDK re-sends a 409 three times; a conflict does not clear by waiting.
		{ 'retry-after': '0' }
	);
}

export const listCustomAgents: Handler = (hub, request) => {
	const includeArchived = request.query.get('includeArchived') === 'true';
	const agents = hub.store
		.listRecords('agent', request.org)
		.filter((agent) => includeArchived || !agent.archived);
	return { status: 200, body: { agents: agents.map(agentWire) } };
};

export const getCustomAgent: Handler = (hub, request) => ({
	status: 200,
	body: { agent: agentWire(findAgent(hub, request)) },
});

export const createCustomAgent: Handler = async (hub, request) => {
	const body = parseBody(CoderCreateCustomAgentRequestSchema, await request.body());
	checkSlugFree(hub, request.org, body.slug);
	checkReferences(hub, request.org, body);
	const skills = savedSkills(hub, request.org, body.savedSkillIds ?? [], 'savedSkillIds');
	const at = hub.now().toISOString();
	const agent: AgentRecord = {
		kind: 'agent',
		id: hub.newRecordId('agent'),
		org: request.org,
		createdAt: at,
		updatedAt: at,
		ownerUserId: LOCAL_USER_ID,
		archived: false,
		draft: {
			slug: body.slug,
			displayName: body.displayName,
			...(body.description !== undefined ? { description: body.description } : {}),
			instructions: body.instructions,
			...(body.model !== undefined ? { model: body.model } : {}),
			...(body.thinkingLevel !== undefined ? { thinkingLevel: body.thinkingLevel } : {}),
			headlessCompatible: body.headlessCompatible ?? false,
			tools: body.tools ?? [],
			serviceTools: body.serviceTools ?? [],
			savedSkills: skills.map(frozenSkillRef),
			companionAgents: body.companionAgents ?? [],
		},
		versions: [],
	};
	await hub.store.putRecord(agent);
	return { status: 201, body: { agent: agentWire(agent) } };
};

/** Edits the draft; `null` clears description, model and thinkingLevel. */
export const updateCustomAgent: Handler = async (hub, request) => {
	const patch = parseBody(CoderUpdateCustomAgentRequestSchema, await bodyObject(request));
	const agent = findAgent(hub, request, true);
	if (patch.slug !== undefined) checkSlugFree(hub, request.org, patch.slug, agent.id);
	checkReferences(hub, request.org, patch, agent.draft);
	const draft: Record<string, unknown> = { ...agent.draft };
	for (const [key, value] of Object.entries(patch)) {
		if (value === undefined || key === 'savedSkillIds') continue;
		if (value === null) delete draft[key];
		else draft[key] = value;
	}
	if (patch.savedSkillIds !== undefined) {
		draft.savedSkills = savedSkills(hub, request.org, patch.savedSkillIds, 'savedSkillIds').map(
			frozenSkillRef
		);
	}
	const updated: AgentRecord = {
		...agent,
		draft: draft as AgentSnapshot,
		updatedAt: hub.now().toISOString(),
	};
	await hub.store.putRecord(updated);
	return { status: 200, body: { agent: agentWire(updated) } };
};

export const publishCustomAgent: Handler = async (hub, request) => {
	const agent = findAgent(hub, request, true);
	if (agent.archived) {
		throw new HttpError(409, 'CODER_AGENT_ARCHIVED', `Custom agent ${agent.id} is archived`, {
			'retry-after': '0',
		});
	}
	const at = hub.now().toISOString();
	const number = agent.versions.length + 1;
	const version: AgentVersion = {
		id: `${agent.id}_v${number}`,
		version: number,
		createdByUserId: LOCAL_USER_ID,
		createdAt: at,
		snapshot: agent.draft,
	};
	const updated: AgentRecord = { ...agent, versions: [...agent.versions, version], updatedAt: at };
	await hub.store.putRecord(updated);
	return { status: 200, body: { agent: agentWire(updated) } };
};

/** One-way and idempotent, like session archive. */
export const archiveCustomAgent: Handler = async (hub, request) => {
	const agent = findAgent(hub, request, true);
	const updated: AgentRecord = agent.archived
		? agent
		: { ...agent, archived: true, updatedAt: hub.now().toISOString() };
	if (updated !== agent) await hub.store.putRecord(updated);
	return { status: 200, body: { agent: agentWire(updated) } };
};

/** Newest first. */
export const listCustomAgentVersions: Handler = (hub, request) => {
	const agent = findAgent(hub, request);
	return {
		status: 200,
		body: { versions: [...agent.versions].reverse().map((version) => versionWire(agent, version)) },
	};
};

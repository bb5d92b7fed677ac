/** /hub/workspaces*: saved selections of repos, skills, buckets and agents for new sessions. */
import {
	CoderCreateWorkspaceRequestSchema,
	CoderUpdateWorkspaceRequestSchema,
	type CoderUpdateWorkspaceRequest,
} from '@agentuity/core/coder';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { HttpError } from './errors.js';
import type { Handler, HubContext } from './hub-context.js';
import { LOCAL_USER_ID, type WorkspaceRecord } from './library-record.js';
import { bodyObject, findRecord, findRecordForWrite, savedSkills } from './record-access.js';
import { parseBody } from './session-requests.js';

export function workspaceWire(workspace: WorkspaceRecord): Record<string, unknown> {
	return {
		id: workspace.id,
		name: workspace.name,
		...(workspace.description !== undefined ? { description: workspace.description } : {}),
		scope: workspace.scope,
		ownerUserId: workspace.ownerUserId,
		repos: workspace.repos,
		repoCount: workspace.repos.length,
		dependencies: workspace.dependencies,
		setupScript: workspace.setupScript,
		systemPrompt: workspace.systemPrompt,
		systemPromptMode: workspace.systemPromptMode,
		...(workspace.snapshot ? { snapshot: workspace.snapshot } : {}),
		savedSkillIds: workspace.savedSkillIds,
		skillBucketIds: workspace.skillBucketIds,
		enabledAgents: workspace.enabledAgents,
		selectionCount:
			workspace.repos.length +
			workspace.savedSkillIds.length +
			workspace.skillBucketIds.length +
			workspace.enabledAgents.length,
		createdAt: workspace.createdAt,
		updatedAt: workspace.updatedAt,
	};
}

/** Referenced skills and buckets must exist in the caller's library. */
function checkReferences(hub: HubContext, org: string, input: CoderUpdateWorkspaceRequest): void {
	savedSkills(hub, org, input.savedSkillIds ?? [], 'savedSkillIds');
	for (const id of input.skillBucketIds ?? []) {
		if (!hub.store.latestRecord('bucket', org, id)) {
			throw new HttpError(400, 'CODER_INVALID_REQUEST', `skillBucketIds: no skill bucket ${id}`);
		}
	}
}

export const listWorkspaces: Handler = (hub, request) => ({
	status: 200,
	body: { workspaces: hub.store.listRecords('workspace', request.org).map(workspaceWire) },
});

export const getWorkspace: Handler = (hub, request) => ({
	status: 200,
	body: { workspace: workspaceWire(findRecord(hub, request, 'workspace')) },
});

export const createWorkspace: Handler = async (hub, request) => {
	const body = parseBody(CoderCreateWorkspaceRequestSchema, await request.body());
	checkReferences(hub, request.org, body);
	const at = hub.now().toISOString();
	const workspace: WorkspaceRecord = {
		kind: 'workspace',
		id: hub.newRecordId('workspace'),
		org: request.org,
		createdAt: at,
		updatedAt: at,
		name: body.name,
		...(body.description !== undefined ? { description: body.description } : {}),
		scope: body.scope ?? 'user',
		ownerUserId: LOCAL_USER_ID,
		repos: body.repos ?? [],
		dependencies: body.dependencies ?? [],
		setupScript: body.setupScript ?? '',
		systemPrompt: body.systemPrompt ?? '',
		systemPromptMode: body.systemPromptMode ?? 'append',
		savedSkillIds: body.savedSkillIds ?? [],
		skillBucketIds: body.skillBucketIds ?? [],
		enabledAgents: body.enabledAgents ?? [],
	};
	await hub.store.putRecord(workspace);
	return { status: 201, body: { workspace: workspaceWire(workspace) } };
};

/** Given fields replace the stored ones. */
export const updateWorkspace: Handler = async (hub, request) => {
	const patch = parseBody(CoderUpdateWorkspaceRequestSchema, await bodyObject(request));
	checkReferences(hub, request.org, patch);
	const current = findRecordForWrite(hub, request, 'workspace');
	const defined = Object.fromEntries(
		Object.entries(patch).filter(([, value]) => value !== undefined)
	) as CoderUpdateWorkspaceRequest;
	const updated: WorkspaceRecord = {
		...current,
		...defined,
		updatedAt: hub.now().toISOString(),
	};
	await hub.store.putRecord(updated);
	return { status: 200, body: { workspace: workspaceWire(updated) } };
};

export const deleteWorkspace: Handler = async (hub, request) => {
	const workspace = findRecordForWrite(hub, request, 'workspace');
	await hub.store.deleteRecord('workspace', workspace.org, workspace.id);
	return { status: 200, body: { ok: true } };
};

/** Nothing is built here: the snapshot is ready at once, keyed by a hash of its inputs. */
export const refreshWorkspaceSnapshot: Handler = async (hub, request) => {
	const workspace = findRecordForWrite(hub, request, 'workspace');
	const at = hub.now().toISOString();
	const configHash = createHash('sha256')
		.update(JSON.stringify([workspace.dependencies, workspace.setupScript, workspace.repos]))
		.digest('hex')
		.slice(0, 16);
	const updated: WorkspaceRecord = {
		...workspace,
		updatedAt: at,
		snapshot: {
			status: 'ready',
			snapshotId: `snap_${configHash}`,
			snapshotRef: `local/${workspace.id}:${configHash}`,
			configHash,
			requestedAt: at,
			createdAt: at,
			updatedAt: at,
		},
	};
	await hub.store.putRecord(updated);
	return { status: 200, body: { workspace: workspaceWire(updated) } };
};

const DependenciesSchema = z.object({ dependencies: z.array(z.string()) });
/** A Debian package name, optionally pinned: `name` or `name=version`. */
const APT_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+:~-]+)?$/;

/** No package index here: a spec is valid when it is a well-formed APT package name. */
export const validateWorkspaceDependencies: Handler = async (_hub, request) => {
	const { dependencies } = parseBody(DependenciesSchema, await request.body());
	const valid = dependencies.filter((spec) => APT_PACKAGE.test(spec));
	const invalid = dependencies
		.filter((spec) => !APT_PACKAGE.test(spec))
		.map((spec) => ({
			package: spec,
			error: 'not a valid APT package name (lowercase letters, digits, + - .; optional =version)',
			searchUrl: `https://packages.debian.org/search?keywords=${encodeURIComponent(spec)}`,
		}));
	return { status: 200, body: { success: true, data: { valid, invalid } } };
};

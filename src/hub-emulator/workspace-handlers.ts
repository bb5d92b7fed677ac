/**
 * /hub/workspaces*: saved selections of repos, skills, buckets and agents for new sessions, and
 * the snapshot their dependencies and setup script are built into (workspace-snapshot.ts).
 */
import {
	CoderCreateWorkspaceRequestSchema,
	CoderUpdateWorkspaceRequestSchema,
	type CoderUpdateWorkspaceRequest,
} from '@agentuity/core/coder';
import * as z from 'zod';
import type { Handler, HubContext } from './hub-context.js';
import {
	agentProblems,
	bucketProblems,
	refuseProblems,
	skillProblems,
} from './library-references.js';
import { LOCAL_USER_ID, type WorkspaceRecord } from './library-record.js';
import { bodyObject, findRecord, findRecordForWrite } from './record-access.js';
import { parseBody } from './session-requests.js';
import { inputsChanged, snapshotWire, startBuild } from './workspace-snapshot.js';

export function workspaceWire(
	hub: HubContext,
	workspace: WorkspaceRecord
): Record<string, unknown> {
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
		...(workspace.snapshot
			? { snapshot: snapshotWire(workspace.snapshot, hub.clock.nowMs()) }
			: {}),
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

/**
 * Referenced skills, buckets and agents must exist in the caller's library (agents: built in, or
 * a custom agent not archived); what the workspace already names stands (`current`).
 */
function checkReferences(
	hub: HubContext,
	org: string,
	input: CoderUpdateWorkspaceRequest,
	current?: WorkspaceRecord
): void {
	refuseProblems([
		...skillProblems(hub, org, 'savedSkillIds', input.savedSkillIds ?? [], current?.savedSkillIds),
		...bucketProblems(
			hub,
			org,
			'skillBucketIds',
			input.skillBucketIds ?? [],
			current?.skillBucketIds
		),
		...agentProblems(hub, org, 'enabledAgents', input.enabledAgents ?? [], current?.enabledAgents),
	]);
}

export const listWorkspaces: Handler = (hub, request) => ({
	status: 200,
	body: {
		workspaces: hub.store
			.listRecords('workspace', request.org)
			.map((workspace) => workspaceWire(hub, workspace)),
	},
});

export const getWorkspace: Handler = (hub, request) => ({
	status: 200,
	body: { workspace: workspaceWire(hub, findRecord(hub, request, 'workspace')) },
});

export const createWorkspace: Handler = async (hub, request) => {
	const body = parseBody(CoderCreateWorkspaceRequestSchema, await request.body());
	checkReferences(hub, request.org, body);
	const now = hub.now();
	const at = now.toISOString();
	const id = hub.newRecordId('workspace');
	const inputs = { dependencies: body.dependencies ?? [], setupScript: body.setupScript ?? '' };
	const workspace: WorkspaceRecord = {
		kind: 'workspace',
		id,
		org: request.org,
		createdAt: at,
		updatedAt: at,
		name: body.name,
		...(body.description !== undefined ? { description: body.description } : {}),
		scope: body.scope ?? 'user',
		ownerUserId: LOCAL_USER_ID,
		repos: body.repos ?? [],
		...inputs,
		systemPrompt: body.systemPrompt ?? '',
		systemPromptMode: body.systemPromptMode ?? 'append',
		savedSkillIds: body.savedSkillIds ?? [],
		skillBucketIds: body.skillBucketIds ?? [],
		enabledAgents: body.enabledAgents ?? [],
		// Dependencies or a setup script are built into a snapshot at once.
		...(inputsChanged({ dependencies: [], setupScript: '' }, inputs)
			? { snapshot: startBuild(id, inputs, hub.snapshotBuilder, now) }
			: {}),
	};
	await hub.store.putRecord(workspace);
	return { status: 201, body: { workspace: workspaceWire(hub, workspace) } };
};

/**
 * Given fields replace the stored ones. Strict: new dependencies or a new setup script start a
 * build. Lenient: they do not; the last snapshot stays, its `configHash` no longer that of the
 * inputs, until `snapshot/refresh` builds them. Nothing documents which the Hub does, so a client
 * is tested under both (README.md, "Workspace snapshots").
 */
export const updateWorkspace: Handler = async (hub, request) => {
	const patch = parseBody(CoderUpdateWorkspaceRequestSchema, await bodyObject(request));
	const current = findRecordForWrite(hub, request, 'workspace');
	checkReferences(hub, request.org, patch, current);
	const defined = Object.fromEntries(
		Object.entries(patch).filter(([, value]) => value !== undefined)
	) as CoderUpdateWorkspaceRequest;
	const now = hub.now();
	const patched: WorkspaceRecord = { ...current, ...defined, updatedAt: now.toISOString() };
	const updated: WorkspaceRecord =
		hub.strict && inputsChanged(current, patched)
			? {
					...patched,
					snapshot: startBuild(current.id, patched, hub.snapshotBuilder, now, current.snapshot),
				}
			: patched;
	await hub.store.putRecord(updated);
	return { status: 200, body: { workspace: workspaceWire(hub, updated) } };
};

export const deleteWorkspace: Handler = async (hub, request) => {
	const workspace = findRecordForWrite(hub, request, 'workspace');
	await hub.store.deleteRecord('workspace', workspace.org, workspace.id);
	return { status: 200, body: { ok: true } };
};

/** Starts a new build from the current inputs, whatever the last one came to. */
export const refreshWorkspaceSnapshot: Handler = async (hub, request) => {
	const workspace = findRecordForWrite(hub, request, 'workspace');
	const now = hub.now();
	const updated: WorkspaceRecord = {
		...workspace,
		updatedAt: now.toISOString(),
		snapshot: startBuild(workspace.id, workspace, hub.snapshotBuilder, now, workspace.snapshot),
	};
	await hub.store.putRecord(updated);
	return { status: 200, body: { workspace: workspaceWire(hub, updated) } };
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

/** The session routes of hub-api §2: create, get, update, delete, archive, resume, list. */
import { HttpError } from './errors.js';
import type { Handler, HubContext, RequestInfo } from './hub-context.js';
import type { ListQuery } from './session-index.js';
import { isArchived, type StoredSession } from './session-record.js';
import { resolveReferences, type ResolvedReferences } from './session-references.js';
import {
	CreateSessionWireSchema,
	UpdateSessionWireSchema,
	ignoredPatchKeys,
	newSession,
	parseBody,
	parseDocumentedPatch,
	patchSession,
	type SessionPatch,
} from './session-requests.js';
import { simulatedActivity } from './simulated-activity.js';
import { spawnedSession } from './spawn.js';
import {
	createResponse,
	detail,
	isHistoryStatus,
	lifecycleOf,
	listItem,
	updateResponse,
} from './wire.js';

/** The session, or 404 CODER_SESSION_NOT_FOUND; other orgs' sessions do not exist for the caller. */
export function findSession(hub: HubContext, request: RequestInfo): StoredSession {
	const session = hub.store.get(request.org, request.id);
	if (!session)
		throw new HttpError(404, 'CODER_SESSION_NOT_FOUND', `Session ${request.id} not found`);
	return session;
}

/** The session a write builds on: like findSession, but including writes not yet durable. */
function findForWrite(hub: HubContext, request: RequestInfo): StoredSession {
	const session = hub.store.latest(request.org, request.id);
	if (!session)
		throw new HttpError(404, 'CODER_SESSION_NOT_FOUND', `Session ${request.id} not found`);
	return session;
}

/** Strict: what the create names must exist; saved skills and buckets expand into `skills`. */
export const createSession: Handler = async (hub, request) => {
	const body = parseBody(CreateSessionWireSchema, await request.body());
	const resolved = hub.strict ? resolveReferences(hub, request.org, body) : {};
	const created = newSession(hub.newId(), request.org, body, hub.now().toISOString(), resolved);
	const session = hub.simulateActivity
		? { ...created, activity: simulatedActivity(created) }
		: created;
	await hub.store.put(session);
	if (body.env && Object.keys(body.env).length > 0) hub.echoedEnv?.set(session.id, { ...body.env });
	// Workers the Hub spawns at once, each with a copy of the new session's metadata.
	for (let i = 0; i < hub.spawnWorkers; i++) {
		await hub.store.put(spawnedSession(session, hub.newId(), session.createdAt));
	}
	return { status: 201, body: createResponse(session) };
};

export const getSession: Handler = (hub, request) => {
	const session = findSession(hub, request);
	return { status: 200, body: detail(session, hub.clock, hub.echoedEnv?.get(session.id)) };
};

/**
 * PATCH. Strict: only the keys the REST reference documents (else 400), never on an archived or
 * history-only session (409 CODER_SESSION_ARCHIVED), and what it names must exist. Lenient: the
 * SDK's update fields (workflowMode and loop too), archived sessions included, unknown keys
 * ignored and counted in the stats.
 */
export const updateSession: Handler = async (hub, request) => {
	const raw = await request.body();
	const body = raw === undefined ? {} : raw;
	const patch: SessionPatch = hub.strict
		? parseDocumentedPatch(body)
		: parseBody(UpdateSessionWireSchema, body);
	if (!hub.strict) for (const key of ignoredPatchKeys(raw)) hub.note(`ignoredPatchKey:${key}`);
	const session = findForWrite(hub, request);
	if (hub.strict) refuseHistory(hub, session, 'updated');
	const resolved = hub.strict ? patchReferences(hub, request.org, session, patch) : {};
	const updated = patchSession(session, patch, hub.now().toISOString(), resolved);
	await hub.store.put(updated);
	return { status: 200, body: updateResponse(updated, hub.strict) };
};

/** The references a PATCH names; both skill id lists when either changes (they expand together). */
function patchReferences(
	hub: HubContext,
	org: string,
	session: StoredSession,
	patch: SessionPatch
): ResolvedReferences {
	const skillIdsChange = patch.savedSkillIds !== undefined || patch.skillBucketIds !== undefined;
	return resolveReferences(hub, org, {
		agent: patch.agent,
		defaultAgent: patch.defaultAgent,
		enabledAgents: patch.enabledAgents,
		kept: {
			agents: [
				...(session.agent !== undefined ? [session.agent] : []),
				...(session.defaultAgent !== undefined ? [session.defaultAgent] : []),
				...session.enabledAgents,
			],
			savedSkillIds: session.savedSkillIds ?? [],
			skillBucketIds: session.skillBucketIds ?? [],
		},
		...(skillIdsChange
			? {
					savedSkillIds: patch.savedSkillIds ?? session.savedSkillIds ?? [],
					skillBucketIds: patch.skillBucketIds ?? session.skillBucketIds ?? [],
				}
			: {}),
	});
}

/** Archived and history-only sessions are replay only: 409 CODER_SESSION_ARCHIVED, as for resume. */
function refuseHistory(hub: HubContext, session: StoredSession, verb: string): void {
	if (!isArchived(session) && !isHistoryStatus(session.status)) return;
	const status = lifecycleOf(session, hub.clock).status;
	throw new HttpError(
		409,
		'CODER_SESSION_ARCHIVED',
		`Session ${session.id} is ${status} and cannot be ${verb}`,
		// The SDK re-sends a 409 three times; tell it not to wait.
		{ 'retry-after': '0' }
	);
}

export const deleteSession: Handler = async (hub, request) => {
	const session = findForWrite(hub, request);
	await hub.store.delete(session.org, session.id);
	return { status: 200, body: { sessionId: session.id, status: 'deleted' } };
};

/** Archive is one-way and idempotent: archiving again answers 200 and writes nothing. */
export const archiveSession: Handler = async (hub, request) => {
	const session = findForWrite(hub, request);
	if (!isArchived(session)) {
		const at = hub.now().toISOString();
		await hub.store.put({ ...session, archivedAt: at, updatedAt: at });
	} else {
		// Archived by a write still on its way to disk: answer once it is there.
		await hub.store.whenDurable(session.id);
	}
	return { status: 200, body: { sessionId: session.id, status: 'archived' } };
};

/**
 * Archived and other replay-only sessions cannot be resumed (409). A paused one wakes: it
 * answers `resuming` and reads as active from then on; any other live session answers its status.
 */
export const resumeSession: Handler = async (hub, request) => {
	const session = findForWrite(hub, request);
	refuseHistory(hub, session, 'resumed');
	if (lifecycleOf(session, hub.clock).status === 'paused') {
		// Set through /_local or idle: awake from now on, and the wake-up is activity.
		const { status: _paused, ...awake } = session;
		const at = hub.now().toISOString();
		await hub.store.put({ ...awake, updatedAt: at, wokeAt: at });
		return { status: 200, body: { sessionId: session.id, status: 'resuming', resumed: true } };
	}
	return {
		status: 200,
		body: { sessionId: session.id, status: lifecycleOf(session, hub.clock).status, resumed: true },
	};
};

export const listSessions: Handler = (hub, request) => {
	const query = parseListQuery(request.query, hub.maxPageSize);
	const rules = {
		searchRules: hub.searchRules,
		nowMs: hub.now().getTime(),
		hideHistory: hub.strict,
	};
	const page = hub.store.list(request.org, { ...query, ...rules });
	return {
		status: 200,
		body: {
			sessions: {
				websocket: page.sessions.map((session) => listItem(session, hub.clock)),
				sandbox: [],
			},
			// A hint only, as on the Hub: --total-surplus makes it claim more than it will list.
			total: page.total + hub.totalSurplus,
		},
	};
};

/**
 * No `limit` returns every match (the TUI lists without one); a larger `limit` than
 * maxPageSize is cut to it. Order: createdAt, then sessionId, ascending.
 */
export function parseListQuery(query: URLSearchParams, maxPageSize: number): ListQuery {
	const includeArchived = query.get('includeArchived');
	if (includeArchived !== null && includeArchived !== 'true' && includeArchived !== 'false') {
		throw new HttpError(
			400,
			'CODER_INVALID_REQUEST',
			`includeArchived must be true or false (got "${includeArchived}")`
		);
	}
	const limit = nonNegativeInteger(query, 'limit');
	const search = query.get('search');
	return {
		includeArchived: includeArchived === 'true',
		offset: nonNegativeInteger(query, 'offset') ?? 0,
		...(limit !== undefined ? { limit: Math.min(limit, maxPageSize) } : {}),
		...(search ? { search } : {}),
	};
}

function nonNegativeInteger(query: URLSearchParams, name: string): number | undefined {
	const text = query.get(name);
	if (text === null) return undefined;
	if (!/^\d{1,9}$/.test(text)) {
		throw new HttpError(
			400,
			'CODER_INVALID_REQUEST',
			`${name} must be a non-negative integer (got "${text}")`
		);
	}
	return Number(text);
}

/**
 * /_local/*: the local Hub's own routes, never subject to fault injection. Besides stats and
 * health, they put a session into any status and record activity on it, for tests and demos:
 *
 * - `POST /_local/sessions/:id/status` `{status}`: any of SESSION_STATUSES, or `archived`.
 * - `POST /_local/sessions/:id/activity` `{participants?, events?, replay?}`: participants
 *   replace ones with the same id, events (ids and times filled in when absent) and replay
 *   entries are appended; new events reach open event streams.
 * - `POST /_local/sessions/:id/loop` `{status, iteration?, summary?, nextAction?}` (local-loop.ts).
 * - `POST /_local/sessions/:id/spawn` `{sessionKind?, parent?, coordinationJobId?, task?, count?}`:
 *   the Hub spawns children of the session (workers), each with a copy of its metadata
 *   (spawn.ts); answers 201 `{sessionIds}`.
 */
import * as z from 'zod';
import { HttpError } from './errors.js';
import type { HubContext } from './hub-context.js';
import {
	EMPTY_ACTIVITY,
	SESSION_STATUSES,
	StoredParticipantSchema,
	type StoredEvent,
	type StoredSession,
} from './session-record.js';
import { setLoopState } from './local-loop.js';
import { parseBody } from './session-requests.js';
import { SpawnBodySchema, spawnedSession } from './spawn.js';
import type { RequestStats } from './stats.js';

const StatusBodySchema = z.object({ status: z.enum([...SESSION_STATUSES, 'archived']) });

const ActivityBodySchema = z.object({
	participants: z.array(StoredParticipantSchema).optional(),
	events: z
		.array(
			z.object({
				id: z.number().int().optional(),
				event: z.string().min(1),
				category: z.string().optional(),
				agent: z.string().optional(),
				taskId: z.string().optional(),
				payload: z.unknown().optional(),
				occurredAt: z.string().datetime({ offset: true }).optional(),
				ingestedAt: z.string().optional(),
			})
		)
		.optional(),
	replay: z.array(z.unknown()).optional(),
});

export interface LocalRequest {
	readonly method: string;
	/** Segments after /_local. */
	readonly segments: readonly string[];
	readonly org: string;
	readonly body: () => Promise<unknown>;
}

/** Every /_local route; anything else is a 404. */
export async function handleLocal(
	hub: HubContext,
	stats: RequestStats,
	request: LocalRequest
): Promise<{ status: number; body: unknown }> {
	const session = await handleLocalSession(hub, request);
	if (session) return session;
	const path = request.segments.join('/');
	if (request.method === 'GET' && path === 'stats') return { status: 200, body: stats.snapshot() };
	if (request.method === 'POST' && path === 'stats/reset') {
		stats.reset();
		return { status: 200, body: { reset: true } };
	}
	if (request.method === 'GET' && path === 'health') {
		return {
			status: 200,
			body: { ok: true, sessions: hub.store.size, journal: hub.store.journalStats },
		};
	}
	throw new HttpError(404, 'NOT_FOUND', `No local route ${request.method} /_local/${path}`);
}

/** The session routes of /_local; undefined when the path is not one of them. */
async function handleLocalSession(
	hub: HubContext,
	request: LocalRequest
): Promise<{ status: number; body: unknown } | undefined> {
	const [first, rawId, action, ...rest] = request.segments;
	if (first !== 'sessions' || rawId === undefined || rest.length > 0) return undefined;
	if (
		request.method !== 'POST' ||
		!['status', 'activity', 'loop', 'spawn'].includes(action ?? '')
	) {
		return undefined;
	}
	const id = decodeURIComponent(rawId);
	const session = hub.store.latest(request.org, id);
	if (!session) throw new HttpError(404, 'CODER_SESSION_NOT_FOUND', `Session ${id} not found`);
	if (action === 'loop') return setLoopState(hub, session, await request.body());
	const at = hub.now().toISOString();
	if (action === 'spawn') {
		const raw = await request.body();
		const body = parseBody(SpawnBodySchema, raw === undefined ? {} : raw);
		const sessionIds: string[] = [];
		for (let i = 0; i < (body.count ?? 1); i++) {
			const child = spawnedSession(session, hub.newId(), at, body);
			await hub.store.put(child);
			sessionIds.push(child.id);
		}
		return { status: 201, body: { sessionIds } };
	}
	if (action === 'status') {
		const { status } = parseBody(StatusBodySchema, await request.body());
		const updated: StoredSession =
			status === 'archived'
				? { ...session, archivedAt: session.archivedAt ?? at, updatedAt: at }
				: { ...session, status, updatedAt: at };
		await hub.store.put(updated);
		return { status: 200, body: { sessionId: id, status } };
	}
	const body = parseBody(ActivityBodySchema, await request.body());
	const activity = session.activity ?? EMPTY_ACTIVITY;
	let nextId = Math.max(0, ...activity.events.map((event) => event.id)) + 1;
	const events: StoredEvent[] = (body.events ?? []).map((event) => ({
		...event,
		id: event.id ?? nextId++,
		occurredAt: event.occurredAt ?? at,
	}));
	const incoming = new Map((body.participants ?? []).map((p) => [p.id, p]));
	const participants = [
		...activity.participants.map((p) => incoming.get(p.id) ?? p),
		...[...incoming.values()].filter((p) => !activity.participants.some((old) => old.id === p.id)),
	];
	await hub.store.put({
		...session,
		activity: {
			participants,
			events: [...activity.events, ...events],
			replay: [...activity.replay, ...(body.replay ?? [])],
		},
	});
	hub.streams.publish(id, events);
	return {
		status: 200,
		body: {
			sessionId: id,
			participants: participants.length,
			events: activity.events.length + events.length,
			replay: activity.replay.length + (body.replay?.length ?? 0),
		},
	};
}

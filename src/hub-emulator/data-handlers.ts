/**
 * Stubs for the session data routes the SDK can call: valid but empty, since the local Hub runs
 * no agents. Paging parameters are echoed as the SDK schemas allow.
 */
import type { Handler, RequestInfo } from './hub-context.js';
import { findSession } from './session-handlers.js';
import { loopState } from './wire.js';

function paging(request: RequestInfo): Record<string, number> {
	const result: Record<string, number> = {};
	for (const name of ['limit', 'offset'] as const) {
		const value = Number(request.query.get(name));
		if (request.query.has(name) && Number.isInteger(value) && value >= 0) result[name] = value;
	}
	return result;
}

export const listParticipants: Handler = (hub, request) => ({
	status: 200,
	body: { sessionId: findSession(hub, request).id, participants: [] },
});

export const listEventHistory: Handler = (hub, request) => ({
	status: 200,
	body: { sessionId: findSession(hub, request).id, events: [], total: 0, ...paging(request) },
});

export const getReplay: Handler = (hub, request) => ({
	status: 200,
	body: { sessionId: findSession(hub, request).id, events: [] },
});

export const getLoopState: Handler = (hub, request) => ({
	status: 200,
	body: loopState(findSession(hub, request), hub.clock),
});

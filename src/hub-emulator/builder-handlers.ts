/** POST /hub/session/builder: an agent-builder session, a session with a `builder` summary. */
import { CoderCreateAgentBuilderSessionRequestSchema } from '@agentuity/core/coder';
import { HttpError } from './errors.js';
import type { Handler } from './hub-context.js';
import { notFound } from './record-access.js';
import { newSession, parseBody } from './session-requests.js';
import type { StoredSession } from './session-record.js';
import { createResponse } from './wire.js';

const DEFAULT_TASK = 'Build a custom agent';

export const createAgentBuilderSession: Handler = async (hub, request) => {
	const body = parseBody(CoderCreateAgentBuilderSessionRequestSchema, await request.body());
	// The SDK's own inference: an explicit mode, else a source session, else a target agent.
	const mode =
		body.mode ??
		(body.sourceSessionId
			? 'from_session'
			: body.targetAgentId || body.targetAgentSlug
				? 'edit'
				: 'new');
	const builder: NonNullable<StoredSession['builder']> = { mode };
	if (mode === 'from_session') {
		const id = body.sourceSessionId ?? '';
		const source = hub.store.get(request.org, id);
		if (!source) throw new HttpError(404, 'CODER_SESSION_NOT_FOUND', `Session ${id} not found`);
		builder.sourceSession = { sessionId: source.id, label: source.label };
	}
	if (mode === 'edit') {
		const wanted = body.targetAgentId ?? body.targetAgentSlug ?? '';
		const agent = hub.store
			.listRecords('agent', request.org)
			.find((candidate) => candidate.id === wanted || candidate.draft.slug === wanted);
		if (!agent) throw notFound('agent', wanted);
		builder.targetAgent = {
			agentId: agent.id,
			slug: agent.draft.slug,
			displayName: agent.draft.displayName,
		};
	}
	const task = body.prompt?.trim() ? body.prompt : DEFAULT_TASK;
	const session: StoredSession = {
		...newSession(
			hub.newId(),
			request.org,
			{
				task,
				label: body.label ?? `Agent builder: ${builder.targetAgent?.displayName ?? 'new agent'}`,
				...(body.visibility !== undefined ? { visibility: body.visibility } : {}),
			},
			hub.now().toISOString()
		),
		builder,
	};
	await hub.store.put(session);
	return { status: 201, body: createResponse(session) };
};

/**
 * `POST /_local/sessions/:id/loop` `{status, iteration?, summary?, nextAction?}`: where a loop-mode
 * session's loop is, as GET /loop and the list's `loopStatus`/`loopIteration` then report it (the
 * local Hub runs no agent, so nothing else moves a loop). 400 for a session not in loop mode.
 */
import { CoderLoopStatusSchema } from '@agentuity/core/coder';
import * as z from 'zod';
import { HttpError } from './errors.js';
import type { HubContext } from './hub-context.js';
import type { StoredSession } from './session-record.js';
import { parseBody } from './session-requests.js';

const LoopBodySchema = z.strictObject({
	status: CoderLoopStatusSchema,
	iteration: z.number().int().min(0).optional(),
	summary: z.string().optional(),
	nextAction: z.string().optional(),
});

export async function setLoopState(
	hub: HubContext,
	session: StoredSession,
	body: unknown
): Promise<{ status: number; body: unknown }> {
	const loop = parseBody(LoopBodySchema, body);
	if (session.workflowMode !== 'loop') {
		throw new HttpError(
			400,
			'CODER_INVALID_REQUEST',
			`Session ${session.id} is not in loop mode (workflowMode ${session.workflowMode})`
		);
	}
	const loopState = {
		status: loop.status,
		iteration: loop.iteration ?? session.loopState?.iteration ?? 0,
		...(loop.summary !== undefined ? { summary: loop.summary } : {}),
		...(loop.nextAction !== undefined ? { nextAction: loop.nextAction } : {}),
	};
	await hub.store.put({ ...session, loopState });
	return { status: 200, body: { sessionId: session.id, ...loopState } };
}

/**
 * What a create's or an update's own answer says the session now is, as a LiveSession, so that
 * apply can verify its writes without reading each one back. Only what the answer carries, or
 * what the request itself fixed, is taken from it; a field the answer does not echo is not
 * guessed. Pure.
 */
import type { CoderCreateSessionResponse } from '@agentuity/core/coder';
import { isClearedMarker } from '../ownership/forget.js';
import type { WorkflowMode } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';
import { isHistory, spawnOrigin } from './map.js';

/**
 * The session a create made, as its answer (id, status, visibility, and a spawned kind if it
 * names one) and its request (every field it set) say. `createdAt` is empty: the answer does not
 * carry it; the listing does.
 */
export function createdSession(
	request: Readonly<Record<string, unknown>>,
	answer: CoderCreateSessionResponse
): LiveSession {
	const spawned = spawnOrigin(answer as Parameters<typeof spawnOrigin>[0]);
	const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
	const list = (value: unknown) =>
		Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
	const env = request.env;
	const defaultAgent = text(request.defaultAgent);
	const task = text(request.task);
	return {
		id: answer.sessionId,
		label: text(request.label) ?? '',
		status: answer.status,
		bucket: 'provisioning',
		archived: isHistory({ status: answer.status, historyOnly: false, bucket: 'provisioning' }),
		visibility: answer.visibility ?? text(request.visibility) ?? '',
		workflowMode: (text(request.workflowMode) ?? 'standard') as WorkflowMode,
		tags: list(request.tags),
		enabledAgents: list(request.enabledAgents),
		...(defaultAgent !== undefined ? { defaultAgent } : {}),
		...(task !== undefined ? { task } : {}),
		metadata: markerValues(spawned ? {} : objectOf(request.metadata)),
		...(spawned ? { spawned } : {}),
		envKeys: Object.keys(objectOf(env)).sort(),
		createdAt: '',
		participantCount: 0,
	};
}

/** The answer keys an update's answer echoes, and where they land in a LiveSession. */
const ECHOED_KEYS = new Set([
	'label',
	'visibility',
	'tags',
	'enabledAgents',
	'defaultAgent',
	'metadata',
]);

/**
 * The session after an update, from what it was just before (`before`) and the update's answer;
 * undefined when the answer does not echo every key the request sent (then only a read tells).
 * Metadata merges on the Hub: the answer's map is laid over the one before.
 */
export function updatedSession(
	before: LiveSession,
	request: Readonly<Record<string, unknown>>,
	answer: Readonly<Record<string, unknown>>
): LiveSession | undefined {
	for (const key of Object.keys(request)) {
		if (request[key] === undefined) continue;
		if (!ECHOED_KEYS.has(key) || answer[key] === undefined) return undefined;
	}
	const tags = answer.tags;
	const enabledAgents = answer.enabledAgents;
	const { defaultAgent: _previous, ...rest } = before;
	const defaultAgent =
		'defaultAgent' in answer
			? typeof answer.defaultAgent === 'string'
				? answer.defaultAgent
				: undefined
			: before.defaultAgent;
	return {
		...rest,
		...(typeof answer.label === 'string' ? { label: answer.label } : {}),
		...(typeof answer.visibility === 'string' ? { visibility: answer.visibility } : {}),
		...(Array.isArray(tags)
			? { tags: tags.filter((t): t is string => typeof t === 'string') }
			: {}),
		...(Array.isArray(enabledAgents)
			? { enabledAgents: enabledAgents.filter((a): a is string => typeof a === 'string') }
			: {}),
		...(defaultAgent !== undefined ? { defaultAgent } : {}),
		metadata:
			answer.metadata !== undefined
				? markerValues({ ...before.metadata, ...objectOf(answer.metadata) })
				: before.metadata,
	};
}

function objectOf(value: unknown): Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: {};
}

/** String values, an emptied ownership marker left out (as a detail read maps them). */
function markerValues(metadata: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(metadata)) {
		const text = typeof value === 'string' ? value : JSON.stringify(value);
		if (!isClearedMarker(key, text)) out[key] = text;
	}
	return out;
}

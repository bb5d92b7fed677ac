/**
 * The request bodies. Inputs already hold the SDK's keys (the field table in src/kinds/session/fields
 * maps each field to them); unset keys are dropped. An update carries only keys of the PATCH wire
 * schema the Hub's REST reference documents: the SDK's update type takes more (`workflowMode`,
 * `loop`) and sends any key it is given, but a Hub may ignore what it does not document while the
 * applied stamp says done.
 */
import {
	CoderAPIReference,
	type CoderCreateSessionRequest,
	type CoderUpdateSessionRequest,
} from '@agentuity/core/coder';
import type { CreateSessionInput, UpdateSessionInput } from './types.js';

/**
 * The keys of the PATCH /hub/session/{id} body the REST reference documents (CoderAPIReference,
 * `update-session`): label, agent, defaultAgent, enabledAgents, visibility, tags, skills,
 * metadata, savedSkillIds, skillBucketIds.
 */
export const DOCUMENTED_UPDATE_KEYS: readonly string[] = documentedUpdateKeys();

function documentedUpdateKeys(): string[] {
	const endpoint = CoderAPIReference.endpoints.find((e) => e.id === 'update-session');
	const fields = endpoint?.requestBody?.fields;
	const schema = fields && 'schema' in fields ? fields.schema : undefined;
	const shape = schema && 'shape' in schema ? (schema.shape as Record<string, unknown>) : {};
	const keys = Object.keys(shape);
	if (keys.length === 0) throw new Error("the SDK's REST reference documents no PATCH body");
	return keys;
}

export function toCreateRequest(input: CreateSessionInput): CoderCreateSessionRequest {
	return clean(input) as CoderCreateSessionRequest;
}

/** Throws (a bug, never sent) when the field table maps a change to an undocumented key. */
export function toUpdateRequest(input: UpdateSessionInput): CoderUpdateSessionRequest {
	const request = clean(input);
	const undocumented = Object.keys(request).filter((key) => !DOCUMENTED_UPDATE_KEYS.includes(key));
	if (undocumented.length > 0) {
		throw new Error(
			`an update may only carry the keys the Hub documents for PATCH (${DOCUMENTED_UPDATE_KEYS.join(', ')}), not ${undocumented.join(', ')}`
		);
	}
	return request as CoderUpdateSessionRequest;
}

function clean(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

/**
 * The SDK's request bodies. Inputs already hold the SDK's keys (the field table in
 * src/session/fields maps each field to them); unset keys are dropped.
 */
import type { CoderCreateSessionRequest, CoderUpdateSessionRequest } from '@agentuity/core/coder';
import type { CreateSessionInput, UpdateSessionInput } from './types.js';

export function toCreateRequest(input: CreateSessionInput): CoderCreateSessionRequest {
	return clean(input) as CoderCreateSessionRequest;
}

export function toUpdateRequest(input: UpdateSessionInput): CoderUpdateSessionRequest {
	return clean(input) as CoderUpdateSessionRequest;
}

function clean(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

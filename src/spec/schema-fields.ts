/**
 * The field keys of `defaults` and of each session come from the field table
 * (src/kinds/session/fields); this module adds the rules that span fields. Field names follow the
 * SDK's CoderCreateSessionRequest.
 */
import type * as z from 'zod';
import { specShape } from '../kinds/session/fields/index.js';

export { expectedNames } from '../kinds/session/fields/schema-kit.js';
export { REPO_SHORTHAND_PATTERN } from '../kinds/session/fields/repo.js';

/** Fields allowed both in `defaults` and on each session. */
export const sharedFields = specShape('defaults');

/** Every field key of a session, the session-only ones (task, label) included. */
export const sessionFields = specShape('session');

/**
 * Cross-field rules run even when another field of the entry is invalid (zod skips them then by
 * default), so one run reports every error; they read only the fields they name.
 */
export const EVEN_WITH_OTHER_ERRORS = {
	when: (payload: { readonly value: unknown }) =>
		typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value),
};

/** A loop block with an explicit `workflowMode: standard` contradicts itself. */
export function rejectLoopInStandardMode(
	value: { readonly workflowMode?: string; readonly loop?: unknown },
	context: z.RefinementCtx
): void {
	if (value.loop === undefined || value.workflowMode !== 'standard') return;
	context.addIssue({
		code: 'custom',
		path: ['workflowMode'],
		input: value.workflowMode,
		message:
			'is "standard" but a loop block is set: use workflowMode: loop, or remove the loop block',
	});
}

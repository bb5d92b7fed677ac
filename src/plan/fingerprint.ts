import { canonicalJson, sha256Hex } from '../ownership/digest.js';
import { templateStructure } from '../session/env-template.js';
import type { Action } from './types.js';

/**
 * sha256 over the canonical changes of a plan: kinds, keys, session ids and field changes.
 * Never over rendered text, timestamps, reasons or the desired values of unchanged fields, so the
 * same change planned twice gives the same fingerprint.
 */
export function fingerprintOf(stack: string, actions: readonly Action[]): string {
	const canonical = actions.filter((action) => action.kind !== 'noop').map(canonicalAction);
	return `sha256:${sha256Hex(canonicalJson({ stack, actions: canonical }))}`;
}

/** The canonical data of one action: what the fingerprint covers, and what makes two actions the same. */
export function canonicalAction(action: Action) {
	return {
		kind: action.kind,
		key: action.key,
		id: 'live' in action ? action.live?.id : undefined,
		keep: action.kind === 'dedupe' ? action.keep : undefined,
		changes: 'changes' in action ? action.changes : undefined,
		forcedBy: action.kind === 'replace' ? action.forcedBy : undefined,
		requested: action.kind === 'replace' ? action.requested : undefined,
		// Taking a session over from another stack is a different change from adopting an unmarked one.
		foreignStack:
			action.kind === 'adopt' || action.kind === 'replace' ? action.foreignStack : undefined,
		create: action.kind === 'create' ? createDigestInput(action.desired) : undefined,
	};
}

/**
 * What a create sends, without its source position (moving an entry in the file is no change)
 * and with env templates reduced to their structure: a fingerprint is no digest of literal env
 * text (a saved plan checks that text by its keyed digest).
 */
function createDigestInput(desired: Extract<Action, { kind: 'create' }>['desired']) {
	const { source: _source, env, ...rest } = desired;
	const structure = Object.fromEntries(
		Object.entries(env).map(([key, template]) => [key, templateStructure(template)])
	);
	return { ...rest, env: structure };
}

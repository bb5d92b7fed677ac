import { canonicalJson, sha256Hex } from '../ownership/digest.js';
import { templateStructure } from '../kinds/session/env-template.js';
import type { Action, ResourceAction } from './types.js';

/** The Hub a plan is made against, as a saved plan records it: never a credential. */
export interface PlannedHub {
	readonly local: boolean;
	readonly url?: string;
	readonly org?: string;
	/** The region the Hub was discovered in, when no URL names it. */
	readonly region?: string;
}

/**
 * sha256 over the canonical changes of a plan (kinds, keys, session ids and field changes) and
 * the Hub they are for (local or URL, org, region). Never over rendered text, timestamps,
 * reasons or the desired values of unchanged fields, so the same change planned twice against
 * the same Hub gives the same fingerprint, and a plan of creates only, which anyone can work
 * out from the spec, does not match one made for another Hub or org.
 */
export function fingerprintOf(
	stack: string,
	actions: readonly Action[],
	hub: PlannedHub | undefined,
	resources: readonly ResourceAction[] = []
): string {
	const canonical = actions.filter((action) => action.kind !== 'noop').map(canonicalAction);
	const changed = resources.filter((action) => action.kind !== 'noop').map(canonicalResource);
	// Only a plan that changes other kinds names them: a sessions-only plan keeps its fingerprint.
	const other = changed.length > 0 ? { resources: changed } : {};
	return `sha256:${sha256Hex(canonicalJson({ stack, hub: canonicalHub(hub), actions: canonical, ...other }))}`;
}

/** The canonical data of an action on another kind: what it does to which record, never its reason. */
export function canonicalResource(action: ResourceAction) {
	return {
		kind: action.kind,
		resource: action.resource,
		key: action.key,
		id: action.id ?? null,
		changes: action.changes ?? null,
		forcedBy: action.forcedBy ?? null,
		create: action.kind === 'create' ? (action.desired ?? null) : null,
	};
}

/** Null for a plan made without a Hub (pure tests); a URL without its trailing slashes. */
export function canonicalHub(hub: PlannedHub | undefined) {
	if (!hub) return null;
	return {
		local: hub.local,
		url: hub.local ? null : (hub.url?.replace(/\/+$/, '') ?? null),
		org: hub.org ?? null,
		region: hub.local || hub.url ? null : (hub.region ?? null),
	};
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
 * What a create sends, without its source position and template entry (moving an entry in the
 * file, or into a template that expands to the same entry, is no change) and with env templates
 * reduced to their structure: a fingerprint is no digest of literal env text (a saved plan
 * checks that text by its keyed digest).
 */
function createDigestInput(desired: Extract<Action, { kind: 'create' }>['desired']) {
	const { source: _source, template: _template, env, ...rest } = desired;
	const structure = Object.fromEntries(
		Object.entries(env).map(([key, template]) => [key, templateStructure(template)])
	);
	return { ...rest, env: structure };
}

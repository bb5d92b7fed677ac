/**
 * `forget KEY...`: the stack stops managing the sessions of these keys without archiving them.
 * Their markers are emptied (see ownership/forget.ts); the sessions keep running as they are.
 * Archived sessions of those keys are history: nothing to forget, and the Hub takes no writes to
 * them, so they are left as they are (and named, so the user knows).
 * The writes go through apply's executor, like a plan's `forget` actions: throttled, named by the
 * run's id, each session read again first and left alone if another writer changed it since.
 */
import { applyPlan } from '../apply/executor.js';
import type { ApplyResult } from '../apply/events.js';
import { UserError } from '../core/errors.js';
import { DEFAULT_PARALLELISM } from '../hub/client.js';
import { markerKeys } from '../ownership/forget.js';
import { keyGroups } from '../ownership/key-groups.js';
import type { Spec } from '../kinds/session/desired.js';
import type { LiveSession } from '../kinds/session/live.js';
import { liveRef } from '../plan/live-ref.js';
import type { Action } from '../plan/types.js';
import type { ConnectedHub } from './connect.js';
import { applySucceeded } from './apply.js';
import type { Environment } from './environment.js';
import { ownedRecordKeys } from './forget-records.js';
import { withSpecAndHub, type SpecAndHub } from './spec-and-hub.js';

export interface ForgetTarget {
	readonly key: string;
	readonly session: LiveSession;
}

export interface ForgetOptions {
	/**
	 * Asked once, after the targets are known and before the first write; only `true` goes on.
	 * `history`: the archived sessions of the keys, left as they are.
	 */
	readonly approve:
		| 'auto'
		| ((targets: readonly ForgetTarget[], history: readonly ForgetTarget[]) => Promise<boolean>);
	readonly parallelism?: number;
}

export type ForgetOutcome =
	| { readonly status: 'cancelled'; readonly targets: readonly ForgetTarget[] }
	| {
			readonly status: 'forgotten';
			readonly targets: readonly ForgetTarget[];
			/** One `forget` outcome per target, in their order, and the read-back. */
			readonly result: ApplyResult;
			/** Every session forgotten, and nobody else wrote to the stack meanwhile. */
			readonly succeeded: boolean;
	  };

export async function forget(
	spec: Spec,
	keys: readonly string[],
	connected: ConnectedHub,
	options: ForgetOptions
): Promise<ForgetOutcome> {
	const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
	const live = await connected.hub.readLiveSessions({ parallelism });
	const groups = keyGroups(spec.stack, live);
	const records = keys.some((key) => !groups.has(key))
		? await ownedRecordKeys(connected.hub, spec.stack)
		: [];
	const targets = forgetTargets(spec, live, keys, records);
	const history = forgetHistory(spec, live, keys);
	if (options.approve !== 'auto' && !(await options.approve(targets, history)))
		return { status: 'cancelled', targets };
	const actions = targets.map(({ key, session }): Action => ({
		kind: 'forget',
		key,
		live: liveRef(session),
		markers: markerKeys(session),
		reason: 'forget',
	}));
	const result = await applyPlan({ stack: spec.stack, actions }, connected.hub, {
		parallelism,
		env: {},
		baseline: live,
	});
	return { status: 'forgotten', targets, result, succeeded: applySucceeded(result) };
}

/**
 * Every live (not archived) session of the keys given. A key must be the stack's, and gone from
 * the spec or marked `state: unmanaged`: otherwise the next plan would create it again.
 */
export function forgetTargets(
	spec: Spec,
	live: readonly LiveSession[],
	keys: readonly string[],
	recordKeys: readonly string[] = []
): ForgetTarget[] {
	const groups = keyGroups(spec.stack, live);
	const unknown = keys.filter((key) => !groups.has(key));
	if (unknown.length > 0) {
		const known = [...groups.keys()].sort();
		// A record of another kind is named SECTION.KEY (skillBuckets.docs-kit).
		const records = recordKeys.filter((qualified) =>
			unknown.includes(qualified.slice(qualified.indexOf('.') + 1))
		);
		const hint = records.length > 0 ? `; did you mean ${records.join(', ')}?` : '';
		throw new UserError(
			`forget names no session of stack ${spec.stack}: ${unknown.join(', ')} (its keys: ${known.length > 0 ? known.join(', ') : 'none'}${hint})`
		);
	}
	const declared = new Map(spec.sessions.map((entry) => [entry.key, entry]));
	const still = keys.filter((key) => {
		const entry = declared.get(key);
		return entry !== undefined && entry.state !== 'unmanaged';
	});
	if (still.length > 0) {
		throw new UserError(
			`still in the spec: ${still.join(', ')}. The next plan would create ${still.length === 1 ? 'it' : 'them'} again: first delete the ${still.length === 1 ? 'entry' : 'entries'} or mark ${still.length === 1 ? 'it' : 'them'} \`state: unmanaged\`.`
		);
	}
	return sessionsOf(spec, live, keys).filter(({ session }) => !session.archived);
}

/** The archived sessions of the keys given: history, left as they are. */
export function forgetHistory(
	spec: Spec,
	live: readonly LiveSession[],
	keys: readonly string[]
): ForgetTarget[] {
	return sessionsOf(spec, live, keys).filter(({ session }) => session.archived);
}

function sessionsOf(spec: Spec, live: readonly LiveSession[], keys: readonly string[]) {
	const groups = keyGroups(spec.stack, live);
	return [...new Set(keys)].flatMap((key) =>
		(groups.get(key)?.all ?? []).map((session) => ({ key, session }))
	);
}

/** `forget` from the command line: the spec's files and the Hub's target. */
export interface ForgetFilesRequest extends SpecAndHub, Omit<ForgetOptions, 'approve'> {
	/** As ForgetOptions' `approve`, given the spec too (its stack and prune name the history). */
	readonly approve:
		| 'auto'
		| ((
				spec: Spec,
				targets: readonly ForgetTarget[],
				history: readonly ForgetTarget[]
		  ) => Promise<boolean>);
}

/** Loads the spec, opens the Hub, forgets the keys' sessions, closes the Hub. */
export function forgetFiles(
	keys: readonly string[],
	request: ForgetFilesRequest,
	environment: Environment
): Promise<{ readonly spec: Spec; readonly outcome: ForgetOutcome }> {
	const { approve, parallelism } = request;
	return withSpecAndHub(request, environment, async (spec, connected) => {
		const outcome = await forget(spec, keys, connected, {
			...(parallelism !== undefined ? { parallelism } : {}),
			approve: approve === 'auto' ? 'auto' : (targets, history) => approve(spec, targets, history),
		});
		return { spec, outcome };
	});
}

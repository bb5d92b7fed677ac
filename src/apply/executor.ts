/**
 * Carries out a plan through the writing Hub facade: phase by phase, bounded concurrency, every
 * action independent of the others' failures. Each write to an existing session is preceded by a
 * read of it (guard.ts): a session another writer changed since the plan is not written (outcome
 * `conflict`). A Hub that stops answering stops the run: the actions not started yet are not
 * attempted. Reports through events; never prints.
 */
import pLimit from 'p-limit';
import type { SettleOptions } from './settle.js';
import { SessionGoneError } from '../core/errors.js';
import { HubUnavailableError, inFlightWhen, OutcomeUnknownError } from '../hub/errors.js';
import type { CreateSessionInput, HubWriter, UpdateSessionInput } from '../hub/types.js';
import { byCreation } from '../ownership/creation-order.js';
import { MARKER } from '../ownership/markers.js';
import type { Action, Plan } from '../plan/types.js';
import type { EnvKey } from '../core/secrets/env-key.js';
import type { DesiredSession } from '../kinds/session/desired.js';
import type { ApplyEvent, ApplyResult, Outcome } from './events.js';
import { adoptInput, createInput, updateInput } from './inputs.js';
import { phasesOf } from './order.js';
import { Throttle } from '../hub/throttle.js';
import { archiveDuplicates, ownDuplicates } from './duplicates.js';
import { otherWrites } from './other-writers.js';
import { readBack } from './read-back.js';
import { newRunId } from './run-id.js';
import { verifyOutcomes } from './verify.js';
import { conflictMessage, describeRecheck, recheck, type Recheck } from './guard.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { Listing } from '../hub/discovery/types.js';

/** Reads at once while looking for a create that may have landed (inside one worker). */
const FIND_PARALLELISM = 2;

export interface ApplyOptions {
	readonly parallelism: number;
	/** Resolved env values per entry key (only entries that create need them). */
	readonly env: Readonly<Record<string, Readonly<Record<string, string>>>>;
	/** CODER_SESSIONS_ENV_KEY, for the keyed env digests a create records. */
	readonly envKey?: EnvKey;
	readonly onEvent?: (event: ApplyEvent) => void;
	readonly throttle?: Throttle;
	/**
	 * The sessions the plan was computed from. Each write first reads its session again and goes
	 * ahead only if the markers are still these; read back against them, sessions that appear,
	 * join or change during the run tell this run's duplicates from another writer's work.
	 */
	readonly baseline: readonly LiveSession[];
	/** The ids the plan listed, when it listed more than it read (default: the baseline's). */
	readonly listing?: Listing;
	/** This run's id (a fresh one by default), written in `coder-sessions/run` by every write. */
	readonly runId?: string;
	/** Waiting for records of other kinds the Hub prepares (a workspace's snapshot). */
	readonly settle?: SettleOptions;
}

/** What the executor needs of a plan: forget and `drift --write` make one of their own. */
export type PlannedActions = Pick<Plan, 'stack' | 'actions'>;

export async function applyPlan(
	plan: PlannedActions,
	hub: HubWriter,
	options: ApplyOptions
): Promise<ApplyResult> {
	const limit = pLimit(options.parallelism);
	const throttle = options.throttle ?? new Throttle();
	const runId = options.runId ?? newRunId();
	const ctx: Context = {
		stack: plan.stack,
		hub,
		throttle,
		env: options.env,
		envKey: options.envKey,
		parallelism: options.parallelism,
		runId,
		seen: new Map(options.baseline.map((session) => [session.id, session])),
		removed: new Set(),
		reread: new Map(),
		answers: new Map(),
	};
	const outcomes: Outcome[] = [];
	// A key whose action failed is left alone by later phases (its dedupe, say, depends on it).
	const troubled = new Set<string>();

	for (const phase of phasesOf(plan.actions)) {
		const results = await Promise.all(
			phase.map((action) =>
				limit(async () => {
					if (hub.unavailable) return finish(options, { action, status: 'not-attempted' });
					if (troubled.has(action.key)) {
						return finish(options, {
							action,
							status: 'skipped',
							message: 'an earlier action for this key did not succeed',
						});
					}
					options.onEvent?.({ type: 'start', action });
					const outcome = await execute(action, ctx);
					return finish(options, outcome);
				})
			)
		);
		for (const outcome of results) {
			outcomes.push(outcome);
			if (outcome.status !== 'applied') troubled.add(outcome.action.key);
		}
	}
	// With a Hub that stopped answering, the read-back would only fail: the run says what is
	// unknown instead.
	const stopped = (): ApplyResult | undefined =>
		hub.unavailable
			? {
					outcomes,
					duplicatesArchived: [],
					notConverged: [],
					otherWrites: [],
					runId,
					hubUnavailable: hub.unavailable.message,
					...(hub.unavailable.answerRefused ? { hubAnswerRefused: true } : {}),
				}
			: undefined;
	if (hub.unavailable) return stopped()!;
	// Nothing was to be written (a drift --write whose stamps all hold already): nothing to check.
	if (plan.actions.every((action) => action.kind === 'noop'))
		return { outcomes, duplicatesArchived: [], notConverged: [], otherWrites: [], runId };
	const touched = outcomes.flatMap((outcome) => (outcome.sessionId ? [outcome.sessionId] : []));
	const back = await readBack(
		hub,
		plan.stack,
		options.baseline,
		touched,
		options.parallelism,
		options.listing,
		{ runId, sessions: ctx.answers }
	);
	if (hub.unavailable) return stopped()!;
	const duplicates = ownDuplicates(
		outcomes,
		back,
		plan.stack,
		runId,
		options.baseline,
		options.listing
	);
	const { archived, failed } = await archiveDuplicates(
		duplicates,
		back,
		plan.stack,
		hub,
		options.parallelism,
		throttle
	);
	if (hub.unavailable) return stopped()!;
	const notConverged = [...verifyOutcomes(outcomes, back, plan.stack), ...failed];
	const others = otherWrites(plan.stack, runId, options.baseline, back, outcomes);
	return {
		outcomes,
		duplicatesArchived: archived,
		notConverged,
		otherWrites: others,
		runId,
		...(back.listFailure ? { readBackFailure: back.listFailure } : {}),
	};
}

interface Context {
	readonly stack: string;
	readonly hub: HubWriter;
	readonly throttle: Throttle;
	readonly env: ApplyOptions['env'];
	readonly envKey?: EnvKey;
	readonly parallelism: number;
	readonly runId: string;
	/** What the plan saw of each session, by id: a write goes ahead only if it still is that. */
	readonly seen: ReadonlyMap<string, LiveSession>;
	/** Sessions this run archived or deleted (a dedupe may keep a session this run replaced). */
	readonly removed: Set<string>;
	/** Each session as the re-read just before its write found it. */
	readonly reread: Map<string, LiveSession>;
	/** Each session this run wrote, as its write's answer says it left it (see read-back.ts). */
	readonly answers: Map<string, LiveSession>;
}

function finish(options: ApplyOptions, outcome: Outcome): Outcome {
	options.onEvent?.({ type: 'finish', outcome });
	return outcome;
}

async function execute(action: Action, ctx: Context): Promise<Outcome> {
	try {
		switch (action.kind) {
			case 'create':
				return await createSafely(action, action.desired, ctx);
			case 'update': {
				const found = await reread(action.live.id, ctx);
				if (found) return conflict(action, found, 'not updated');
				const input = withRun(
					updateInput(ctx.stack, action.desired, action.changes, action.stamp),
					ctx
				);
				await update(action.live.id, input, ctx);
				return { action, status: 'applied', sessionId: action.live.id };
			}
			case 'adopt': {
				const input = withRun(await adoptInput(ctx.stack, action, ctx.envKey), ctx);
				const found = await reread(action.live.id, ctx);
				if (found) return conflict(action, found, 'not adopted');
				await update(action.live.id, input, ctx);
				return { action, status: 'applied', sessionId: action.live.id };
			}
			case 'replace':
				return await replace(action, ctx);
			case 'dedupe':
				return await dedupe(action, ctx);
			case 'archive': {
				const found = await reread(action.live.id, ctx);
				if (found?.state === 'changed') return conflict(action, found, 'not archived');
				// Gone or archived already, markers as the plan saw them: as wanted, nothing to send.
				if (found) return removed(action, ctx, `already ${describeRecheck(found)}`);
				await removeIdempotently(() => ctx.hub.archiveSession(action.live.id), ctx);
				return removed(action, ctx);
			}
			case 'delete': {
				const found = await reread(action.live.id, ctx);
				if (found?.state === 'changed') return conflict(action, found, 'not deleted');
				if (found?.state === 'gone') return removed(action, ctx, 'already deleted');
				await removeIdempotently(() => ctx.hub.deleteSession(action.live.id), ctx);
				return removed(action, ctx);
			}
			case 'forget': {
				const found = await reread(action.live.id, ctx);
				if (found) return conflict(action, found, 'not forgotten');
				const metadata = Object.fromEntries(action.markers.map((marker) => [marker, '']));
				await update(action.live.id, withRun({ metadata }, ctx), ctx);
				return { action, status: 'applied', sessionId: action.live.id };
			}
			case 'noop':
				return { action, status: 'skipped' };
		}
	} catch (error) {
		// In flight when the Hub stopped answering: it may or may not have happened.
		if (error instanceof HubUnavailableError)
			return { action, status: 'unknown', message: inFlightWhen(error) };
		return {
			action,
			status: 'failed',
			message: error instanceof Error ? error.message : String(error),
		};
	}
}

/**
 * The session read again just before a write, against what the plan saw of it: undefined when it
 * is as the plan saw it (or the plan did not read it), else what another writer did meanwhile.
 */
async function reread(
	id: string,
	ctx: Context
): Promise<Exclude<Recheck, { state: 'unchanged' }> | undefined> {
	const before = ctx.seen.get(id);
	if (!before) return undefined;
	const now = await ctx.hub.getSession(id);
	if (now) ctx.reread.set(id, now);
	const found = recheck(before, now);
	return found.state === 'unchanged' ? undefined : found;
}

/** An update, keeping what its answer says of the session on top of the re-read before it. */
async function update(id: string, input: UpdateSessionInput, ctx: Context): Promise<void> {
	const after = await ctx.throttle.run(() => ctx.hub.updateSession(id, input, ctx.reread.get(id)));
	if (after) ctx.answers.set(id, after);
}

function conflict(
	action: Action & { readonly live: { readonly id: string } },
	found: Exclude<Recheck, { state: 'unchanged' }>,
	notDone: string
): Outcome {
	return {
		action,
		status: 'conflict',
		sessionId: action.live.id,
		message: conflictMessage(found, notDone),
	};
}

function removed(
	action: Action & { readonly live: { readonly id: string } },
	ctx: Context,
	message?: string
): Outcome {
	ctx.removed.add(action.live.id);
	return { action, status: 'applied', sessionId: action.live.id, ...(message ? { message } : {}) };
}

/**
 * Create the new session, then archive the old one. The old one is read again before each step:
 * a session another writer archived, forgot or applied meanwhile is neither replaced nor archived
 * (a run that planned earlier must not bring back what `apply --destroy` just archived).
 */
async function replace(
	action: Extract<Action, { kind: 'replace' }>,
	ctx: Context
): Promise<Outcome> {
	const before = await reread(action.live.id, ctx);
	if (before) return conflict(action, before, 'nothing created, nothing archived');
	const created = await createSafely(action, action.desired, ctx);
	if (created.status !== 'applied') return created;
	if (created.sessionId === action.live.id) {
		return {
			action,
			status: 'failed',
			message: 'the new session could not be told apart from the old one',
		};
	}
	try {
		const found = await reread(action.live.id, ctx);
		if (found) {
			return {
				...created,
				status: 'conflict',
				message: `created, but ${action.live.id} was ${conflictMessage(found, 'not archived by this run')}`,
			};
		}
		await removeIdempotently(() => ctx.hub.archiveSession(action.live.id), ctx);
		ctx.removed.add(action.live.id);
	} catch (error) {
		// Say that the new session exists: the next plan dedupes the pair.
		const reason = error instanceof Error ? error.message : String(error);
		return {
			...created,
			status: 'failed',
			message: `created, but archiving ${action.live.id} failed: ${reason}`,
		};
	}
	return { ...created, message: `replaced ${action.live.id}` };
}

/**
 * Archive a spare copy of a key. Read again first: the copy itself, and the session the plan
 * keeps, which must still be the key's (or have been replaced by this run): a dedupe never leaves
 * a key without its session because another writer archived the kept one meanwhile.
 */
async function dedupe(action: Extract<Action, { kind: 'dedupe' }>, ctx: Context): Promise<Outcome> {
	const found = await reread(action.live.id, ctx);
	if (found?.state === 'changed') return conflict(action, found, 'not archived');
	if (found) return removed(action, ctx, `already ${describeRecheck(found)}`);
	if (!ctx.removed.has(action.keep)) {
		const kept = await ctx.hub.getSession(action.keep);
		const stillKept =
			kept !== undefined &&
			!kept.archived &&
			kept.metadata[MARKER.stack] === ctx.stack &&
			kept.metadata[MARKER.key] === action.key;
		if (!stillKept) {
			return {
				action,
				status: 'conflict',
				sessionId: action.live.id,
				message: `changed by another writer since the plan (${action.keep}, the session kept, is no longer the key's active session); not archived`,
			};
		}
	}
	await removeIdempotently(() => ctx.hub.archiveSession(action.live.id), ctx);
	return removed(action, ctx);
}

/** A 404 on archive or delete means someone got there first: the session is gone, as wanted. */
async function removeIdempotently(call: () => Promise<void>, ctx: Context): Promise<void> {
	try {
		await ctx.throttle.run(call);
	} catch (error) {
		if (!(error instanceof SessionGoneError)) throw error;
	}
}

/**
 * A create whose response was lost may still have landed (the SDK even re-sends the POST on a
 * reset or a 502/503). So before any second attempt, the Hub is read by key: a session found
 * there is adopted; only a confirmed absence is created again, once.
 */
async function createSafely(
	action: Action,
	desired: DesiredSession,
	ctx: Context
): Promise<Outcome> {
	const input = withRun(
		await createInput(ctx.stack, desired, ctx.env[desired.key] ?? {}, ctx.envKey),
		ctx
	);
	for (let attempt = 1; attempt <= 2; attempt += 1) {
		try {
			const { id, session } = await ctx.throttle.run(() => ctx.hub.createSession(input));
			ctx.answers.set(id, session);
			return { action, status: 'applied', sessionId: id };
		} catch (error) {
			if (!(error instanceof OutcomeUnknownError)) throw error;
			const landed = await findLanded(desired.key, input, knownIds(action), ctx);
			if (landed)
				return {
					action,
					status: 'applied',
					sessionId: landed,
					message: 'response lost; found on the Hub and adopted',
				};
			if (attempt === 2) return { action, status: 'unknown', message: error.message };
		}
	}
	return { action, status: 'unknown' };
}

/**
 * The session this create made, if it landed: active, carrying this run's id and exactly the
 * applied stamp the create sent, and not one the plan already knew (a replace's old session has
 * the same key). Another run's create of the same key is never taken for this one's.
 */
async function findLanded(
	key: string,
	input: CreateSessionInput,
	known: ReadonlySet<string>,
	ctx: Context
): Promise<string | undefined> {
	const label = typeof input.label === 'string' ? input.label : undefined;
	const found = await ctx.throttle.run(() =>
		ctx.hub.findByKey(ctx.stack, key, {
			parallelism: FIND_PARALLELISM,
			justCreated: label === undefined ? {} : { label },
		})
	);
	const stamp = input.metadata[MARKER.applied];
	const landed = found
		.filter(
			(s) =>
				!s.archived &&
				!known.has(s.id) &&
				s.metadata[MARKER.run] === ctx.runId &&
				s.metadata[MARKER.applied] === stamp
		)
		.sort((a, b) => byCreation(b, a));
	return landed[0]?.id;
}

function knownIds(action: Action): ReadonlySet<string> {
	return new Set('live' in action && action.live ? [action.live.id] : []);
}

/** Every write names the run that made it: see other-writers.ts. */
function withRun<T extends CreateSessionInput | UpdateSessionInput>(input: T, ctx: Context): T {
	return { ...input, metadata: { ...input.metadata, [MARKER.run]: ctx.runId } };
}

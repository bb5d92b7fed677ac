/**
 * Carries out a plan through the writing Hub facade: phase by phase, bounded concurrency, every
 * action independent of the others' failures. A Hub that stops answering stops the run: the
 * actions not started yet are not attempted. Reports through events; never prints.
 */
import pLimit from 'p-limit';
import { SessionGoneError } from '../errors.js';
import { HubUnavailableError, OutcomeUnknownError } from '../hub-client/errors.js';
import type { CreateSessionInput, HubWriter, UpdateSessionInput } from '../hub-client/types.js';
import { MARKER } from '../ownership/markers.js';
import type { Action, Plan } from '../plan/types.js';
import type { EnvKey } from '../secrets/env-key.js';
import type { DesiredSession } from '../session/desired.js';
import type { ApplyEvent, ApplyResult, Outcome } from './events.js';
import { adoptInput, createInput, updateInput } from './inputs.js';
import { phasesOf } from './order.js';
import { Throttle } from '../hub-client/throttle.js';
import { archiveDuplicates, ownDuplicates } from './duplicates.js';
import { otherWrites } from './other-writers.js';
import { readBack } from './read-back.js';
import { newRunId } from './run-id.js';
import { verifyOutcomes } from './verify.js';
import type { LiveSession } from '../session/live.js';
import type { Listing } from '../discovery/types.js';

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
	 * The sessions the plan was computed from. Read back against them, sessions that appear or
	 * change during the run tell this run's duplicates from another writer's work.
	 */
	readonly baseline: readonly LiveSession[];
	/** The ids the plan listed, when it listed more than it read (default: the baseline's). */
	readonly listing?: Listing;
	/** This run's id (a fresh one by default), written in `coder-sessions/run` by every write. */
	readonly runId?: string;
}

export async function applyPlan(
	plan: Plan,
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
				}
			: undefined;
	if (hub.unavailable) return stopped()!;
	const touched = outcomes.flatMap((outcome) => (outcome.sessionId ? [outcome.sessionId] : []));
	const back = await readBack(
		hub,
		plan.stack,
		options.baseline,
		touched,
		options.parallelism,
		options.listing
	);
	if (hub.unavailable) return stopped()!;
	const duplicates = ownDuplicates(outcomes, back, plan.stack, runId);
	const { archived, failed } = await archiveDuplicates(duplicates, hub, options.parallelism);
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
			case 'update':
				await ctx.throttle.run(() =>
					ctx.hub.updateSession(
						action.live.id,
						withRun(updateInput(action.desired, action.changes, action.stamp), ctx)
					)
				);
				return { action, status: 'applied', sessionId: action.live.id };
			case 'adopt': {
				const input = withRun(await adoptInput(ctx.stack, action, ctx.envKey), ctx);
				await ctx.throttle.run(() => ctx.hub.updateSession(action.live.id, input));
				return { action, status: 'applied', sessionId: action.live.id };
			}
			case 'replace': {
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
					await removeIdempotently(() => ctx.hub.archiveSession(action.live.id), ctx);
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
			case 'dedupe':
			case 'archive':
				await removeIdempotently(() => ctx.hub.archiveSession(action.live.id), ctx);
				return { action, status: 'applied', sessionId: action.live.id };
			case 'delete':
				await removeIdempotently(() => ctx.hub.deleteSession(action.live.id), ctx);
				return { action, status: 'applied', sessionId: action.live.id };
			case 'forget': {
				const metadata = Object.fromEntries(action.markers.map((marker) => [marker, '']));
				await ctx.throttle.run(() => ctx.hub.updateSession(action.live.id, { metadata }));
				return { action, status: 'applied', sessionId: action.live.id };
			}
			case 'noop':
				return { action, status: 'skipped' };
		}
	} catch (error) {
		// In flight when the Hub stopped answering: it may or may not have happened.
		if (error instanceof HubUnavailableError)
			return { action, status: 'unknown', message: 'the Hub stopped answering' };
		return {
			action,
			status: 'failed',
			message: error instanceof Error ? error.message : String(error),
		};
	}
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
			const { id } = await ctx.throttle.run(() => ctx.hub.createSession(input));
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
	const found = await ctx.throttle.run(() =>
		ctx.hub.findByKey(ctx.stack, key, { parallelism: FIND_PARALLELISM })
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
		.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
	return landed[0]?.id;
}

function knownIds(action: Action): ReadonlySet<string> {
	return new Set('live' in action && action.live ? [action.live.id] : []);
}

/** Every write names the run that made it: see other-writers.ts. */
function withRun<T extends CreateSessionInput | UpdateSessionInput>(input: T, ctx: Context): T {
	return { ...input, metadata: { ...input.metadata, [MARKER.run]: ctx.runId } };
}

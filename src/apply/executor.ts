/**
 * Carries out a plan through the writing Hub facade: phase by phase, bounded concurrency, every
 * action independent of the others' failures. Reports through events; never prints.
 */
import pLimit from 'p-limit';
import { SessionGoneError } from '../errors.js';
import { OutcomeUnknownError } from '../hub/errors.js';
import type { CreateSessionInput, HubWriter } from '../hub/types.js';
import { MARKER } from '../plan/markers.js';
import type { Action, Plan } from '../plan/types.js';
import type { EnvKey } from '../secrets/env-key.js';
import type { DesiredSession } from '../spec/types.js';
import type { ApplyEvent, ApplyResult, Outcome } from './events.js';
import { adoptInput, createInput, updateInput } from './inputs.js';
import { phasesOf } from './order.js';
import { Throttle } from '../hub/throttle.js';
import { sweepDuplicates } from './duplicates.js';
import { verifyOutcomes } from './verify.js';

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
	 * Every session id the plan was computed from. With it, sessions that appear during the run
	 * are checked for duplicates of this run's creates (see duplicates.ts).
	 */
	readonly knownIds?: ReadonlySet<string>;
}

export async function applyPlan(
	plan: Plan,
	hub: HubWriter,
	options: ApplyOptions
): Promise<ApplyResult> {
	const limit = pLimit(options.parallelism);
	const throttle = options.throttle ?? new Throttle();
	const ctx: Context = {
		stack: plan.stack,
		hub,
		throttle,
		env: options.env,
		envKey: options.envKey,
		parallelism: options.parallelism,
	};
	const outcomes: Outcome[] = [];
	// A key whose action failed is left alone by later phases (its dedupe, say, depends on it).
	const troubled = new Set<string>();

	for (const phase of phasesOf(plan.actions)) {
		const results = await Promise.all(
			phase.map((action) =>
				limit(async () => {
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
	const duplicatesArchived = options.knownIds
		? await sweepDuplicates(outcomes, hub, plan.stack, options.knownIds, options.parallelism)
		: [];
	const notConverged = await verifyOutcomes(outcomes, hub, options.parallelism, plan.stack);
	return { outcomes, duplicatesArchived, notConverged };
}

interface Context {
	readonly stack: string;
	readonly hub: HubWriter;
	readonly throttle: Throttle;
	readonly env: ApplyOptions['env'];
	readonly envKey?: EnvKey;
	readonly parallelism: number;
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
						updateInput(action.desired, action.changes, action.stamp)
					)
				);
				return { action, status: 'applied', sessionId: action.live.id };
			case 'adopt': {
				const input = await adoptInput(ctx.stack, action, ctx.envKey);
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
			case 'noop':
				return { action, status: 'skipped' };
		}
	} catch (error) {
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
	const input = await createInput(ctx.stack, desired, ctx.env[desired.key] ?? {}, ctx.envKey);
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
 * The session this create made, if it landed: active, carrying exactly the applied stamp the
 * create sent, and not one the plan already knew (a replace's old session has the same key).
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
		.filter((s) => !s.archived && !known.has(s.id) && s.metadata[MARKER.applied] === stamp)
		.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
	return landed[0]?.id;
}

function knownIds(action: Action): ReadonlySet<string> {
	return new Set('live' in action && action.live ? [action.live.id] : []);
}

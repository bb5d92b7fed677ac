/**
 * `apply --format json`: one document saying what apply did, for CI to post; `--format jsonl`:
 * one line per event as it happens, the same document last. Versioned by `formatVersion`; never
 * holds an env value (actions carry keys and session ids, not the values they wrote).
 */
import type { ApplyEvent, ApplyResult, Outcome, OutcomeStatus } from '../apply/events.js';
import type { Action, ActionKind, ResourceAction } from '../plan/types.js';
import { resourceActionJson, type ApplyJsonResourceV1 } from './apply-resources.js';

export type { ApplyJsonResourceV1 };

export const APPLY_JSON_FORMAT_VERSION = 1;

/** How the run ended: the outcomes of apply, and the ways it ends before applying anything. */
export type ApplyRunStatus = 'applied' | 'no-changes' | 'refused' | 'cancelled' | 'stale' | 'error';

export interface ApplyJsonActionV1 {
	readonly key: string;
	readonly kind: ActionKind;
	readonly status: OutcomeStatus;
	/** The session the action started from (null for a create). */
	readonly sessionIdBefore: string | null;
	/** The session the entry has after the action (null when none, or not known). */
	readonly sessionIdAfter: string | null;
	readonly message?: string;
}

export interface ApplyJsonV1 {
	readonly formatVersion: typeof APPLY_JSON_FORMAT_VERSION;
	/** null when apply stopped before the spec or saved plan was read. */
	readonly stack: string | null;
	readonly status: ApplyRunStatus;
	/** The code the command exits with. */
	readonly exitCode: number;
	/** Every action applied or skipped, converged, and nobody else wrote meanwhile. */
	readonly succeeded: boolean;
	readonly runId?: string;
	/** Every action of the plan other than noops, in plan order. */
	readonly actions: readonly ApplyJsonActionV1[];
	/**
	 * The actions on other kinds of the kind table (noops left out), each with its `kind` (what is
	 * done) and `resource` (the kind of record); present only when the plan has some.
	 */
	readonly resources?: readonly ApplyJsonResourceV1[];
	/** Per status, the actions of both lists. */
	readonly counts: Readonly<Record<OutcomeStatus, number>>;
	/** Why apply did not run or did not finish cleanly (refusal or stale reasons, an error). */
	readonly reasons: readonly string[];
	readonly notConverged: ApplyResult['notConverged'];
	readonly otherWrites: ApplyResult['otherWrites'];
	readonly duplicatesArchived: ApplyResult['duplicatesArchived'];
	/** Records of other kinds that, read back, are not what was applied (with `resources` only). */
	readonly resourceNotConverged?: NonNullable<ApplyResult['resourceNotConverged']>;
	readonly readBackFailure?: string;
	readonly hubUnavailable?: string;
	/**
	 * With `hubUnavailable`: something answered with what the run refuses (a proxy's page, an
	 * answer too large, a redirect), which a retry meets again; absent for an outage.
	 */
	readonly hubAnswerRefused?: true;
}

export interface ApplyRun {
	readonly stack: string | null;
	readonly status: ApplyRunStatus;
	readonly exitCode: number;
	/** The plan's actions; noops are left out. */
	readonly actions: readonly Action[];
	/** The plan's actions on other kinds of the kind table. */
	readonly resourceActions?: readonly ResourceAction[];
	readonly result?: ApplyResult;
	readonly succeeded?: boolean;
	readonly reasons?: readonly string[];
}

const sessionIdBefore = (action: Action): string | null =>
	'live' in action && action.live ? action.live.id : null;

const REMOVALS: ReadonlySet<ActionKind> = new Set(['archive', 'delete', 'dedupe']);

function sessionIdAfter(action: Action, outcome: Outcome | undefined): string | null {
	const applied = outcome?.status === 'applied';
	// An archived or deleted session is no longer the entry's.
	if (REMOVALS.has(action.kind)) return applied ? null : sessionIdBefore(action);
	if (outcome?.sessionId) return outcome.sessionId;
	return action.kind === 'create' ? null : sessionIdBefore(action);
}

export function actionJson(action: Action, outcome?: Outcome): ApplyJsonActionV1 {
	return {
		key: action.key,
		kind: action.kind,
		status: outcome?.status ?? 'not-attempted',
		sessionIdBefore: sessionIdBefore(action),
		sessionIdAfter: sessionIdAfter(action, outcome),
		...(outcome?.message ? { message: outcome.message } : {}),
	};
}

export function toApplyJson(run: ApplyRun): ApplyJsonV1 {
	const outcomes = new Map(run.result?.outcomes.map((outcome) => [outcome.action, outcome]));
	const actions = run.actions
		.filter((action) => action.kind !== 'noop')
		.map((action) => actionJson(action, outcomes.get(action)));
	const counts: Record<OutcomeStatus, number> = {
		applied: 0,
		failed: 0,
		skipped: 0,
		unknown: 0,
		'not-attempted': 0,
		conflict: 0,
	};
	const resourceOutcomes = new Map(
		run.result?.resourceOutcomes?.map((outcome) => [outcome.action, outcome])
	);
	const resources = (run.resourceActions ?? [])
		.filter((action) => action.kind !== 'noop')
		.map((action) => resourceActionJson(action, resourceOutcomes.get(action)));
	for (const action of [...actions, ...resources]) counts[action.status] += 1;
	const result = run.result;
	return {
		formatVersion: APPLY_JSON_FORMAT_VERSION,
		stack: run.stack,
		status: run.status,
		exitCode: run.exitCode,
		succeeded: run.succeeded ?? run.status === 'no-changes',
		...(result ? { runId: result.runId } : {}),
		actions,
		// A sessions-only run's document stays as it was.
		...(resources.length > 0 ? { resources } : {}),
		counts,
		reasons: [...(run.reasons ?? [])],
		notConverged: result?.notConverged ?? [],
		otherWrites: result?.otherWrites ?? [],
		duplicatesArchived: result?.duplicatesArchived ?? [],
		...(resources.length > 0 ? { resourceNotConverged: result?.resourceNotConverged ?? [] } : {}),
		...(result?.readBackFailure ? { readBackFailure: result.readBackFailure } : {}),
		...(result?.hubUnavailable ? { hubUnavailable: result.hubUnavailable } : {}),
		...(result?.hubUnavailable && result.hubAnswerRefused ? { hubAnswerRefused: true } : {}),
	};
}

/** One `--format jsonl` line for an event of the run. */
export function applyEventJson(event: ApplyEvent): Record<string, unknown> {
	switch (event.type) {
		case 'start':
			return { type: 'start', key: event.action.key, kind: event.action.kind };
		case 'finish':
			return { type: 'finish', ...actionJson(event.outcome.action, event.outcome) };
		case 'resource-start': {
			const { resource, key, qualifiedKey, kind } = event.action;
			return { type: 'start', resource, key, qualifiedKey, kind };
		}
		case 'resource-finish':
			return { type: 'finish', ...resourceActionJson(event.outcome.action, event.outcome) };
		case 'resource-progress': {
			const { resource, key, qualifiedKey } = event.action;
			return { type: 'progress', resource, key, qualifiedKey, state: event.words };
		}
	}
}

/**
 * coder-sessions as a library: the operations the CLI runs, for scripts that drive the Hub from
 * their own code. Load a spec, connect to a Hub (or start a local one), plan, render, apply.
 *
 * ```js
 * import { apply, connectHub, loadSpec, plan, renderPlan } from 'coder-sessions';
 * const hub = await connectHub({ url: 'http://127.0.0.1:4100' });
 * const planned = await plan(await loadSpec(['sessions.yaml']), hub);
 * console.log(renderPlan(planned));
 * const outcome = await apply(planned, hub);
 * await hub.close();
 * ```
 *
 * Every function reads the environment (env values, CODER_SESSIONS_ENV_KEY, AGENTUITY_*) from
 * `options.env` and resolves paths from `options.cwd`, defaulting to the process's own; notes
 * go to `options.onWarning` (default: dropped). Errors a user can fix are `UserError`s with a
 * message to show and an `exitCode`; the Hub's are `HubError`s; a spec's are `SpecInvalidError`s,
 * whose `errors` give each problem's file, line, column, path and message.
 */
import type { DriftReport } from './plan/drift-report.js';
import type { ExportResult } from './spec/export/index.js';
import * as applyOperation from './operations/apply.js';
import * as connectOperation from './operations/connect.js';
import type { Environment } from './operations/environment.js';
import * as exportOperation from './operations/export.js';
import * as planOperation from './operations/plan.js';
import { loadSpecOrFail } from './operations/planning.js';
import * as statusOperation from './operations/status.js';
import type { Spec } from './kinds/session/desired.js';
import type { StatusView } from './plan/status-rows.js';
import type { KindTable } from './kinds/kind.js';

export { startLocalHub } from './hub-emulator/index.js';
export type { LocalGithubAccount, LocalHub, LocalHubOptions } from './hub-emulator/index.js';
export { renderPlan, type RenderPlanOptions } from './operations/render-plan.js';
export { loadBaseSpec, type BaseSpec } from './operations/base-plan.js';
export { HubError, SpecInvalidError, UserError } from './core/errors.js';
export type { SpecError, SourcePos, PathSegment } from './core/spec-error.js';
export { ExitCode } from './core/exit-code.js';
export type { ApplyOutcome, PlanToApply } from './operations/apply.js';
export type { ConnectedHub, HubTarget } from './operations/connect.js';
export type { Planned } from './operations/plan.js';
export type { ApplyResult, Outcome, OutcomeStatus, ApplyEvent } from './apply/events.js';
export type { Action, Plan } from './plan/types.js';
export type { OutputFormat, PlanMeta, PlanJsonV1 } from './render/index.js';
export type { Spec, DesiredSession } from './kinds/session/desired.js';
export type {
	DesiredResource,
	KindField,
	KindHubAccess,
	KindRow,
	KindStore,
	KindTable,
	Owner,
	ResourceKindRow,
	AnyResourceKindRow,
	KindValues,
	KindReference,
	KindHandle,
	KindSettle,
	LiveLookup,
} from './kinds/kind.js';
export { BUILT_IN_KINDS, SESSION_KINDS, sessionKind } from './kinds/table.js';
export type { ResourceAction, ResourcePlan } from './plan/types.js';
export type { ResourceOutcome } from './apply/events.js';
export type { DriftReport, ExportResult, StatusView };

/** Where a function reads the environment from and sends its notes. */
export interface EnvironmentOptions {
	/** Environment variables (default `process.env`). */
	readonly env?: NodeJS.ProcessEnv;
	/** The directory relative paths start from (default `process.cwd()`). */
	readonly cwd?: string;
	/** Notes for the person running it, e.g. a check that was skipped (default: dropped). */
	readonly onWarning?: (message: string) => void;
}

function environmentOf(options: EnvironmentOptions): Environment {
	return {
		env: options.env ?? process.env,
		cwd: options.cwd ?? process.cwd(),
		...(options.onWarning ? { warn: options.onWarning } : {}),
	};
}

/**
 * Reads and merges the spec files (default `sessions.yaml`); a spec with errors throws a
 * `SpecInvalidError`: `errors` holds every one, and its message lists them as
 * `FILE:LINE:COL: PATH: MESSAGE`.
 */
export function loadSpec(
	files: readonly string[] = [],
	options: Pick<EnvironmentOptions, 'cwd'> & { readonly table?: KindTable } = {}
): Promise<Spec> {
	return loadSpecOrFail(files, { cwd: options.cwd ?? process.cwd() }, options.table);
}

/**
 * Opens a Hub: `{ url }`, `{ region, org }` with AGENTUITY_SDK_KEY in `env`, or `{ local: true }`
 * for an embedded local Hub over `.coder-sessions/local-hub.json` under `cwd`. Close it after.
 */
export function connectHub(
	target: connectOperation.HubTarget = {},
	options: EnvironmentOptions = {}
): Promise<connectOperation.ConnectedHub> {
	return connectOperation.connectHub(target, environmentOf(options));
}

export type PlanOptions = planOperation.PlanOptions & EnvironmentOptions;

/** What apply would change on the Hub to match the spec. Reads only. */
export function plan(
	spec: Spec,
	hub: connectOperation.ConnectedHub,
	options: PlanOptions = {}
): Promise<planOperation.Planned> {
	return planOperation.plan(spec, hub, environmentOf(options), options);
}

export interface ApplyOptions
	extends Omit<applyOperation.ApplyOptions, 'approve'>, EnvironmentOptions {
	/** Asked once before the first write; only `true` goes on. Default: apply without asking. */
	readonly approve?: () => Promise<boolean>;
}

/**
 * Carries out a plan: refused (nothing written) when a safety rail stops it, as the CLI would;
 * otherwise every action is tried, and the result says what happened to each.
 */
export function apply(
	planned: applyOperation.PlanToApply,
	hub: connectOperation.ConnectedHub,
	options: ApplyOptions = {}
): Promise<applyOperation.ApplyOutcome> {
	return applyOperation.apply(planned, hub.hub, environmentOf(options), {
		...options,
		approve: options.approve ?? 'auto',
	});
}

/** The stack's sessions with their state, activity and whether each matches the spec. */
export function status(
	spec: Spec,
	hub: connectOperation.ConnectedHub,
	options: statusOperation.ReadOptions = {}
): Promise<StatusView> {
	return statusOperation.status(spec, hub, options);
}

/** Sessions changed outside coder-sessions since it last applied them, and pending changes. */
export function drift(
	spec: Spec,
	hub: connectOperation.ConnectedHub,
	options: statusOperation.ReadOptions = {}
): Promise<DriftReport> {
	return statusOperation.drift(spec, hub, options);
}

/** A spec (YAML text) for a stack's sessions on the Hub, or for unmarked ones to adopt. */
export function exportSessions(
	hub: connectOperation.ConnectedHub,
	options: exportOperation.ExportOptions
): Promise<ExportResult> {
	return exportOperation.exportSessions(hub, options);
}

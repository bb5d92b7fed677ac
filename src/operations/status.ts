/**
 * `status` and `drift`: views of one plan of the stack's sessions on the Hub against the spec
 * (one read of the Hub, one comparison per session). Reads only.
 */
import { driftOfPlan, type DriftReport } from '../plan/drift-report.js';
import type { PlanWithPrior } from '../plan/types.js';
import { viewPlan } from '../plan/view-plan.js';
import { DEFAULT_PARALLELISM, readOnly } from '../hub/client.js';
import type { HubReader } from '../hub/types.js';
import type { Spec } from '../kinds/session/desired.js';
import { readActivity } from '../hub/session-activity.js';
import { buildStatusRows, countRows, withActivity, type StatusView } from '../plan/status-rows.js';
import { MARKER } from '../ownership/markers.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { ConnectedHub } from './connect.js';
import { scopeOrFail } from './planning.js';
import { callsSince } from './hub-calls.js';
import { discover } from '../hub/discovery/discover.js';
import type { DiscoveryMode, Listing } from '../hub/discovery/types.js';
import { discoverWithProgress } from './discovery.js';
import type { Environment } from './environment.js';
import type { KindTable } from '../kinds/kind.js';
import { BUILT_IN_KINDS } from '../kinds/table.js';
import { otherKindKeys } from '../plan/scope.js';
import { resourceDrift, resourceStatusRows } from '../plan/resource-views.js';
import {
	planResourceRecords,
	readResourceRecords,
	withResolvedReferences,
} from './resource-planning.js';

export interface ReadOptions {
	/** Hub reads at once (default 8). */
	readonly parallelism?: number;
	/** How the stack's sessions are found (default auto). */
	readonly discovery?: DiscoveryMode;
	/** Only these entry keys, or keys matching these globs (`docs-*`). */
	readonly only?: readonly string[];
	/** Only the entries matching every one of these: `tag=NAME`, `metadata.KEY=VALUE`. */
	readonly select?: readonly string[];
	/** The kinds read beside sessions (default: the built-in table). */
	readonly table?: KindTable;
}

/**
 * The spec and live sessions narrowed to the keys `--only` and `--select` leave in scope, and
 * those keys (other kinds' qualified; empty: all).
 */
function scoped(
	spec: Spec,
	live: readonly LiveSession[],
	options: ReadOptions,
	records: ReadonlyMap<string, readonly unknown[]> = new Map()
): { spec: Spec; live: readonly LiveSession[]; keys: readonly string[] } {
	const table = options.table ?? BUILT_IN_KINDS;
	const otherKeys = otherKindKeys(table, spec.stack, spec.resources ?? [], records);
	const keys = scopeOrFail(spec, live, {
		only: options.only ?? [],
		select: options.select,
		otherKeys,
	});
	if (keys.length === 0) return { spec, live, keys };
	const inScope = new Set(keys);
	const ours = (session: LiveSession) => session.metadata[MARKER.stack] === spec.stack;
	return {
		spec: { ...spec, sessions: spec.sessions.filter((entry) => inScope.has(entry.key)) },
		live: live.filter(
			(session) => !ours(session) || inScope.has(session.metadata[MARKER.key] ?? '')
		),
		keys,
	};
}

/** The records of the other kinds the stack owns, within the keys in scope (empty: all). */
function inScopeOf<T extends { readonly qualifiedKey: string }>(
	rows: readonly T[],
	keys: readonly string[]
): T[] {
	if (keys.length === 0) return [...rows];
	const inScope = new Set(keys);
	return rows.filter((row) => inScope.has(row.qualifiedKey));
}

/**
 * One snapshot: the stack's sessions, then each shown session's participants, events and
 * replay. `hubCalls` counts this snapshot's reads only, so a watch can call it again.
 */
export async function status(
	spec: Spec,
	connected: ConnectedHub | HubReader,
	options: ReadOptions = {}
): Promise<StatusView> {
	const hub = readerOf(connected);
	const parallelism = options.parallelism ?? DEFAULT_PARALLELISM;
	const before = { ...hub.calls };
	// Status counts the stack's archived sessions too.
	const request = { stack: spec.stack, parallelism, needsArchived: () => true };
	const table = options.table ?? BUILT_IN_KINDS;
	const [{ live }, records] = await Promise.all([
		discover(hub, { ...request, mode: options.discovery ?? 'auto' }),
		readResourceRecords(hub, table),
	]);
	const read = scoped(withResolvedReferences(spec, table, records), live, options, records);
	const resources = inScopeOf(resourceStatusRows(table, spec.stack, records), read.keys);
	const plan = viewPlan(read.spec, read.live);
	const { rows, olderArchived } = buildStatusRows(read.spec, read.live, plan);
	const sessions = rows.flatMap((row) => (row.session ? [row.session] : []));
	const shown = withActivity(rows, await readActivity(hub, sessions, parallelism));
	return {
		stack: spec.stack,
		files: spec.files,
		rows: shown,
		counts: countRows(shown, olderArchived),
		...(records.size > 0 ? { resources } : {}),
		hubCalls: callsSince(before, hub.calls),
	};
}

/** What was changed outside coder-sessions since it last applied, and what is pending. */
export async function drift(
	spec: Spec,
	connected: ConnectedHub,
	options: ReadOptions = {},
	environment: Pick<Environment, 'progress'> = {}
): Promise<DriftReport> {
	return (await driftWithLive(spec, connected, options, environment)).report;
}

/** A drift report, the plan it views and what it was read from (`drift --write` takes values from it). */
export interface DriftRead {
	readonly report: DriftReport;
	/** The plan of the sessions in scope: its prior state holds the changes made outside. */
	readonly plan: PlanWithPrior;
	/** The sessions in scope (--only, --select). */
	readonly live: readonly LiveSession[];
	/** Every session discovery read, and the ids it listed: the baseline of the stamp writes. */
	readonly discovered: readonly LiveSession[];
	readonly listing: Listing;
}

export async function driftWithLive(
	spec: Spec,
	connected: ConnectedHub,
	options: ReadOptions = {},
	environment: Pick<Environment, 'progress'> = {}
): Promise<DriftRead> {
	const table = options.table ?? BUILT_IN_KINDS;
	const reader = readOnly(connected.hub);
	const [{ live, listing }, records] = await Promise.all([
		discoverWithProgress(reader, environment, {
			stack: spec.stack,
			mode: options.discovery,
			parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
			needsArchived: () => false,
		}),
		readResourceRecords(reader, table),
	]);
	const resources = planResourceRecords(spec, table, records, { only: [] });
	const resolved = withResolvedReferences(spec, table, records, resources);
	const read = scoped(resolved, live, options, records);
	const plan = viewPlan(read.spec, read.live);
	const inScope = planResourceRecords(spec, table, records, { only: read.keys });
	const report = driftOfPlan(read.spec, plan);
	return {
		report: records.size > 0 ? { ...report, resources: resourceDrift(inScope) } : report,
		plan,
		live: read.live,
		discovered: live,
		listing,
	};
}

/** A reader kept across snapshots, so its call counts keep counting. */
export function readerOf(connected: ConnectedHub | HubReader): HubReader {
	return 'hub' in connected ? readOnly(connected.hub) : connected;
}

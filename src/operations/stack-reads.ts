/**
 * `status` and `drift` from the command line: the spec's files and the Hub's target, read and
 * closed here (status.ts reads an open Hub).
 */
import type { DriftReport } from '../plan/drift-report.js';
import type { StatusView } from '../plan/status-rows.js';
import type { Spec } from '../kinds/session/desired.js';
import { acceptDrift, type AcceptDriftOutcome, type AcceptDriftWorld } from './accept-drift.js';
import type { Environment } from './environment.js';
import { withSpecAndHub, type SpecAndHub } from './spec-and-hub.js';
import { drift, driftWithLive, readerOf, status, type ReadOptions } from './status.js';
import { watchLoop, type WatchOptions } from './watch-status.js';

export interface StackReadRequest extends SpecAndHub, ReadOptions {}

/** One snapshot of the stack's sessions (`status`). */
export function statusFiles(
	request: StackReadRequest,
	environment: Environment
): Promise<StatusView> {
	return withSpecAndHub(request, environment, (spec, connected) =>
		status(spec, connected, request)
	);
}

/**
 * `status --watch`: a snapshot every `intervalMs` until `signal` aborts, on one open Hub (its
 * reader keeps counting calls). Returns the number of snapshots shown.
 */
export function watchStatusFiles(
	request: StackReadRequest,
	environment: Environment,
	watch: Omit<WatchOptions<StatusView>, 'refresh'>
): Promise<number> {
	return withSpecAndHub(request, environment, (spec, connected) => {
		const reader = readerOf(connected);
		return watchLoop<StatusView>({ ...watch, refresh: () => status(spec, reader, request) });
	});
}

/** What was changed outside coder-sessions since it last applied, and what is pending (`drift`). */
export function driftFiles(
	request: StackReadRequest,
	environment: Environment
): Promise<DriftReport> {
	return withSpecAndHub(request, environment, (spec, connected) =>
		drift(spec, connected, request, environment)
	);
}

/** `drift --write`: the changes made outside taken into the spec files, once `world` approves. */
export function acceptDriftFiles(
	request: StackReadRequest,
	environment: Environment,
	world: AcceptDriftWorld
): Promise<{ readonly spec: Spec; readonly outcome: AcceptDriftOutcome }> {
	return withSpecAndHub(request, environment, async (spec, connected) => {
		const read = await driftWithLive(spec, connected, request, environment);
		const outcome = await acceptDrift(spec, read, connected.hub, environment, world);
		return { spec, outcome };
	});
}

/**
 * The steps plan, apply, show and import share: load the spec, read the Hub, plan. Notes are
 * reported as they arise and also returned, for the markdown and JSON renderings.
 */
import { MARKER } from '../ownership/markers.js';
import { UserError } from '../errors.js';
import { envValueHashesFor } from '../env/resolve.js';
import { uncomparedEnvNote } from '../env/uncompared-note.js';
import { keyWarning } from '../secrets/env-key.js';
import type { HubReader } from '../hub-client/types.js';
import { planSessions } from '../plan/diff.js';
import { resolveScope } from '../plan/scope.js';
import type { Plan } from '../plan/types.js';
import { loadSpec } from '../spec/load.js';
import { renderSpecErrors } from '../spec/errors.js';
import type { Spec } from '../session/desired.js';
import { withHeapWatch } from './heap.js';
import { warn, type Environment } from './environment.js';
import type { LiveSession } from '../session/live.js';

/** The spec the files make, or a UserError listing every problem, compiler-style. */
export async function loadSpecOrFail(
	files: readonly string[],
	environment: Pick<Environment, 'cwd' | 'readStdin'>
): Promise<Spec> {
	const result = await loadSpec(files, {
		cwd: environment.cwd,
		...(environment.readStdin ? { readStdin: environment.readStdin } : {}),
	});
	if (!result.ok) throw new UserError(renderSpecErrors(result.errors).trimEnd(), 1, true);
	return result.spec;
}

export interface PlanRequest {
	/** `--only`: entry keys or globs of keys. */
	readonly only: readonly string[];
	/** `--select`: `tag=NAME` or `metadata.KEY=VALUE`, all of which an entry must match. */
	readonly select?: readonly string[];
	readonly parallelism: number;
	/** `--take-over`: `adopt:` may name sessions of other stacks. */
	readonly takeOver?: boolean;
}

/** The live sessions a plan compares the spec with. */
function readLiveForPlan(hub: HubReader, request: PlanRequest): Promise<LiveSession[]> {
	return withHeapWatch(() => hub.readLiveSessions({ parallelism: request.parallelism }));
}

export async function planAgainstHub(
	spec: Spec,
	hub: HubReader,
	environment: Environment,
	request: PlanRequest
): Promise<{ plan: Plan; live: LiveSession[]; notes: string[] }> {
	const live = await readLiveForPlan(hub, request);
	const only = scopeOrFail(spec, live, request);
	const envValueHashesBySession = envValueHashesFor(spec, live, environment.env);
	const notes = [
		uncomparedEnvNote(spec, live, environment.env),
		keyWarning(environment.env),
	].filter((note): note is string => note !== undefined);
	notes.forEach((note) => warn(environment, note));
	const takeOver = request.takeOver === true;
	return {
		plan: planSessions(spec, live, { only, envValueHashesBySession, takeOver }),
		live,
		notes,
	};
}

/** The keys `--only` and `--select` leave in scope (empty: all), or a UserError. */
export function scopeOrFail(
	spec: Spec,
	live: readonly LiveSession[],
	request: Pick<PlanRequest, 'only' | 'select'>
): readonly string[] {
	const liveKeys = live
		.filter((session) => session.metadata[MARKER.stack] === spec.stack)
		.map((session) => session.metadata[MARKER.key] ?? '');
	const scope = resolveScope(spec.sessions, liveKeys, {
		stack: spec.stack,
		only: request.only,
		select: request.select ?? [],
	});
	if (!scope.ok) throw new UserError(scope.message);
	return scope.keys;
}

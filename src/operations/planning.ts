/**
 * The steps plan, apply, show and import share: load the spec, read the Hub, plan. Notes are
 * reported as they arise and also returned, for the markdown and JSON renderings.
 */
import { kindOfId } from '../kinds/id-kind.js';
import { MARKER } from '../ownership/markers.js';
import { SpecInvalidError, UserError } from '../core/errors.js';
import { envValueHashesFor } from '../plan/env/resolve.js';
import { uncomparedEnvNote } from '../plan/env/uncompared-note.js';
import { keyWarning } from '../core/secrets/env-key.js';
import { forgetHistoryNotes } from '../plan/forget.js';
import type { HubReader } from '../hub/types.js';
import { planSessions } from '../plan/diff.js';
import { isOtherKindKey, otherKindKeys, resolveScope } from '../plan/scope.js';
import type { PlanWithPrior } from '../plan/types.js';
import type { PlannedHub } from '../plan/fingerprint.js';
import { loadSpec } from '../spec/load.js';
import type { Spec } from '../kinds/session/desired.js';
import { collectIfLarge, withHeapWatch } from './heap.js';
import { discoverWithProgress } from './discovery.js';
import { planNeeds } from '../hub/discovery/plan-needs.js';
import type { DiscoveryMode, Listing } from '../hub/discovery/types.js';
import { warn, type Environment } from './environment.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { KindTable } from '../kinds/kind.js';
import { BUILT_IN_KINDS } from '../kinds/table.js';
import { inlineText } from '../core/untrusted/text.js';
import { planResourceRecords, readResourceListings } from './resource-planning.js';
import { withSessionWaits } from '../plan/removal-waits.js';
import { strandedMessage, strandedReferences } from '../plan/stranded.js';
import {
	entryHandles,
	unplannedEntries,
	explainReplaces,
	resolveSessionReferences,
} from '../plan/session-references.js';

/** The spec the files make, or a SpecInvalidError holding every problem. */
export async function loadSpecOrFail(
	files: readonly string[],
	environment: Pick<Environment, 'cwd' | 'readStdin' | 'specVars'>,
	table: KindTable = BUILT_IN_KINDS
): Promise<Spec> {
	const result = await loadSpec(files, {
		table,
		cwd: environment.cwd,
		afterYaml: collectIfLarge,
		...(environment.specVars ? { vars: environment.specVars } : {}),
		...(environment.readStdin ? { readStdin: environment.readStdin } : {}),
	});
	if (!result.ok) throw new SpecInvalidError(result.errors);
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
	/** `--discovery` (default auto). */
	readonly discovery?: DiscoveryMode;
	/** `--base`: the spec at the base ref, planned against the same sessions. */
	readonly base?: Spec;
	/** `--replace`: entry keys to recreate even when nothing forces it. */
	readonly replace?: readonly string[];
	/** `--destroy`: archive every active session of the stack (within `only`). */
	readonly destroy?: boolean;
	/** The Hub `hub` reads (the connection's target): the fingerprint covers it. */
	readonly target: PlannedHub;
	/** The kinds to plan (default: the built-in table). */
	readonly table?: KindTable;
}

export async function planAgainstHub(
	spec: Spec,
	hub: HubReader,
	environment: Environment,
	request: PlanRequest
): Promise<{
	plan: PlanWithPrior;
	live: LiveSession[];
	notes: string[];
	listing: Listing;
	/** One line: which discovery found the sessions, and why (for the plan's footer). */
	discovery: string;
	/** The live records of each other kind, by the row's name. */
	records: ReadonlyMap<string, readonly unknown[]>;
}> {
	const table = request.table ?? BUILT_IN_KINDS;
	// The other kinds are listed while the sessions are discovered.
	const [{ live, listing, note }, listings] = await Promise.all([
		withHeapWatch(() =>
			discoverWithProgress(hub, environment, {
				stack: spec.stack,
				mode: request.discovery,
				parallelism: request.parallelism,
				...planNeeds(spec, literalKeysOnly(request, table), request.base),
			})
		),
		readResourceListings(hub, table, spec.resources ?? []),
	]);
	const { records, retired } = listings;
	const otherKeys = otherKindKeys(table, spec.stack, spec.resources ?? [], records);
	const only = scopeOrFail(spec, live, { ...request, otherKeys });
	const declaredOthers = otherKindKeys(table, spec.stack, spec.resources ?? [], new Map());
	checkReplaceKeys(spec, { ...request, only }, declaredOthers);
	const envValueHashesBySession = envValueHashesFor(spec, live, environment.env);
	const takeOver = request.takeOver === true;
	const kindOf = (id: string) => kindOfId(id, table, live, records);
	const resources = planResourceRecords(spec, table, records, {
		only,
		replace: request.replace ?? [],
		destroy: request.destroy,
		retired,
		kindOfId: kindOf,
	});
	if (resources?.unadoptable) {
		throw new UserError(
			`Cannot plan: adopt: names no record the entry can take over:\n${resources.unadoptable.map((line) => `  ${line}`).join('\n')}`
		);
	}
	if (resources?.conflicts) {
		throw new UserError(
			`the plan's writes would collide with records this stack does not own:\n${resources.conflicts.map((line) => `  - ${inlineText(line)}`).join('\n')}`
		);
	}
	if (resources?.unreplaceable) {
		throw new UserError(
			`Cannot plan: the Hub cannot make these records anew:\n${resources.unreplaceable.map((line) => `  - ${inlineText(line)}`).join('\n')}`
		);
	}
	const handles = entryHandles(table, resources, spec.resources ?? [], records, spec.stack);
	const resolvedSpec =
		handles.size > 0
			? { ...spec, sessions: resolveSessionReferences(spec.sessions, handles) }
			: spec;
	const planned = planSessions(resolvedSpec, live, {
		...(resources ? { resources } : {}),
		only,
		envValueHashesBySession,
		takeOver,
		replace: request.replace ?? [],
		destroy: request.destroy === true,
		hub: request.target,
		kindOfId: kindOf,
	});
	const unplanned = unplannedEntries(planned.actions, resources, handles);
	if (unplanned.length > 0) {
		const lines = unplanned.map(({ key, entries }) => `  ${key}: ${entries.join(', ')}`);
		const keys = [...new Set(unplanned.flatMap(({ entries }) => entries))];
		throw new UserError(
			`Cannot plan: entries name others that are not on the Hub and not in this plan (left out by --only):\n${lines.join('\n')}\nAdd them to the plan (${keys.map((key) => `--only ${key}`).join(' ')}), or plan without --only.`
		);
	}
	const lookup = { records: (kind: string) => records.get(kind) ?? [] };
	if (resources) {
		const stranded = strandedReferences(
			table,
			resources,
			{ actions: planned.actions, desired: resolvedSpec.sessions },
			live,
			lookup,
			spec.stack
		);
		if (stranded.length > 0) throw new UserError(strandedMessage(stranded));
	}
	const explained =
		handles.size > 0 ? { ...planned, actions: explainReplaces(planned.actions, handles) } : planned;
	// The sessions' actions are known only now; the fingerprint does not cover what removals wait for.
	const plan = explained.resources
		? {
				...explained,
				resources: withSessionWaits(table, explained.resources, explained.actions, live, lookup),
			}
		: explained;
	const notes = [
		uncomparedEnvNote(spec, live, environment.env),
		keyWarning(environment.env),
		...forgetHistoryNotes(plan.actions, spec.prune),
	].filter((note): note is string => note !== undefined);
	notes.forEach((note) => warn(environment, note));
	return {
		plan,
		live,
		notes,
		listing,
		discovery: note,
		records,
	};
}

/**
 * The `--only` session keys discovery can weigh before anything is read: none (the whole spec, a
 * safe superset) when a glob or `--select` narrows the scope, which needs the live keys to
 * expand. Other kinds' keys (`notes.a`) name no session.
 */
function literalKeysOnly(request: PlanRequest, table: KindTable): readonly string[] {
	const patterned = request.only.some((key) => /[*?[\]{}!]/.test(key));
	if (patterned || (request.select?.length ?? 0) > 0) return [];
	const sessionKeys = request.only.filter((key) => !isOtherKindKey(table, key));
	// Only other kinds in scope: the sessions are out of it, and none is named to read.
	return sessionKeys.length > 0 || request.only.length === 0 ? sessionKeys : request.only;
}

/**
 * The keys `--only` and `--select` leave in scope (empty: all), sessions' bare and other kinds'
 * qualified (`otherKeys`: those `--only` may match), or a UserError.
 */
export function scopeOrFail(
	spec: Spec,
	live: readonly LiveSession[],
	request: Pick<PlanRequest, 'only' | 'select'> & { readonly otherKeys?: readonly string[] }
): readonly string[] {
	const liveKeys = live
		.filter((session) => session.metadata[MARKER.stack] === spec.stack)
		.map((session) => session.metadata[MARKER.key] ?? '');
	const scope = resolveScope(spec.sessions, liveKeys, {
		stack: spec.stack,
		only: request.only,
		select: request.select ?? [],
		...(request.otherKeys ? { otherKeys: request.otherKeys } : {}),
	});
	if (!scope.ok) throw new UserError(scope.message);
	return scope.keys;
}

/**
 * `--replace` must name an entry of the spec (within `--only`): a session entry that wants an
 * active session, or another kind's entry by its qualified key (among `otherEntries`).
 */
function checkReplaceKeys(spec: Spec, request: PlanRequest, otherEntries: readonly string[]): void {
	const replace = request.replace ?? [];
	if (replace.length === 0) return;
	if (request.destroy)
		throw new UserError('--destroy archives every session: give it or --replace, not both');
	const entries = new Map(spec.sessions.map((entry) => [entry.key, entry]));
	const others = new Set(otherEntries);
	const unknown = replace.filter((key) => !entries.has(key) && !others.has(key));
	if (unknown.length > 0) {
		const known = [...entries.keys(), ...others].sort();
		throw new UserError(
			`--replace names no entry of the spec: ${unknown.join(', ')} (its entries: ${known.length > 0 ? known.join(', ') : 'none'})`
		);
	}
	const outside = replace.filter((key) => request.only.length > 0 && !request.only.includes(key));
	if (outside.length > 0) {
		throw new UserError(`--replace names keys outside --only: ${outside.join(', ')}`);
	}
	const inactive = replace.filter(
		(key) => entries.has(key) && entries.get(key)?.state !== 'active'
	);
	if (inactive.length > 0) {
		throw new UserError(
			`--replace names entries with state: archived or unmanaged, which want no session to recreate: ${inactive.join(', ')}`
		);
	}
}

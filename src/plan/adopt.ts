/**
 * `adopt: SESSION_ID`: an entry takes over an existing session instead of creating one. Pure.
 * It applies while no active session of the stack carries the entry's key; once the markers are
 * written, the entry matches its session by key like any other and `adopt:` is inert.
 */
import type { DesiredSession } from '../kinds/session/desired.js';
import { compareSession, type EnvValueHashes } from './compare.js';
import {
	REPLACE_FIELDS,
	STAMPED_FIELDS,
	desiredFieldValue,
	fieldRow,
} from '../kinds/session/fields/index.js';
import { liveRef } from './live-ref.js';
import { MARKER, isProtected } from '../ownership/markers.js';
import { parseStamp } from '../ownership/stamp.js';
import { type Action, type FieldChange, type Json, type PlanCounts, fieldsOf } from './types.js';
import { stampAfterUpdate } from '../ownership/next-stamp.js';
import type { LiveSession } from '../kinds/session/live.js';
import { spawnedText } from '../kinds/session/spawned.js';
import { notOfKind, type IdKind } from '../kinds/id-kind.js';
import { AdoptionError, type AdoptProblem } from './adoption-error.js';

export { AdoptionError, type AdoptProblem };

/**
 * In-place fields the Hub does not echo (agent, loop): an adopted session was never stamped, so
 * nothing says what it has. Adopt sends the spec's value rather than record it unverified.
 */
const UNECHOED_UPDATE_FIELDS = STAMPED_FIELDS.filter((field) => {
	const row = fieldRow(field);
	return row.compare === 'value' && row.onChange === 'update' && row.echo === undefined;
});

export interface AdoptTarget {
	readonly session: LiveSession;
	/** The stack that owns the session now; adopting it is a take-over. */
	readonly foreignStack?: string;
}

/**
 * The adopt targets of the entries that still need one (`pending`), by entry key.
 * Throws AdoptionError (unless `refuse` is false: such entries then get no target) listing
 * every target that is unknown, archived, already this stack's, or named by two entries. A target this entry adopted once and that is archived since is no
 * error: the entry is planned like any other whose session is archived (created anew).
 */
export function findAdoptTargets(
	stack: string,
	entries: readonly DesiredSession[],
	live: readonly LiveSession[],
	pending: (key: string) => boolean,
	refuse = true,
	kindOfId?: (id: string) => IdKind | undefined
): Map<string, AdoptTarget> {
	// Built only when an entry adopts: most specs have none.
	let byId: Map<string, LiveSession> | undefined;
	const claimedBy = new Map<string, string>();
	const targets = new Map<string, AdoptTarget>();
	const problems: AdoptProblem[] = [];
	for (const desired of entries) {
		const id = desired.adopt;
		if (id === undefined || desired.state !== 'active' || !pending(desired.key)) continue;
		const { file, line, column } = desired.source;
		const problem = (message: string) =>
			problems.push({ key: desired.key, file, line, column, message });
		byId ??= new Map(live.map((session) => [session.id, session]));
		const session = byId.get(id);
		const owner = session?.metadata[MARKER.stack];
		const ownKey = session?.metadata[MARKER.key];
		const earlier = claimedBy.get(id);
		// Adopted once and archived since: `adopt:` is a record now, and the entry plans a create.
		if (session?.archived && owner === stack && ownKey === desired.key) continue;
		const elsewhere = session ? undefined : kindOfId?.(id);
		if (elsewhere)
			problem(
				`${notOfKind(id, elsewhere, 'session')}: adopt it in an entry under ${elsewhere.section}:`
			);
		else if (!session)
			problem(`session ${JSON.stringify(id)} not found on the Hub (check the id, and --org)`);
		else if (session.spawned) {
			problem(
				`session ${id} was spawned by the Hub (${spawnedText(session.spawned)}); no stack manages such a session: adopt the session it came from, or remove adopt:`
			);
		} else if (earlier) problem(`session ${id} is adopted by sessions.${earlier} already`);
		else if (session.archived) {
			problem(
				`session ${id} is archived, and archiving cannot be undone; remove adopt: to create a new session`
			);
		} else if (owner === stack && ownKey !== undefined) {
			problem(
				`session ${id} already belongs to stack ${stack} as ${JSON.stringify(ownKey)}; rename the entry to that key, or remove adopt:`
			);
		} else {
			claimedBy.set(id, desired.key);
			const foreign = owner !== undefined && owner !== stack && ownKey !== undefined;
			targets.set(desired.key, { session, ...(foreign ? { foreignStack: owner } : {}) });
		}
	}
	if (refuse && problems.length > 0) throw new AdoptionError(problems);
	return targets;
}

/** Adopted sessions join the stack: they are no longer counted among those left alone. */
export function countAdopted(
	counts: PlanCounts,
	targets: ReadonlyMap<string, AdoptTarget>
): PlanCounts {
	const all = [...targets.values()];
	const foreign = all.filter((target) => target.foreignStack !== undefined).length;
	return {
		managed: counts.managed + all.length,
		otherStacks: counts.otherStacks - foreign,
		unmanaged: counts.unmanaged - (all.length - foreign),
		...(counts.spawned !== undefined ? { spawned: counts.spawned } : {}),
	};
}

/**
 * One adopt: markers and in-place changes in a single update. A create-time difference (task,
 * env, ...) cannot be adopted in place: it is planned as a replace of the adopted session.
 */
export function planAdoption(
	desired: DesiredSession,
	target: AdoptTarget,
	hashes?: EnvValueHashes
): Action {
	const { session, foreignStack } = target;
	// Adopting never unprotects: the entry takes the session as protected, and dropping protect
	// is a later plan's update, reviewed on its own.
	const staysProtected = isProtected(session) && !desired.protect;
	const entry = staysProtected ? { ...desired, protect: true } : desired;
	const compared = compareSession(entry, session, hashes);
	const changes = [...compared, ...unechoedChanges(entry, session, compared)];
	const forcedBy = changes
		.map((change) => change.field)
		.filter((field) => REPLACE_FIELDS.has(field));
	const owner = foreignStack ? { foreignStack } : {};
	const from = foreignStack ? ` from stack ${foreignStack}` : '';
	if (forcedBy.length > 0) {
		return {
			kind: 'replace',
			key: desired.key,
			live: liveRef(session),
			desired: entry,
			changes,
			forcedBy,
			...owner,
			reason: `adopting ${session.id}${from}: ${forcedBy.join(', ')} cannot change in place`,
		};
	}
	return {
		kind: 'adopt',
		key: desired.key,
		live: liveRef(session),
		desired: entry,
		changes,
		stamp: stampAfterUpdate(entry, session, fieldsOf(changes)),
		...owner,
		...(staysProtected ? { staysProtected: true as const } : {}),
		reason: foreignStack
			? `taken over from stack ${foreignStack}`
			: 'unmarked: no stack manages it yet',
	};
}

/** A taken-over session's stamp already says what it has: compareSession judged those fields. */
function unechoedChanges(
	desired: DesiredSession,
	session: LiveSession,
	compared: readonly FieldChange[]
): FieldChange[] {
	const ignored = new Set<string>(desired.ignoreChanges);
	const stamp = parseStamp(session.metadata[MARKER.applied]);
	return UNECHOED_UPDATE_FIELDS.flatMap((field): FieldChange[] => {
		const value = desiredFieldValue(desired, field);
		const known =
			stamp?.h[field] !== undefined || compared.some((change) => change.field === field);
		if (value === undefined || ignored.has(field) || known) return [];
		return [{ field, after: value as Json }];
	});
}

/**
 * What `import` adopts, and into which entries. Pure: like terraform import, the spec must
 * declare each entry; when it does not, the entry to paste is returned instead.
 */
import { UserError } from '../../core/errors.js';
import { MARKER } from '../../ownership/markers.js';
import type { DesiredSession, Spec } from '../../kinds/session/desired.js';
import { adoptionKeys, adoptionSnippet } from './index.js';
import type { LiveSession } from '../../kinds/session/live.js';
import { spawnedText } from '../../kinds/session/spawned.js';

/** The sessions to import; an unknown or archived id, or one the Hub spawned, is an error. */
export function findImportSessions(
	ids: readonly string[],
	live: readonly LiveSession[]
): LiveSession[] {
	const byId = new Map(live.map((session) => [session.id, session]));
	const missing = ids.filter((id) => !byId.has(id));
	if (missing.length > 0) {
		const noun = missing.length === 1 ? 'session' : 'sessions';
		throw new UserError(
			`${noun} not found on the Hub: ${missing.join(', ')} (check the id, and --org)`
		);
	}
	const sessions = ids.map((id) => byId.get(id) as LiveSession);
	const archived = sessions.filter((session) => session.archived).map((session) => session.id);
	if (archived.length > 0) {
		throw new UserError(
			`archived sessions cannot be adopted (archiving cannot be undone): ${archived.join(', ')}`
		);
	}
	const spawned = sessions.flatMap((session) =>
		session.spawned ? [`${session.id} (${spawnedText(session.spawned)})`] : []
	);
	if (spawned.length > 0) {
		throw new UserError(
			`sessions spawned by the Hub cannot be imported (no stack manages them): ${spawned.join(', ')}; import the session each came from`
		);
	}
	return sessions;
}

/**
 * The entry each session becomes (by session id): --key, else the entry whose adopt: names it,
 * else the key derived from its label; and the entries to add when the spec lacks them.
 */
export function importEntryKeys(
	spec: Spec,
	live: readonly LiveSession[],
	targets: readonly LiveSession[],
	key?: string
) {
	const foreign = targets.filter((session) => session.metadata[MARKER.stack] !== undefined);
	const derived = adoptionKeys(live, spec.stack, foreign);
	const keys = new Map<string, string>();
	const snippets: string[] = [];
	for (const session of targets) {
		const named = spec.sessions.find((entry) => entry.adopt === session.id)?.key;
		const chosen = key ?? named ?? (derived.get(session.id) as string);
		keys.set(session.id, chosen);
		if (!spec.sessions.some((entry) => entry.key === chosen))
			snippets.push(adoptionSnippet(session, chosen));
	}
	return { keys, snippets };
}

/** The spec with `adopt:` set on the entries being imported into, after checking they are free. */
export function specWithAdoptions(
	spec: Spec,
	live: readonly LiveSession[],
	keys: ReadonlyMap<string, string>
): Spec {
	const byKey = new Map<string, string>();
	for (const [id, key] of keys) {
		const other = byKey.get(key);
		if (other)
			throw new UserError(
				`${other} and ${id} would both become sessions.${key}; import them one at a time with --key`
			);
		byKey.set(key, id);
		const holder = live.find(
			(s) =>
				!s.archived && s.metadata[MARKER.stack] === spec.stack && s.metadata[MARKER.key] === key
		);
		if (holder)
			throw new UserError(
				`sessions.${key} manages ${holder.id} already; import ${id} as another entry with --key`
			);
		const entry = spec.sessions.find((candidate) => candidate.key === key);
		if (entry?.state === 'archived')
			throw new UserError(
				`sessions.${key} is declared state: archived; import ${id} as an active entry`
			);
		const adopt = entry?.adopt;
		if (adopt !== undefined && adopt !== id) {
			throw new UserError(
				`sessions.${key} adopts ${adopt}, not ${id}; import ${id} as another entry with --key`
			);
		}
	}
	const sessions = spec.sessions.map((entry): DesiredSession => {
		const id = byKey.get(entry.key);
		return id === undefined ? entry : { ...entry, adopt: id };
	});
	return { ...spec, sessions };
}

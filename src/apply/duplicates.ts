/**
 * After the creates, the read-back can show a key this run created with more than one active
 * session. Only this run's own copies (its `coder-sessions/run` marker, appeared during the run)
 * are ever archived here; another writer's session never is. Which session stays:
 *
 * - A session that existed before the plan and joined the stack as the key during the run
 *   (import, adopt, take-over: another command's deliberate work) stays; every copy this run
 *   created goes.
 * - Else, when another run created the key at the same time, the oldest copy stays: a run whose
 *   oldest copy is younger than another run's copy archives its own. Whatever order the two
 *   runs read back in, one of them sees the other's copy and exactly one session is left.
 * - Else the session the create answered with stays, and the copies a re-sent create left go
 *   (the SDK re-sends a POST after a connection reset or a 502/503, hub-api.md section 6).
 *
 * What is left over (a copy this run could not see yet) is reported, and the next plan's dedupe
 * is the last line of defence.
 */
import pLimit from 'p-limit';
import { SessionGoneError } from '../core/errors.js';
import type { Listing } from '../hub/discovery/types.js';
import { Throttle } from '../hub/throttle.js';
import type { HubWriter } from '../hub/types.js';
import { byCreation } from '../ownership/creation-order.js';
import { MARKER } from '../ownership/markers.js';
import type { LiveSession } from '../kinds/session/live.js';
import type { DuplicateArchived, NotConverged, Outcome } from './events.js';
import { changedMarkers } from './guard.js';
import type { ReadBack } from './read-back.js';

/** Copies this run created that go, and the session that stays for each key. Pure. */
export function ownDuplicates(
	outcomes: readonly Outcome[],
	back: ReadBack,
	stack: string,
	runId: string,
	baseline: readonly LiveSession[] = [],
	listing?: Listing
): DuplicateArchived[] {
	const before = new Map(baseline.map((session) => [session.id, session]));
	const existed = (id: string) => before.has(id) || listing?.ids.has(id) === true;
	const appeared = new Set(back.appeared);
	const createdByKey = new Map<string, string>();
	for (const { action, status, sessionId } of outcomes) {
		if (status !== 'applied' || !sessionId) continue;
		if (action.kind === 'create' || action.kind === 'replace')
			createdByKey.set(action.key, sessionId);
	}
	const activeByKey = new Map<string, LiveSession[]>();
	for (const session of back.sessions.values()) {
		if (!session || session.archived || session.metadata[MARKER.stack] !== stack) continue;
		const key = session.metadata[MARKER.key];
		if (key === undefined || !createdByKey.has(key)) continue;
		activeByKey.set(key, [...(activeByKey.get(key) ?? []), session]);
	}
	const duplicates: DuplicateArchived[] = [];
	for (const [key, answered] of createdByKey) {
		const sessions = [...(activeByKey.get(key) ?? [])].sort(byAge);
		const own = sessions.filter((s) => appeared.has(s.id) && s.metadata[MARKER.run] === runId);
		if (own.length === 0) continue;
		// Sessions the plan already held as this key are the plan's own business (a replaced
		// session whose archive was refused, a dedupe that did not happen): never a reason to go.
		const others = sessions.filter(
			(s) =>
				s.metadata[MARKER.run] !== runId &&
				!(
					before.get(s.id)?.metadata[MARKER.stack] === stack &&
					before.get(s.id)?.metadata[MARKER.key] === key
				)
		);
		const joined = others.filter((s) => existed(s.id));
		const otherRun = others.filter((s) => !existed(s.id));
		const go = (cause: DuplicateArchived['cause'], kept: string, copies: LiveSession[]) =>
			duplicates.push(...copies.map((copy) => ({ key, id: copy.id, kept, cause })));
		if (joined.length > 0) go('joined', joined.at(-1)!.id, own);
		else if (otherRun.length > 0 && byAge(otherRun[0]!, own[0]!) < 0)
			go('other-run', otherRun[0]!.id, own);
		else if (own.some((s) => s.id === answered))
			go(
				'resent',
				answered,
				own.filter((s) => s.id !== answered)
			);
	}
	return duplicates;
}

/** Oldest first, as the kept-session rule orders a key's sessions (creation time, then id). */
const byAge = byCreation;

/**
 * Archives them. Each copy and the session that stays are read again just before: a copy that
 * another writer changed after the read-back, or whose kept session is no longer the key's
 * active one, is left and reported as not converged, as is one that cannot be archived.
 */
export async function archiveDuplicates(
	duplicates: readonly DuplicateArchived[],
	back: ReadBack,
	stack: string,
	hub: HubWriter,
	parallelism: number,
	throttle: Throttle = new Throttle()
): Promise<{ archived: DuplicateArchived[]; failed: NotConverged[] }> {
	const limit = pLimit(parallelism);
	const archived: DuplicateArchived[] = [];
	const failed: NotConverged[] = [];
	const fail = (duplicate: DuplicateArchived, why: string) =>
		failed.push({
			key: duplicate.key,
			sessionId: duplicate.id,
			problem: `is a second session this run created for the key, and was not archived: ${why}`,
		});
	await Promise.all(
		duplicates.map((duplicate) =>
			limit(async () => {
				try {
					const [copy, kept] = await Promise.all([
						hub.getSession(duplicate.id),
						hub.getSession(duplicate.kept),
					]);
					if (!copy || copy.archived) return void archived.push(duplicate);
					const seen = back.sessions.get(duplicate.id);
					if (seen && changedMarkers(seen, copy).length > 0)
						return fail(duplicate, 'another writer changed it after the read-back');
					const stays =
						kept !== undefined &&
						!kept.archived &&
						kept.metadata[MARKER.stack] === stack &&
						kept.metadata[MARKER.key] === duplicate.key;
					if (!stays)
						return fail(duplicate, `${duplicate.kept}, which was to stay, is no longer active`);
					await throttle.run(() => hub.archiveSession(duplicate.id));
					archived.push(duplicate);
				} catch (error) {
					if (error instanceof SessionGoneError) return void archived.push(duplicate);
					fail(duplicate, error instanceof Error ? error.message : String(error));
				}
			})
		)
	);
	return { archived, failed };
}

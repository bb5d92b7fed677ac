/**
 * Where a session is in its life (hub-api §7.9, §11): status, bucket and flags. Derived from age,
 * activity and archive, unless a status was set through /_local: a new session is `creating`,
 * then `provisioning` (the seed's first state; `activateAfterMs`, halved between the two), then
 * `active`; with an idle timeout (the Hub's `idleTimeoutMs`, or the session's own
 * `timeout.idle`, the SDK's sandbox setting) it turns `paused` after that long without activity,
 * and a resume wakes it.
 */
import { durationMs } from './duration.js';
import {
	EMPTY_ACTIVITY,
	isArchived,
	type SessionStatus,
	type StoredSession,
} from './session-record.js';

type Bucket = 'running' | 'paused' | 'provisioning' | 'history';

export interface Lifecycle {
	readonly status: string;
	readonly bucket: Bucket;
	readonly runtimeAvailable: boolean;
	readonly controlAvailable: boolean;
	readonly wakeAvailable: boolean;
	readonly historyOnly: boolean;
	readonly liveExpected: boolean;
}

// The presets of hub-api §11.
export const CREATING: Lifecycle = {
	status: 'creating',
	bucket: 'provisioning',
	runtimeAvailable: false,
	controlAvailable: false,
	wakeAvailable: false,
	historyOnly: false,
	liveExpected: true,
};
const ACTIVE: Lifecycle = {
	status: 'active',
	bucket: 'running',
	runtimeAvailable: true,
	controlAvailable: true,
	wakeAvailable: false,
	historyOnly: false,
	liveExpected: true,
};
const PROVISIONING: Lifecycle = { ...CREATING, status: 'provisioning' };
const ARCHIVED: Lifecycle = {
	status: 'archived',
	bucket: 'history',
	runtimeAvailable: false,
	controlAvailable: false,
	wakeAvailable: false,
	historyOnly: true,
	liveExpected: false,
};
const PAUSED: Lifecycle = {
	status: 'paused',
	bucket: 'paused',
	runtimeAvailable: false,
	controlAvailable: false,
	wakeAvailable: true,
	historyOnly: false,
	liveExpected: false,
};

/** A status set through /_local: the preset of its bucket, under its own name. */
const PRESET_OF: Record<SessionStatus, Lifecycle> = {
	creating: CREATING,
	provisioning: CREATING,
	resuming: CREATING,
	active: ACTIVE,
	running: ACTIVE,
	connected: ACTIVE,
	paused: PAUSED,
	shutdown: ARCHIVED,
	stopped: ARCHIVED,
	error: ARCHIVED,
	failed: ARCHIVED,
};

/** Whether a status leaves the session replay-only (it cannot be resumed). */
export function isHistoryStatus(status: SessionStatus | undefined): boolean {
	return status !== undefined && PRESET_OF[status].historyOnly;
}

/** What the derivation needs: the time, and the Hub's settings. */
export interface Clock {
	readonly nowMs: () => number;
	/** Creating, then provisioning, for this long after creation. */
	readonly activateAfterMs: number;
	/** Paused after this long without activity, for sessions without a `timeout.idle` of their own. */
	readonly idleTimeoutMs?: number;
	/** A PATCH is activity (moves `lastActivityAt`): the lenient local Hub's answer. */
	readonly writesAreActivity?: boolean;
}

export function lifecycleOf(session: StoredSession, clock: Clock): Lifecycle {
	if (isArchived(session)) return ARCHIVED;
	if (session.status !== undefined) return { ...PRESET_OF[session.status], status: session.status };
	const nowMs = clock.nowMs();
	const age = nowMs - Date.parse(session.createdAt);
	if (age < clock.activateAfterMs / 2) return CREATING;
	if (age < clock.activateAfterMs) return PROVISIONING;
	const idleMs = idleTimeoutOf(session, clock);
	if (idleMs === undefined) return ACTIVE;
	// Idle time counts from the later of the last activity and the moment the session went live.
	const since = Math.max(
		Date.parse(lastActivityOf(session, clock)),
		Date.parse(session.createdAt) + clock.activateAfterMs
	);
	return nowMs - since >= idleMs ? PAUSED : ACTIVE;
}

/** The session's own `timeout.idle` (a duration such as `30m`), else the Hub's. */
function idleTimeoutOf(session: StoredSession, clock: Clock): number | undefined {
	const timeout = session.sandbox.timeout;
	const own =
		typeof timeout === 'object' && timeout !== null && 'idle' in timeout
			? durationMs((timeout as { idle?: unknown }).idle)
			: undefined;
	return own ?? clock.idleTimeoutMs;
}

/**
 * The newest sign of activity: creation, a resume, events and participants; and, on a Hub whose
 * writes are activity (the lenient local Hub), the last write. The REST reference documents
 * `lastActivityAt` as the "most recent activity" and says no more.
 */
export function lastActivityOf(session: StoredSession, clock: Clock): string {
	const { participants, events } = session.activity ?? EMPTY_ACTIVITY;
	const times = [
		session.createdAt,
		session.wokeAt,
		clock.writesAreActivity ? session.updatedAt : undefined,
		...events.map((event) => event.occurredAt),
		...participants.flatMap((participant) => [
			participant.lastActivityAt,
			participant.connectedAt,
			participant.disconnectedAt,
		]),
	];
	let newest = session.createdAt;
	for (const time of times) {
		if (time !== undefined && Date.parse(time) > Date.parse(newest)) newest = time;
	}
	return newest;
}

/**
 * Where a session is in its life (hub-api §7.9, §11): status, bucket and flags. Derived from age
 * and archive, unless a status was set through /_local.
 */
import { isArchived, type SessionStatus, type StoredSession } from './session-record.js';

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

/** Where a session is in its life, derived (never stored): creating until activateAfterMs has passed. */
export interface Clock {
	readonly nowMs: () => number;
	readonly activateAfterMs: number;
}

export function lifecycleOf(session: StoredSession, clock: Clock): Lifecycle {
	if (isArchived(session)) return ARCHIVED;
	if (session.status !== undefined) return { ...PRESET_OF[session.status], status: session.status };
	const age = clock.nowMs() - Date.parse(session.createdAt);
	return age >= clock.activateAfterMs ? ACTIVE : CREATING;
}

/** Maps the SDK's session detail to our LiveSession. */
import type { CoderSession, CoderSessionListItem } from '@agentuity/core/coder';
import { isClearedMarker } from '../ownership/forget.js';
import { MARKER_PREFIX } from '../kinds/session/marker-prefix.js';
import type { RepoRef } from '../kinds/session/desired.js';
import { echoDigest } from '../core/secrets/env-key.js';
import { registerSecrets } from '../core/secrets/redact.js';
import { DETAIL_KEYS } from '../kinds/session/fields/index.js';
import type { LiveSession, Bucket, SpawnOrigin } from '../kinds/session/live.js';

/**
 * Statuses of a session whose runtime is gone for good: history, whatever bucket the Hub gives.
 * A failed session cannot be resumed to do its work, so for the plan it is no longer active.
 */
const HISTORY_STATUSES = new Set(['archived', 'shutdown', 'stopped', 'failed', 'error']);

/** History-only: archived, shut down or stopped (list items and details alike). */
export function isHistory(
	session: Pick<CoderSessionListItem, 'historyOnly' | 'bucket' | 'status'>
): boolean {
	return (
		session.historyOnly || session.bucket === 'history' || HISTORY_STATUSES.has(session.status)
	);
}

/**
 * The `sessionKind` values of a plain session, as createSession makes (compared without case).
 * The SDK leaves the field free-form; any other kind (`worker`, `agent_builder`, ...) is a session
 * the Hub spawned or runs for a purpose of its own, which no stack manages.
 */
export const PLAIN_SESSION_KINDS: ReadonlySet<string> = new Set([
	'',
	'session',
	'standard',
	'default',
	'interactive',
	'primary',
	'lead',
	'coder',
]);

/** Where a session the Hub spawned came from; undefined for a plain session. */
export function spawnOrigin(
	item: Pick<CoderSessionListItem, 'parentSessionId' | 'coordinationJobId' | 'sessionKind'>
): SpawnOrigin | undefined {
	const parentSessionId = item.parentSessionId?.trim() || undefined;
	const coordinationJobId = item.coordinationJobId?.trim() || undefined;
	const kind = item.sessionKind;
	const sessionKind =
		kind !== undefined && !PLAIN_SESSION_KINDS.has(kind.trim().toLowerCase()) ? kind : undefined;
	if (!parentSessionId && !coordinationJobId && sessionKind === undefined) return undefined;
	return {
		...(parentSessionId ? { parentSessionId } : {}),
		...(coordinationJobId ? { coordinationJobId } : {}),
		...(sessionKind !== undefined ? { sessionKind } : {}),
	};
}

export function toLiveSession(detail: CoderSession): LiveSession {
	const env = detail.env ?? {};
	const echoed = echoedValues(env);
	const spawned = spawnOrigin(detail);
	return {
		id: detail.sessionId,
		label: detail.label,
		status: detail.status,
		bucket: detail.bucket as Bucket,
		archived: isHistory(detail),
		visibility: detail.visibility,
		workflowMode: detail.workflowMode,
		tags: detail.tags,
		enabledAgents: detail.enabledAgents ?? [],
		defaultAgent: detail.defaultAgent,
		task: detail.task,
		repo: detail.repo ? toRepoRef(detail.repo) : undefined,
		repos: detail.repos?.map(toRepoRef),
		workspaceId: detail.workspace?.id,
		// A spawned session's copy of its parent's markers makes it no session of any stack.
		metadata: stringValues(detail.metadata ?? {}, spawned !== undefined),
		...(spawned ? { spawned } : {}),
		// Env values are secrets: only their keys, and digests with this process's key, leave here.
		envKeys: Object.keys(env).sort(),
		...(Object.keys(echoed).length > 0 ? { envEcho: echoDigests(echoed) } : {}),
		createdAt: detail.createdAt,
		updatedAt: detail.updatedAt,
		lastActivityAt: detail.lastActivityAt,
		participantCount: detail.participantCount ?? 0,
		...(detail.loopStatus !== undefined ? { loopStatus: detail.loopStatus } : {}),
		...(detail.loopIteration !== undefined ? { loopIteration: detail.loopIteration } : {}),
		detail: detailForRows(detail),
	};
}

/** Only what the field rows read: a plan over 10,000 sessions holds no more than it needs. */
function detailForRows(detail: CoderSession): Record<string, unknown> {
	const raw = detail as unknown as Record<string, unknown>;
	const kept: Record<string, unknown> = {};
	for (const key of DETAIL_KEYS) if (key !== 'env' && raw[key] !== undefined) kept[key] = raw[key];
	return kept;
}

function toRepoRef(repo: Record<string, unknown>): RepoRef {
	const text = (key: string) => (typeof repo[key] === 'string' ? (repo[key] as string) : undefined);
	const [owner = '', name = ''] = (text('fullName') ?? '').split('/');
	return dropUndefined({
		owner: text('owner') ?? owner,
		name: text('name') ?? name,
		branch: text('branch'),
		ref: text('ref'),
		commit: text('commit'),
		path: text('path'),
		provider: text('provider'),
		url: text('url'),
	}) as unknown as RepoRef;
}

/**
 * Marker keys emptied by `forget` are left out: the session is no longer managed. With
 * `withoutMarkers` (a session the Hub spawned), every marker is left out.
 */
function stringValues(
	metadata: Record<string, unknown>,
	withoutMarkers: boolean
): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(metadata)) {
		if (withoutMarkers && key.startsWith(MARKER_PREFIX)) continue;
		const text = typeof value === 'string' ? value : JSON.stringify(value);
		if (!isClearedMarker(key, text)) out[key] = text;
	}
	return out;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The values the Hub echoed. An empty one names the variable without its value (a Hub that
 * withholds values, such as the local one), so it says nothing about what the session holds.
 */
function echoedValues(env: Readonly<Record<string, string>>): Record<string, string> {
	return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

function echoDigests(env: Readonly<Record<string, string>>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(env)) out[key] = echoDigest(key, value);
	registerSecrets(Object.values(env));
	return out;
}

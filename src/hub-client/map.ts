/** Maps the SDK's session detail to our LiveSession. */
import type { CoderSession, CoderSessionListItem } from '@agentuity/core/coder';
import type { RepoRef } from '../session/desired.js';
import { echoDigest } from '../secrets/env-key.js';
import { registerSecrets } from '../secrets/redact.js';
import type { LiveSession, Bucket } from '../session/live.js';

const HISTORY_STATUSES = new Set(['archived', 'shutdown', 'stopped']);

/** History-only: archived, shut down or stopped (list items and details alike). */
export function isHistory(
	session: Pick<CoderSessionListItem, 'historyOnly' | 'bucket' | 'status'>
): boolean {
	return (
		session.historyOnly || session.bucket === 'history' || HISTORY_STATUSES.has(session.status)
	);
}

export function toLiveSession(detail: CoderSession): LiveSession {
	const extra = detail as Record<string, unknown>;
	const env = detail.env ?? {};
	const echoedKeys = Array.isArray(extra.envKeys) ? extra.envKeys.filter(isString) : [];
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
		workspaceId: typeof extra.workspaceId === 'string' ? extra.workspaceId : detail.workspace?.id,
		metadata: stringValues(detail.metadata ?? {}),
		// Env values are secrets: only their keys, and digests with this process's key, leave here.
		envKeys: [...new Set([...Object.keys(env), ...echoedKeys])].sort(),
		...(Object.keys(env).length > 0 ? { envEcho: echoDigests(env) } : {}),
		createdAt: detail.createdAt,
		updatedAt: detail.updatedAt,
		lastActivityAt: detail.lastActivityAt,
		participantCount: detail.participantCount ?? 0,
	};
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

function stringValues(metadata: Record<string, unknown>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(metadata)) {
		out[key] = typeof value === 'string' ? value : JSON.stringify(value);
	}
	return out;
}

function dropUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function isString(value: unknown): value is string {
	return typeof value === 'string';
}

function echoDigests(env: Readonly<Record<string, string>>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(env)) out[key] = echoDigest(key, value);
	registerSecrets(Object.values(env));
	return out;
}

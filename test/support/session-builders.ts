import { MARKER } from '../../src/ownership/markers.js';
import { buildEnvStamp, buildStamp, formatStamp } from '../../src/ownership/stamp.js';
import { envKeyFrom, type EnvKey } from '../../src/core/secrets/env-key.js';
import type { DesiredSession, Spec } from '../../src/kinds/session/desired.js';
import type { LiveSession } from '../../src/kinds/session/live.js';

export function desired(key: string, fields: Partial<DesiredSession> = {}): DesiredSession {
	return {
		key,
		task: `Task for ${key}`,
		tags: [],
		metadata: {},
		env: {},
		state: 'active',
		protect: false,
		ignoreChanges: [],
		source: { file: 'sessions.yaml', line: 1, column: 1 },
		...fields,
	};
}

export function spec(sessions: DesiredSession[], fields: Partial<Spec> = {}): Spec {
	return {
		version: 1,
		stack: 'docs-team',
		prune: 'archive',
		sessions: [...sessions].sort((a, b) => a.key.localeCompare(b.key)),
		files: ['sessions.yaml'],
		...fields,
	};
}

let counter = 0;

/** A live session with explicit fields; no markers unless given. */
export function live(fields: Partial<LiveSession> = {}): LiveSession {
	counter += 1;
	return {
		id: `codesess_${String(counter).padStart(12, '0')}`,
		label: 'label',
		status: 'active',
		bucket: 'running',
		archived: false,
		visibility: 'private',
		workflowMode: 'standard',
		tags: [],
		enabledAgents: [],
		metadata: {},
		envKeys: [],
		createdAt: `2026-01-01T00:00:${String(counter % 60).padStart(2, '0')}.000Z`,
		participantCount: 0,
		...fields,
	};
}

/** The CODER_SESSIONS_ENV_KEY of unit tests. */
export const TEST_ENV_SECRET = 'test-env-key-0123456789abcdef0123456789abcdef';
export const TEST_ENV_KEY = envKeyFrom(TEST_ENV_SECRET);

/**
 * The live session apply would leave behind for an entry: same fields, markers and stamp.
 * `env` holds the resolved values the stamp digests, with `key` (TEST_ENV_KEY unless given;
 * null for a stamp made without a key).
 */
export async function liveFor(
	entry: DesiredSession,
	options: {
		stack?: string;
		env?: Record<string, string>;
		key?: EnvKey | null;
		fields?: Partial<LiveSession>;
	} = {}
): Promise<LiveSession> {
	const key = options.key === null ? undefined : (options.key ?? TEST_ENV_KEY);
	const envStamp = buildEnvStamp(entry, options.env ?? {}, key);
	return live({
		label: entry.label ?? entry.task,
		visibility: entry.visibility ?? 'private',
		workflowMode: entry.workflowMode ?? 'standard',
		tags: [...entry.tags],
		enabledAgents: [...(entry.enabledAgents ?? [])],
		detail: { skills: [...(entry.skills ?? [])] },
		defaultAgent: entry.defaultAgent,
		workspaceId: entry.workspaceId,
		task: entry.task,
		envKeys: [],
		metadata: {
			...entry.metadata,
			[MARKER.stack]: options.stack ?? 'docs-team',
			[MARKER.key]: entry.key,
			[MARKER.applied]: formatStamp(buildStamp(entry)),
			...(envStamp ? { [MARKER.appliedEnv]: formatStamp(envStamp) } : {}),
			...(entry.protect ? { [MARKER.protect]: 'true' } : {}),
		},
		...options.fields,
	});
}

/**
 * Integration-test support: the one way tests start a local Hub (in-process, 127.0.0.1, an
 * ephemeral port, seeded ids, silent), seeding through the real SDK CoderClient, spec files in
 * temp directories, and command lines against the Hub.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
	CoderClient,
	type CoderCreateSessionRequest,
	type CoderUpdateSessionRequest,
} from '@agentuity/core/coder';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { stringify } from 'yaml';
import {
	startLocalHub,
	type LocalFixturesInput,
	type LocalGithubAccount,
	type LocalHub,
	type LocalHubOptions,
} from '../../src/hub-emulator/index.js';
import { MARKER } from '../../src/ownership/markers.js';
import { resetStats } from './apply-helpers.js';
import { runCli, type CliOptions, type CliResult } from './cli.js';
import { seededRandom } from './seeded-random.js';
import { TEST_ENV_SECRET } from './session-builders.js';

/**
 * A GitHub fixture reaching every repo the integration specs and examples/sessions.yaml pin: a
 * Hub started without one has no GitHub connection, so the repo check fails plans that pin repos.
 */
export const GITHUB_REPOS: readonly LocalGithubAccount[] = [
	{ account: 'agentuity', repos: ['sdk', 'docs', 'cli'] },
];

/**
 * Library records for the ids the integration specs name (workspaces, saved skills, a bucket): a
 * Hub started without them fails the reference check of plans that name them.
 */
export const LIBRARY_FIXTURES: LocalFixturesInput = {
	skills: [
		{ id: 'sk_1', repo: 'agentuity/skills', skillId: 'review', name: 'Review' },
		{ id: 'sk_2', repo: 'agentuity/skills', skillId: 'write', name: 'Write' },
	],
	buckets: [{ id: 'bk_1', name: 'Reviewers', savedSkillIds: ['sk_1'] }],
	workspaces: ['ws_1', 'ws_2', 'ws_docs'].map((id) => ({
		id,
		name: `Workspace ${id}`,
		repos: [{ fullName: 'agentuity/sdk' }],
	})),
};

/** A running local Hub, a client on it, and its request counters. */
export interface TestHub extends LocalHub {
	readonly hub: LocalHub;
	readonly client: CoderClient;
	/** Requests by route name (`list`, `get`, `create`, ...) and `total`. */
	stats(): Record<string, number>;
	resetStats(): Promise<void>;
	close(): Promise<void>;
}

/**
 * A local Hub for tests: strict (the default: it answers as the REST reference documents and
 * refuses what it does not allow), and a new session is active at once (no provisioning delay;
 * the lifecycle tests set `activateAfterMs` themselves), a workspace snapshot ready at once
 * (`snapshotReadyAfterMs`, likewise).
 */
export async function startTestHub(options: LocalHubOptions = {}): Promise<TestHub> {
	const hub = await startLocalHub({
		port: 0,
		host: '127.0.0.1',
		random: seededRandom(42),
		onWarning: () => {},
		activateAfterMs: 0,
		snapshotReadyAfterMs: 0,
		...options,
	});
	return {
		url: hub.url,
		port: hub.port,
		hub,
		client: new CoderClient({ url: hub.url, apiKey: 'test' }),
		stats: () => hub.stats(),
		resetStats: () => resetStats(hub.url),
		close: () => hub.close(),
	};
}

/**
 * A Hub for one test, closed when it finishes; pass the test context's `onTestFinished` (safe
 * in concurrent tests, unlike afterEach).
 */
export async function hubForTest(
	onTestFinished: (fn: () => Promise<void>) => void,
	options: LocalHubOptions = {}
): Promise<TestHub> {
	const hub = await startTestHub(options);
	onTestFinished(() => hub.close());
	return hub;
}

/**
 * A Hub for the enclosing describe: fresh per test (`each`, closed afterEach) or shared by its
 * tests (`all`). Read it through `.current` inside hooks and tests.
 */
export function useLocalHub(
	options: LocalHubOptions = {},
	per: 'each' | 'all' = 'each'
): { readonly current: TestHub } {
	let current: TestHub | undefined;
	const start = async () => {
		current = await startTestHub(options);
	};
	const stop = async () => {
		await current?.close();
		current = undefined;
	};
	if (per === 'each') {
		beforeEach(start);
		afterEach(stop);
	} else {
		beforeAll(start);
		afterAll(stop);
	}
	return {
		get current(): TestHub {
			if (!current) throw new Error('the local Hub is only running inside a test or hook');
			return current;
		},
	};
}

/** A temp directory for the enclosing describe, removed after it. */
export function useTempDir(prefix = 'coder-sessions-it-'): { readonly path: string } {
	let path: string | undefined;
	beforeAll(async () => {
		path = await mkdtemp(join(tmpdir(), prefix));
	});
	afterAll(async () => {
		if (path) await rm(path, { recursive: true, force: true });
	});
	return {
		get path(): string {
			if (!path) throw new Error('the temp directory only exists inside a test or hook');
			return path;
		},
	};
}

/** A temp directory for one test, removed when it finishes (safe in concurrent tests). */
export async function tempDirForTest(
	onTestFinished: (fn: () => Promise<void>) => void,
	prefix = 'coder-sessions-it-'
): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), prefix));
	onTestFinished(() => rm(dir, { recursive: true, force: true }));
	return dir;
}

/**
 * A local Hub and a temp directory (the CLI's working directory) for one test, both gone when it
 * finishes.
 */
export async function hubAndDirForTest(
	onTestFinished: (fn: () => Promise<void>) => void,
	options: LocalHubOptions = {},
	prefix?: string
): Promise<{ readonly hub: TestHub; readonly dir: string }> {
	const dir = await tempDirForTest(onTestFinished, prefix);
	const hub = await hubForTest(onTestFinished, options);
	return { hub, dir };
}

/** A temp directory for the enclosing describe, and command lines run in it against a Hub. */
export interface CliDir {
	readonly path: string;
	/** `cli` with the directory as its working directory. */
	run(
		hub: Pick<LocalHub, 'url'> | string,
		args: readonly string[],
		options?: CliOptions
	): Promise<CliResult>;
	/** `applySpec` with the directory as its working directory. */
	apply(
		hub: TestHub,
		file: string,
		options?: CliOptions & { readonly args?: readonly string[] }
	): Promise<CliResult>;
}

export function useCliDir(prefix?: string): CliDir {
	const dir = useTempDir(prefix);
	return {
		get path(): string {
			return dir.path;
		},
		run: (hub, args, options = {}) => cli(hub, args, { cwd: dir.path, ...options }),
		apply: (hub, file, options = {}) => applySpec(hub, file, { cwd: dir.path, ...options }),
	};
}

export interface SpecDoc {
	readonly stack: string;
	readonly prune?: 'archive' | 'delete' | 'keep';
	readonly allowRemovals?: number;
	readonly defaults?: Record<string, unknown>;
	readonly sessions: Record<string, Record<string, unknown>>;
	readonly skills?: Record<string, Record<string, unknown>>;
	readonly skillBuckets?: Record<string, Record<string, unknown>>;
	readonly agents?: Record<string, Record<string, unknown>>;
	readonly workspaces?: Record<string, Record<string, unknown>>;
}

/** Writes a spec (YAML text, or a document to serialise) to `dir/name`; returns `name`. */
export async function writeSpec(
	dir: string,
	name: string,
	spec: SpecDoc | string
): Promise<string> {
	const text = typeof spec === 'string' ? spec : stringify({ version: 1, ...spec });
	await writeFile(join(dir, name), text);
	return name;
}

/** Sessions of other stacks and unmarked ones, made directly on the Hub. */
export async function seedSession(hub: TestHub, body: CoderCreateSessionRequest): Promise<string> {
	const created = await hub.client.createSession(body);
	return created.sessionId;
}

export function seedUnmarked(hub: TestHub, task = 'A session nobody manages'): Promise<string> {
	return seedSession(hub, { task, metadata: { owner: 'someone-else' } });
}

/** A session carrying the stack and key markers only (no applied stamp), as a stray duplicate would. */
export function seedMarked(
	hub: TestHub,
	stack: string,
	key: string,
	body: Partial<CoderCreateSessionRequest> = {}
): Promise<string> {
	return seedSession(hub, {
		task: `Task for ${key}`,
		...body,
		metadata: { ...(body.metadata ?? {}), [MARKER.stack]: stack, [MARKER.key]: key },
	});
}

/** One marked session per key, task `Task for <key>` unless `body` says otherwise; returns key -> id. */
export async function seedStack(
	hub: TestHub,
	stack: string,
	keys: readonly string[],
	body: Partial<CoderCreateSessionRequest> = {}
): Promise<Record<string, string>> {
	const ids: Record<string, string> = {};
	for (const key of keys) ids[key] = await seedMarked(hub, stack, key, body);
	return ids;
}

/** `count` marked sessions of one stack and key, created in order (oldest first). */
export async function seedDuplicates(
	hub: TestHub,
	stack: string,
	key: string,
	count: number,
	body: Partial<CoderCreateSessionRequest> = {}
): Promise<string[]> {
	const ids: string[] = [];
	for (let i = 0; i < count; i++) {
		ids.push(await seedMarked(hub, stack, key, body));
		// createdAt has millisecond resolution: keep "oldest" unambiguous.
		await sleep(5);
	}
	return ids;
}

/** Edits a live session behind the tool's back (drift). */
export async function editLive(
	hub: TestHub,
	id: string,
	patch: CoderUpdateSessionRequest
): Promise<void> {
	await hub.client.updateSession(id, patch);
}

/** The live sessions of a stack by key (active first), read straight from the Hub. */
export async function liveIdsByKey(hub: TestHub, stack: string): Promise<Record<string, string>> {
	const page = await hub.client.listSessions({ includeArchived: true, limit: 1000 });
	const out: Record<string, string> = {};
	for (const item of page.sessions) {
		const detail = await hub.client.getSession(item.sessionId);
		const metadata = (detail.metadata ?? {}) as Record<string, unknown>;
		const key = metadata[MARKER.key];
		if (metadata[MARKER.stack] !== stack || typeof key !== 'string') continue;
		if (!out[key] || !detail.historyOnly) out[key] = detail.sessionId;
	}
	return out;
}

/**
 * Runs a command line against this Hub (or one at a URL, e.g. a proxy): `--url` is appended,
 * and no AGENTUITY_* reaches it. CODER_SESSIONS_ENV_KEY is set, as in CI (pass it as undefined
 * to run without it).
 */
export function cli(
	hub: Pick<LocalHub, 'url'> | string,
	args: readonly string[],
	options: CliOptions = {}
): Promise<CliResult> {
	const env = { CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET, ...options.env };
	const url = typeof hub === 'string' ? hub : hub.url;
	return runCli([...args, '--url', url], { ...options, env });
}

/** `apply --auto-approve` through the CLI; throws with its output unless it exits 0. */
export async function applySpec(
	hub: TestHub,
	file: string,
	options: CliOptions & { readonly args?: readonly string[] } = {}
): Promise<CliResult> {
	const result = await cli(
		hub,
		['apply', '--auto-approve', '-f', file, ...(options.args ?? [])],
		options
	);
	if (result.code !== 0) {
		throw new Error(`apply -f ${file} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
	}
	return result;
}

/** Checks LocalHubOptions and fills in defaults; bad values fail before anything starts. */
import * as z from 'zod';
import { LocalHubStartError } from './errors.js';
import type { SearchRules } from './search.js';
import { LocalFixturesSchema, type LocalFixtures } from './fixtures.js';
import type { LocalGithubAccount, LocalHubOptions } from './types.js';

export const LocalGithubAccountsSchema = z.array(
	z.object({
		account: z.string().min(1),
		type: z.enum(['User', 'Organization']).optional(),
		repos: z.array(
			z.union([
				z.string().min(1),
				z.object({
					name: z.string().min(1),
					defaultBranch: z.string().optional(),
					private: z.boolean().optional(),
				}),
			])
		),
	})
);

/** How long a new session takes to come up (creating, then provisioning), unless told. */
export const DEFAULT_ACTIVATE_AFTER_MS = 3000;

/** How long a workspace snapshot build takes (`building`, then `ready`), unless told. */
export const DEFAULT_SNAPSHOT_READY_AFTER_MS = 5000;

export interface ResolvedOptions {
	readonly port: number;
	readonly host: string;
	readonly stateFile: string | undefined;
	readonly token: string | undefined;
	readonly latencyMs: number;
	readonly failRate: number;
	readonly rateLimitPerSec: number | undefined;
	readonly resetAfterCommitRate: number;
	readonly activateAfterMs: number;
	readonly snapshotReadyAfterMs: number;
	readonly snapshotFailRate: number;
	readonly idleTimeoutMs: number | undefined;
	readonly strict: boolean;
	readonly maxPageSize: number;
	readonly searchRules: SearchRules;
	readonly totalSurplus: number;
	readonly simulateActivity: boolean;
	readonly echoEnv: boolean;
	readonly spawnWorkers: number;
	readonly githubRepos: readonly LocalGithubAccount[] | undefined;
	readonly fixtures: LocalFixtures | undefined;
}

function check(ok: boolean, message: string): void {
	if (!ok) throw new LocalHubStartError(message);
}

const isRate = (value: number): boolean => Number.isFinite(value) && value >= 0 && value <= 1;

export function resolveOptions(options: LocalHubOptions): ResolvedOptions {
	const resolved: ResolvedOptions = {
		port: options.port ?? 0,
		host: options.host ?? '127.0.0.1',
		stateFile: options.stateFile,
		token: options.token,
		latencyMs: options.latencyMs ?? 0,
		failRate: options.failRate ?? 0,
		rateLimitPerSec: options.rateLimitPerSec,
		resetAfterCommitRate: options.resetAfterCommitRate ?? 0,
		activateAfterMs: options.activateAfterMs ?? DEFAULT_ACTIVATE_AFTER_MS,
		snapshotReadyAfterMs: options.snapshotReadyAfterMs ?? DEFAULT_SNAPSHOT_READY_AFTER_MS,
		snapshotFailRate: options.snapshotFailRate ?? 0,
		idleTimeoutMs: options.idleTimeoutMs,
		strict: options.strict ?? true,
		maxPageSize: options.maxPageSize ?? 1000,
		searchRules: {
			ignoreMetadata: options.searchIgnoresMetadata ?? false,
			delayMs: options.searchDelayMs ?? 0,
		},
		totalSurplus: options.totalSurplus ?? 0,
		simulateActivity: options.simulateActivity ?? false,
		echoEnv: options.echoEnv ?? false,
		spawnWorkers: options.spawnWorkers ?? 0,
		githubRepos: options.githubRepos,
		fixtures: undefined,
	};
	check(
		Number.isInteger(resolved.port) && resolved.port >= 0 && resolved.port <= 65535,
		`port must be an integer from 0 to 65535 (got ${resolved.port})`
	);
	check(resolved.host.length > 0, 'host must not be empty');
	check(resolved.token === undefined || resolved.token.length > 0, 'token must not be empty');
	check(
		Number.isFinite(resolved.latencyMs) && resolved.latencyMs >= 0,
		`latencyMs must be a number >= 0 (got ${resolved.latencyMs})`
	);
	check(isRate(resolved.failRate), `failRate must be between 0 and 1 (got ${resolved.failRate})`);
	check(
		isRate(resolved.resetAfterCommitRate),
		`resetAfterCommitRate must be between 0 and 1 (got ${resolved.resetAfterCommitRate})`
	);
	check(
		resolved.rateLimitPerSec === undefined ||
			(Number.isFinite(resolved.rateLimitPerSec) && resolved.rateLimitPerSec > 0),
		`rateLimitPerSec must be a number > 0 (got ${resolved.rateLimitPerSec})`
	);
	check(
		Number.isFinite(resolved.activateAfterMs) && resolved.activateAfterMs >= 0,
		`activateAfterMs must be a number >= 0 (got ${resolved.activateAfterMs})`
	);
	check(
		Number.isFinite(resolved.snapshotReadyAfterMs) && resolved.snapshotReadyAfterMs >= 0,
		`snapshotReadyAfterMs must be a number >= 0 (got ${resolved.snapshotReadyAfterMs})`
	);
	check(
		isRate(resolved.snapshotFailRate),
		`snapshotFailRate must be between 0 and 1 (got ${resolved.snapshotFailRate})`
	);
	check(
		resolved.idleTimeoutMs === undefined ||
			(Number.isFinite(resolved.idleTimeoutMs) && resolved.idleTimeoutMs > 0),
		`idleTimeoutMs must be a number > 0 (got ${resolved.idleTimeoutMs})`
	);
	check(
		Number.isInteger(resolved.maxPageSize) && resolved.maxPageSize >= 1,
		`maxPageSize must be an integer >= 1 (got ${resolved.maxPageSize})`
	);
	check(
		Number.isFinite(resolved.searchRules.delayMs) && resolved.searchRules.delayMs >= 0,
		`searchDelayMs must be a number >= 0 (got ${resolved.searchRules.delayMs})`
	);
	check(
		Number.isInteger(resolved.totalSurplus) && resolved.totalSurplus >= 0,
		`totalSurplus must be an integer >= 0 (got ${resolved.totalSurplus})`
	);
	check(
		Number.isInteger(resolved.spawnWorkers) &&
			resolved.spawnWorkers >= 0 &&
			resolved.spawnWorkers <= 100,
		`spawnWorkers must be an integer from 0 to 100 (got ${resolved.spawnWorkers})`
	);
	if (resolved.githubRepos !== undefined) {
		const result = LocalGithubAccountsSchema.safeParse(resolved.githubRepos);
		check(
			result.success,
			`githubRepos must be a list of {account, repos: [...]} (${result.error?.issues[0]?.message ?? ''})`
		);
	}
	if (options.fixtures === undefined) return resolved;
	const fixtures = LocalFixturesSchema.safeParse(options.fixtures);
	if (!fixtures.success) {
		const issue = fixtures.error.issues[0];
		const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
		check(false, `fixtures${where}: ${issue?.message ?? 'invalid'}`);
	}
	return { ...resolved, fixtures: fixtures.data };
}

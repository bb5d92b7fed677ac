/**
 * The repo check's IO: list the GitHub accounts once and the repos of each pinned owner once,
 * a few at a time, then let src/plan/repo-check.ts decide. Plan and apply run it after
 * planning, before anything is rendered or written.
 */
import pLimit from 'p-limit';
import { HubError, SpecInvalidError } from '../core/errors.js';
import { GitHubNotConnectedError } from '../hub/errors.js';
import type { GitHubRepo, HubReader } from '../hub/types.js';
import {
	accountsToList,
	findRepoProblems,
	pinnedReposOf,
	repoProblemsAsSpecErrors,
	type PinnedRepo,
} from '../plan/repo-check.js';
import type { Plan } from '../plan/types.js';
import { sortSpecErrors } from '../spec/errors.js';
import { warn, type Environment } from './environment.js';

export interface RepoCheckOptions {
	/** False with --no-repo-check. */
	readonly enabled: boolean;
	/** The Hub cannot answer the check (the local Hub without a fixture): print this instead. */
	readonly skipped?: string;
	readonly parallelism: number;
}

/**
 * Throws a SpecInvalidError holding every unreachable repo at its place in the spec; exit 1.
 * Returns the notes it printed (why the check was skipped), for the plan's renderings.
 */
export async function checkPinnedRepos(
	plan: Plan,
	hub: HubReader,
	environment: Environment,
	options: RepoCheckOptions
): Promise<string[]> {
	if (!options.enabled) return [];
	const pinned = pinnedReposOf(plan);
	if (pinned.length === 0) return [];
	if (options.skipped) {
		warn(environment, options.skipped);
		return [options.skipped];
	}
	const { accounts, reposByAccount } = await readGitHubReach(pinned, hub, options.parallelism);
	const problems = findRepoProblems(pinned, accounts, reposByAccount);
	if (problems.length === 0) return [];
	const errors = repoProblemsAsSpecErrors(problems);
	const files = [...new Set(errors.map((error) => error.file))];
	const hint =
		'Grant the Agentuity GitHub App access to these repos, fix the spec, or pass --no-repo-check.';
	throw new SpecInvalidError(sortSpecErrors(errors, files), { hint });
}

/** The installed accounts, once, and the repos of each account a pinned owner names, once. */
async function readGitHubReach(pinned: readonly PinnedRepo[], hub: HubReader, parallelism: number) {
	try {
		const { connected, accounts } = await hub.listGitHubAccounts();
		if (!connected) throw new GitHubNotConnectedError();
		const limit = pLimit(parallelism);
		const listed = await Promise.all(
			accountsToList(pinned, accounts).map((account) =>
				limit(async (): Promise<[string, GitHubRepo[]]> => [
					account.id,
					await hub.listGitHubRepos(account.id),
				])
			)
		);
		return { accounts, reposByAccount: new Map(listed) };
	} catch (error) {
		if (error instanceof HubError && !(error instanceof GitHubNotConnectedError)) {
			const hint = 'needed by the repo check; skip it with --no-repo-check';
			throw new HubError(`${error.message} (${hint})`, error.status);
		}
		throw error;
	}
}

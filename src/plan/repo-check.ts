/**
 * The repo check, pure: which GitHub repos a plan pins, and which of them the org's GitHub App
 * installations cannot reach. Only entries the plan creates or replaces are checked: that is
 * when a repo is sent to the Hub, and any edit of `repo`/`repos` is a replace, so a typo is
 * caught as soon as it is written. A running session whose repo was later uninstalled is left
 * alone rather than failing every plan of its stack.
 */
import type { GitHubAccount, GitHubRepo } from '../hub/types.js';
import { didYouMean } from '../spec/did-you-mean.js';
import type { PathSegment, SpecError } from '../spec/errors.js';
import type { RepoRef, SourceLocation } from '../kinds/session/desired.js';
import type { Plan } from './types.js';

export interface PinnedRepo {
	readonly key: string;
	/** Where in the spec, e.g. ['sessions', 'api-docs', 'repos', 1]. */
	readonly path: readonly PathSegment[];
	readonly owner: string;
	readonly name: string;
	/** The entry's declaration. */
	readonly source: SourceLocation;
}

export interface RepoProblem extends PinnedRepo {
	readonly message: string;
}

const sameLogin = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** A repo of another provider (`provider: gitlab`) is not GitHub's to vouch for. */
const isGitHub = (repo: RepoRef) =>
	repo.provider === undefined || sameLogin(repo.provider, 'github');

/** The GitHub repos of the entries the plan creates or replaces, in plan order. */
export function pinnedReposOf(plan: Plan): PinnedRepo[] {
	const pinned: PinnedRepo[] = [];
	for (const action of plan.actions) {
		if (action.kind !== 'create' && action.kind !== 'replace') continue;
		const { key, repo, repos, source } = action.desired;
		const add = (ref: RepoRef, path: readonly PathSegment[]) => {
			if (isGitHub(ref)) pinned.push({ key, path, owner: ref.owner, name: ref.name, source });
		};
		if (repo) add(repo, ['sessions', key, 'repo']);
		repos?.forEach((ref, index) => add(ref, ['sessions', key, 'repos', index]));
	}
	return pinned;
}

/** The installed accounts whose repos must be listed: one per distinct owner pinned. */
export function accountsToList(
	pinned: readonly PinnedRepo[],
	accounts: readonly GitHubAccount[]
): GitHubAccount[] {
	return accounts.filter((account) => pinned.some((repo) => sameLogin(repo.owner, account.login)));
}

/**
 * A problem per pinned repo that no installed account reaches. `reposByAccount` holds, by
 * account id, the repos of every account `accountsToList` named. Logins and names compare
 * case-insensitively, as GitHub's do.
 */
export function findRepoProblems(
	pinned: readonly PinnedRepo[],
	accounts: readonly GitHubAccount[],
	reposByAccount: ReadonlyMap<string, readonly GitHubRepo[]>
): RepoProblem[] {
	const logins = accounts.map((account) => account.login);
	const installed = `installed accounts: ${logins.join(', ') || 'none'}`;
	const problems: RepoProblem[] = [];
	for (const repo of pinned) {
		const account = accounts.find((candidate) => sameLogin(candidate.login, repo.owner));
		const names = (reposByAccount.get(account?.id ?? '') ?? []).map((candidate) => candidate.name);
		if (account && names.some((name) => sameLogin(name, repo.name))) continue;
		const why = account
			? `no repo "${repo.name}" under account ${account.login}${guess(repo.name, names, `${account.login}/`)}`
			: `no GitHub account ${repo.owner} is installed${guess(repo.owner, logins)}`;
		problems.push({
			...repo,
			message: `${repo.owner}/${repo.name} is not reachable: ${why} (${installed})`,
		});
	}
	return problems;
}

/** `; did you mean agentuity/docs?` when a candidate is a plausible typo away. */
function guess(input: string, candidates: readonly string[], prefix = ''): string {
	const close = didYouMean(input, candidates);
	return close ? `; did you mean ${prefix}${close}?` : '';
}

/** Problems as spec errors, to print compiler-style at the entry's declaration. */
export function repoProblemsAsSpecErrors(problems: readonly RepoProblem[]): SpecError[] {
	return problems.map((problem) => ({
		file: problem.source.file,
		at: { line: problem.source.line, column: problem.source.column },
		path: problem.path,
		message: problem.message,
	}));
}

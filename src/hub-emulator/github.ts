/**
 * GET /api/hub/github/accounts and /repos (core github.ts), served from the `githubRepos`
 * fixture. Ids are derived from names so they stay the same across restarts and reorderings.
 */
import { createHash } from 'node:crypto';
import { HttpError } from './errors.js';
import type { Handler } from './hub-context.js';
import type { LocalGithubAccount, LocalGithubRepo } from './types.js';

function numericId(name: string): number {
	return createHash('sha256').update(name).digest().readUInt32BE(0);
}

function accountId(account: LocalGithubAccount): string {
	return String(numericId(`account:${account.account}`));
}

function accountEntry(account: LocalGithubAccount): Record<string, unknown> {
	const id = accountId(account);
	return {
		installationId: `inst_${id}`,
		integrationId: `int_${id}`,
		accountId: id,
		accountName: account.account,
		accountType: account.type ?? 'Organization',
	};
}

function repositoryEntry(owner: string, repo: LocalGithubRepo): Record<string, unknown> {
	const entry = typeof repo === 'string' ? { name: repo } : repo;
	const fullName = `${owner}/${entry.name}`;
	const isPrivate = entry.private ?? false;
	return {
		id: numericId(`repo:${fullName}`),
		name: entry.name,
		fullName,
		private: isPrivate,
		defaultBranch: entry.defaultBranch ?? 'main',
		cloneUrl: `https://github.com/${fullName}.git`,
		htmlUrl: `https://github.com/${fullName}`,
		visibility: isPrivate ? 'private' : 'public',
		archived: false,
		disabled: false,
		owner: { login: owner },
	};
}

/**
 * Without a fixture the org has no GitHub connection. The strict Hub answers as the seed page
 * documents ("Without that OAuth login, the Hub returns HTTP 409"); the lenient one answers
 * 200 `connected: false`, the SDK schema's other way of saying it.
 */
export const listGithubAccounts: Handler = (hub) => {
	if (hub.githubRepos === undefined && hub.strict) throw notConnected();
	const accounts = hub.githubRepos ?? [];
	return {
		status: 200,
		body: {
			connected: hub.githubRepos !== undefined,
			...(hub.githubRepos !== undefined ? { username: 'local-hub' } : {}),
			accounts: accounts.map(accountEntry),
		},
	};
};

/** `accountId` may be the numeric id from /accounts or, for convenience, the account name. */
export const listGithubRepos: Handler = (hub, request) => {
	if (hub.githubRepos === undefined && hub.strict) throw notConnected();
	const wanted = request.query.get('accountId') ?? '';
	const account = (hub.githubRepos ?? []).find(
		(candidate) => accountId(candidate) === wanted || candidate.account === wanted
	);
	if (!account)
		throw new HttpError(404, 'NOT_FOUND', `GitHub account ${wanted || '(none)'} not found`);
	const repositories = account.repos.map((repo) => repositoryEntry(account.account, repo));
	return {
		status: 200,
		body: { accountId: accountId(account), totalCount: repositories.length, repositories },
	};
};

function notConnected(): HttpError {
	return new HttpError(
		409,
		'CODER_GITHUB_NOT_CONNECTED',
		'No GitHub connection for this org: sign in to Agentuity with GitHub and install the Agentuity GitHub App',
		// The SDK re-sends a 409 three times; tell it not to wait.
		{ 'retry-after': '0' }
	);
}

/** The GitHub installations the org can pin repos from (for plan's repo check). */
import { GitHubNotConnectedError } from './errors.js';
import { readOther, type ReadContext } from './read-context.js';
import type { GitHubAccounts, GitHubRepo } from './types.js';

export function listGitHubAccounts(context: ReadContext): Promise<GitHubAccounts> {
	return readGitHub(context, 'list GitHub accounts', async () => {
		const { connected, accounts } = await context.client.listGitHubAccounts();
		return {
			connected,
			accounts: accounts.map((a) => ({ id: a.accountId, login: a.accountName })),
		};
	});
}

export function listGitHubRepos(context: ReadContext, accountId: string): Promise<GitHubRepo[]> {
	return readGitHub(context, `list GitHub repos of account ${accountId}`, async () => {
		const { repositories } = await context.client.listGitHubRepos(accountId);
		return repositories.map((repo) => ({ owner: repo.owner.login, name: repo.name }));
	});
}

/** The Hub answers 409 on these routes when the org has no GitHub (OAuth) connection. */
function readGitHub<T>(context: ReadContext, what: string, call: () => Promise<T>): Promise<T> {
	return readOther(context, what, call, (status) => {
		if (status === 409) throw new GitHubNotConnectedError();
		return undefined;
	});
}

/** The GitHub installations the org can pin repos from (for plan's repo check). */
import { GitHubNotConnectedError, statusOf } from './errors.js';
import type { ReadContext } from './read-context.js';
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
	return context.reads.run(async () => {
		context.calls.other += 1;
		try {
			return await call();
		} catch (error) {
			if (statusOf(error) === 409) throw new GitHubNotConnectedError();
			throw context.fail(error, what);
		}
	});
}

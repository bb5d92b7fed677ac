// Which comments and issues are the action's own. Anyone who can comment (a pull request's
// author too) can begin a comment or an issue with the action's marker; only those the token
// itself wrote are updated or closed, so no one else's text stands as the plan or the drift report.

/**
 * Whether an item was written by the token the action runs with: a person's token (a PAT) by
 * its login; an installation token (the workflow's own, or an app's), which cannot read /user,
 * by a bot author, as no person can write as one.
 */
async function writtenByToken(github) {
	try {
		const { data } = await github.rest.users.getAuthenticated();
		return (item) => item.user?.login === data.login;
	} catch {
		return (item) => item.user?.type === 'Bot';
	}
}

module.exports = { writtenByToken };

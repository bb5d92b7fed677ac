// The pull-request comment of coder-sessions, updated in place: the plan when plan succeeded,
// otherwise a failure note that replaces the previous plan (which is no longer current).
const fs = require('node:fs');
const path = require('node:path');

const MARKER = '<!-- coder-sessions-plan -->';
const LIMIT = 65_000;

async function replacePlanComment({ github, context, core }, text) {
	const { owner, repo } = context.repo;
	const issue_number = context.issue.number;
	const body = `${MARKER}\n${text}`.slice(0, LIMIT);
	try {
		const comments = await github.paginate(github.rest.issues.listComments, {
			owner,
			repo,
			issue_number,
		});
		const previous = comments.find((c) => c.body?.startsWith(MARKER));
		if (previous) {
			await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
		} else {
			await github.rest.issues.createComment({ owner, repo, issue_number, body });
		}
	} catch (error) {
		// Fork pull requests get a read-only token: the job log and summary still tell.
		core.warning(`coder-sessions could not comment on the pull request: ${error.message}`);
	}
}

async function commentPlan({ github, context, core }) {
	const stage = process.env.STAGE || 'install';
	const exitcode = process.env.EXITCODE || '';
	const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
	const sha = context.payload.pull_request?.head?.sha?.slice(0, 12) ?? context.sha.slice(0, 12);
	let text;
	if (exitcode === '0' || exitcode === '2') {
		const planFile = path.join(process.env.RUNNER_TEMP, 'coder-sessions-out', 'plan.md');
		text = `${fs.readFileSync(planFile, 'utf8')}\n\n<sub>Planned at ${sha} in [run ${context.runId}](${runUrl}).</sub>`;
	} else if (exitcode === '3' && stage === 'plan') {
		// A plan apply would refuse: the reviewer sees it, with the rail that refuses it.
		const planFile = path.join(process.env.RUNNER_TEMP, 'coder-sessions-out', 'plan.md');
		text = [
			`**coder-sessions: apply would refuse this plan** (a safety rail, exit 3): this pull request cannot be applied as it is. Allow an exact bulk removal with \`allowRemovals: N\` in the spec, or change the spec.`,
			'',
			fs.readFileSync(planFile, 'utf8'),
			'',
			`<sub>Planned at ${sha} in [run ${context.runId}](${runUrl}).</sub>`,
		].join('\n');
	} else {
		const what = exitcode ? `${stage} failed (exit ${exitcode})` : `${stage} failed`;
		text = [
			`**coder-sessions: no current plan.** ${what} at ${sha}; see [the run log](${runUrl}).`,
			'',
			'A plan posted here before is no longer current and was removed. Fix the spec or the',
			'cause in the log and push again.',
		].join('\n');
	}
	await replacePlanComment({ github, context, core }, text);
}

module.exports = { commentPlan, replacePlanComment };

// The pull-request comment of coder-sessions, updated in place: the plan when plan succeeded,
// otherwise a failure note that replaces the previous plan (which is no longer current).
// One comment per stack: a repository planning several (a matrix) gives each its own
// artifact-name, which the comment's marker carries.
const fs = require('node:fs');
const path = require('node:path');
const { writtenByToken } = require('./author.cjs');

const LIMIT = 65_000;

/** The hidden first line that finds this stack's comment again. */
function marker() {
	const name = (process.env.ARTIFACT || 'coder-sessions-plan').replace(/[^\w.-]/g, '_');
	return name === 'coder-sessions-plan'
		? '<!-- coder-sessions-plan -->'
		: `<!-- coder-sessions-plan ${name} -->`;
}

/** The pull request: the event's own, or the one a workflow_run job found (PR_NUMBER). */
function issueNumber(context) {
	const given = Number(process.env.PR_NUMBER);
	return Number.isInteger(given) && given > 0 ? given : context.issue.number;
}

async function replacePlanComment({ github, context, core }, text) {
	const { owner, repo } = context.repo;
	const issue_number = issueNumber(context);
	const MARKER = marker();
	const body = `${MARKER}\n${text}`.slice(0, LIMIT);
	try {
		const comments = await github.paginate(github.rest.issues.listComments, {
			owner,
			repo,
			issue_number,
		});
		const own = await writtenByToken(github);
		const previous = comments.find((c) => c.body?.split('\n', 1)[0] === MARKER && own(c));
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

const STAGE_FAILED = {
	fmt: 'the spec files are not in the layout `coder-sessions fmt` writes: run it and commit the result (the diff is in the run log)',
	'fork-checks': "the run of the fork's pull request did not succeed",
};

async function commentPlan({ github, context, core }) {
	const stage = process.env.STAGE || 'install';
	const exitcode = process.env.EXITCODE || '';
	const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
	const headRepo = process.env.HEAD_REPO || '';
	const fork = process.env.HEAD_SHA
		? /^[\w.-]+\/[\w.-]+$/.test(headRepo)
			? `\`${headRepo}\``
			: 'a fork'
		: undefined;
	const sha = (
		process.env.HEAD_SHA ||
		context.payload.pull_request?.head?.sha ||
		context.sha
	).slice(0, 12);
	const planned = fork
		? `<sub>Planned at ${sha} of ${fork} by this repository's own workflow in [run ${context.runId}](${runUrl}), from the spec files the fork's run uploaded (its code was not run). Planned without the env secrets: creates and replaces that need them cannot be promised.</sub>`
		: `<sub>Planned at ${sha} in [run ${context.runId}](${runUrl}).</sub>`;
	let text;
	if (exitcode === '0' || exitcode === '2') {
		const planFile = path.join(process.env.RUNNER_TEMP, 'coder-sessions-out', 'plan.md');
		text = `${fs.readFileSync(planFile, 'utf8')}\n\n${planned}`;
	} else if (exitcode === '3' && stage === 'plan') {
		// A plan apply would refuse: the reviewer sees it, with the rail that refuses it.
		const planFile = path.join(process.env.RUNNER_TEMP, 'coder-sessions-out', 'plan.md');
		text = [
			`**coder-sessions: apply would refuse this plan** (a safety rail, exit 3): this pull request cannot be applied as it is. Allow an exact bulk removal with \`allowRemovals: N\` in the spec, or change the spec.`,
			'',
			fs.readFileSync(planFile, 'utf8'),
			'',
			planned,
		].join('\n');
	} else {
		const what = STAGE_FAILED[stage]
			? STAGE_FAILED[stage]
			: exitcode
				? `${stage} failed (exit ${exitcode})`
				: `${stage} failed`;
		const log = process.env.FORK_RUN_URL
			? `see [the fork's run](${process.env.FORK_RUN_URL}) and [this run's log](${runUrl})`
			: `see [the run log](${runUrl})`;
		text = [
			`**coder-sessions: no current plan.** ${what} at ${sha}; ${log}.`,
			'',
			'A plan posted here before is no longer current and was removed. Fix the spec or the',
			'cause in the log and push again.',
		].join('\n');
	}
	await replacePlanComment({ github, context, core }, text);
}

module.exports = { commentPlan, replacePlanComment, marker };

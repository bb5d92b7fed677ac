// The drift issue: opened or updated when `drift` exits 6 (sessions edited on the Hub by hand),
// closed with a note once drift is gone.
const fs = require('node:fs');
const path = require('node:path');
const { writtenByToken } = require('./author.cjs');

const TITLE = 'coder-sessions: sessions changed outside coder-sessions';

/** One issue per stack: a repository with several gives each its own artifact-name. */
function stackName() {
	const name = (process.env.ARTIFACT || 'coder-sessions-plan').replace(/[^\w.-]/g, '_');
	return name === 'coder-sessions-plan' ? undefined : name;
}

/**
 * The drift report in a code block that nothing in it can close: the fence is longer than the
 * longest run of backticks in the text (which quotes labels and tags from the Hub). Inside it,
 * markdown, HTML and mentions are not rendered.
 */
function fenced(text) {
	const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
	const fence = '`'.repeat(longest + 1);
	return [fence, text.replace(/\n$/, ''), fence].join('\n');
}

/** GitHub refuses an issue body over 65,536 characters; this leaves room for the lines above. */
const REPORT_ROOM = 64_000;

/**
 * The fenced report within `room` characters. Its fence is as long as the longest backtick run
 * plus one, twice over, and a label from the Hub can hold a run thousands long: a report too long
 * loses its last lines (the fence shrinking with them when they held the run), and says so.
 */
function fencedWithin(report, room, cutNote) {
	let text = report.replace(/\n$/, '');
	let cut = false;
	for (;;) {
		const block = fenced(text);
		const note = cut ? `\n\n${cutNote}` : '';
		const over = block.length + note.length - room;
		if (over <= 0) return `${block}${note}`;
		const end = text.length - over - (cut ? 0 : cutNote.length + 2);
		const line = text.lastIndexOf('\n', end);
		text = text.slice(0, line > 0 ? line : Math.max(0, end));
		cut = true;
	}
}

async function reportDrift({ github, context, core }) {
	const { owner, repo } = context.repo;
	const stack = stackName();
	const MARKER = stack ? `<!-- coder-sessions-drift ${stack} -->` : '<!-- coder-sessions-drift -->';
	const title = stack ? `${TITLE} (${stack})` : TITLE;
	const runUrl = `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
	const open = await github.paginate(github.rest.issues.listForRepo, {
		owner,
		repo,
		state: 'open',
	});
	const own = await writtenByToken(github);
	const existing = open.find(
		(issue) => !issue.pull_request && issue.body?.split('\n', 1)[0] === MARKER && own(issue)
	);
	if (process.env.EXITCODE !== '6') {
		if (existing) {
			await github.rest.issues.createComment({
				owner,
				repo,
				issue_number: existing.number,
				body: `No drift any more ([run ${context.runId}](${runUrl})).`,
			});
			await github.rest.issues.update({
				owner,
				repo,
				issue_number: existing.number,
				state: 'closed',
			});
		}
		return;
	}
	const report = fs.readFileSync(
		path.join(process.env.RUNNER_TEMP, 'coder-sessions-out', 'drift.txt'),
		'utf8'
	);
	const body = [
		MARKER,
		`\`coder-sessions drift\` found sessions edited on the Hub by hand ([run ${context.runId}](${runUrl})).`,
		'Put the change into the spec, or apply the spec to undo it.',
		'',
		fencedWithin(
			report,
			REPORT_ROOM,
			`_The report is cut here to fit the issue; [run ${context.runId}](${runUrl}) has it all._`
		),
	].join('\n');
	if (existing) {
		await github.rest.issues.update({ owner, repo, issue_number: existing.number, body });
		core.notice(`Drift: updated issue #${existing.number}`);
	} else {
		const created = await github.rest.issues.create({ owner, repo, title, body });
		core.notice(`Drift: opened issue #${created.data.number}`);
	}
}

module.exports = { reportDrift, fenced };

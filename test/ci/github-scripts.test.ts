/**
 * The action's github-script code against an in-memory GitHub: the PR comment (replaced by a
 * failure note when plan fails) and the drift issue (opened, updated, closed).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markdownProblems } from '../support/hostile-text.js';

const require = createRequire(import.meta.url);
const comment = require('../../action/comment.cjs') as {
	commentPlan(args: object): Promise<void>;
};
const driftIssue = require('../../action/drift-issue.cjs') as {
	reportDrift(args: object): Promise<void>;
};

interface Item {
	id: number;
	number: number;
	/** Who wrote it: the workflow's token writes as github-actions[bot]. */
	user?: { login: string; type: string };
	/** The pull request or issue a comment is on. */
	on?: number;
	body: string;
	state?: string;
	title?: string;
	comments?: string[];
}

/** GitHub answers 422 to a comment or issue body over 65,536 characters. */
const BODY_LIMIT = 65_536;
function checkBody(body: string | undefined): void {
	if (body !== undefined && body.length > BODY_LIMIT)
		throw new Error(`Validation Failed: body is too long (maximum is ${BODY_LIMIT} characters)`);
}

const BOT = { login: 'github-actions[bot]', type: 'Bot' };

/** `token`: the workflow's own (the default), or a personal access token of a user. */
function fakeGithub(token: { login: string; type: string } = BOT) {
	const comments: Item[] = [];
	const issues: Item[] = [];
	let next = 1;
	const user = token;
	const rest = {
		users: {
			getAuthenticated: async () => {
				// An installation token cannot read /user.
				if (token.type === 'Bot') throw new Error('Resource not accessible by integration');
				return { data: token };
			},
		},
		issues: {
			listComments: async ({ issue_number }: { issue_number: number }) => ({
				data: comments.filter((c) => c.on === issue_number),
			}),
			createComment: async ({ issue_number, body }: { issue_number: number; body: string }) => {
				checkBody(body);
				const issue = issues.find((i) => i.number === issue_number);
				if (issue) (issue.comments ??= []).push(body);
				else comments.push({ id: next, number: next++, on: issue_number, body, user });
			},
			updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
				checkBody(body);
				comments.find((c) => c.id === comment_id)!.body = body;
			},
			listForRepo: async () => ({ data: issues.filter((i) => i.state === 'open') }),
			create: async ({ title, body }: { title: string; body: string }) => {
				checkBody(body);
				const issue = { id: next, number: next++, title, body, state: 'open', user };
				issues.push(issue);
				return { data: issue };
			},
			update: async (patch: { issue_number: number; body?: string; state?: string }) => {
				checkBody(patch.body);
				const issue = issues.find((i) => i.number === patch.issue_number)!;
				if (patch.body !== undefined) issue.body = patch.body;
				if (patch.state !== undefined) issue.state = patch.state;
			},
		},
	};
	const github = {
		rest,
		paginate: async (fn: (args: never) => Promise<{ data: Item[] }>, args: object) =>
			(await fn(args as never)).data,
	};
	return { github, comments, issues };
}

const context = {
	repo: { owner: 'acme', repo: 'sessions' },
	issue: { number: 7 },
	runId: 99,
	serverUrl: 'https://github.com',
	sha: 'f'.repeat(40),
	payload: { pull_request: { head: { sha: 'e'.repeat(40) } } },
};
const core = { warning: () => {}, notice: () => {} };

let temp: string;
const saved = { ...process.env };
beforeEach(() => {
	temp = mkdtempSync(join(tmpdir(), 'ci-scripts-'));
	mkdirSync(join(temp, 'coder-sessions-out'));
	process.env.RUNNER_TEMP = temp;
});
afterEach(() => {
	rmSync(temp, { recursive: true, force: true });
	process.env = { ...saved };
});

describe('the pull-request comment', () => {
	it('is replaced by a failure note when plan fails after a plan was posted', async () => {
		const { github, comments } = fakeGithub();
		writeFileSync(
			join(temp, 'coder-sessions-out', 'plan.md'),
			'### coder-sessions plan: ci\n1 to create'
		);
		Object.assign(process.env, { STAGE: 'plan', EXITCODE: '2' });
		await comment.commentPlan({ github, context, core });
		expect(comments).toHaveLength(1);
		expect(comments[0]!.body).toContain('1 to create');

		Object.assign(process.env, { STAGE: 'plan', EXITCODE: '1' });
		await comment.commentPlan({ github, context, core });

		expect(comments).toHaveLength(1);
		expect(comments[0]!.body).toContain('no current plan');
		expect(comments[0]!.body).toContain('plan failed (exit 1)');
		expect(comments[0]!.body).not.toContain('1 to create');
	});

	it('shows a plan apply would refuse, saying so, in place of the last plan', async () => {
		const { github, comments } = fakeGithub();
		writeFileSync(
			join(temp, 'coder-sessions-out', 'plan.md'),
			'### coder-sessions plan: ci\n> **Warning:** refused by safety rails'
		);
		Object.assign(process.env, { STAGE: 'plan', EXITCODE: '3' });
		await comment.commentPlan({ github, context, core });
		expect(comments).toHaveLength(1);
		expect(comments[0]!.body).toContain('apply would refuse this plan');
		expect(comments[0]!.body).toContain('refused by safety rails');
	});
});

describe('comments and issues written by others', () => {
	const mallory = { login: 'mallory', type: 'User' };

	it("never takes over someone else's comment that begins with the marker", async () => {
		const { github, comments } = fakeGithub();
		// Posted by the pull request's author before the first plan: they could edit it later.
		comments.push({
			id: 50,
			number: 50,
			on: 7,
			body: '<!-- coder-sessions-plan -->\nNo changes.',
			user: mallory,
		});
		writeFileSync(
			join(temp, 'coder-sessions-out', 'plan.md'),
			'### coder-sessions plan: ci\n1 to create'
		);
		Object.assign(process.env, { STAGE: 'plan', EXITCODE: '2' });
		await comment.commentPlan({ github, context, core });
		await comment.commentPlan({ github, context, core });
		expect(comments.map((c) => [c.user?.login, c.body.split('\n')[1]])).toEqual([
			['mallory', 'No changes.'],
			['github-actions[bot]', '### coder-sessions plan: ci'],
		]);
	});

	it("updates its own comment in place when the token is a person's", async () => {
		const { github, comments } = fakeGithub({ login: 'release-bot-user', type: 'User' });
		comments.push({
			id: 50,
			number: 50,
			on: 7,
			body: '<!-- coder-sessions-plan -->\nfake',
			user: mallory,
		});
		writeFileSync(join(temp, 'coder-sessions-out', 'plan.md'), '### coder-sessions plan: ci');
		Object.assign(process.env, { STAGE: 'plan', EXITCODE: '2' });
		await comment.commentPlan({ github, context, core });
		await comment.commentPlan({ github, context, core });
		expect(comments.map((c) => c.user?.login)).toEqual(['mallory', 'release-bot-user']);
	});

	it("never updates or closes someone else's issue that begins with the drift marker", async () => {
		const { github, issues } = fakeGithub();
		const decoy = {
			id: 60,
			number: 60,
			body: '<!-- coder-sessions-drift -->\nAll clear.',
			state: 'open',
			user: mallory,
		};
		issues.push(decoy);
		writeFileSync(join(temp, 'coder-sessions-out', 'drift.txt'), 'docs ~ label');
		process.env.EXITCODE = '6';
		await driftIssue.reportDrift({ github, context, core });
		expect(decoy.body).toBe('<!-- coder-sessions-drift -->\nAll clear.');
		expect(issues).toHaveLength(2);
		expect(issues[1]!.body).toContain('docs ~ label');

		process.env.EXITCODE = '0';
		await driftIssue.reportDrift({ github, context, core });
		expect(decoy.state).toBe('open');
		expect(issues[1]!.state).toBe('closed');
	});
});

describe('the pull-request comment of a fork, a stack, a format check', () => {
	const planFile = () => join(temp, 'coder-sessions-out', 'plan.md');

	it('goes to the pull request plan-fork found, saying where the plan came from', async () => {
		const { github, comments } = fakeGithub();
		writeFileSync(planFile(), '### coder-sessions plan: ci\n1 to create');
		Object.assign(process.env, {
			STAGE: 'plan',
			EXITCODE: '2',
			PR_NUMBER: '42',
			HEAD_SHA: 'a'.repeat(40),
			HEAD_REPO: 'mallory/sessions',
		});
		// A workflow_run job: the event has no pull request of its own.
		await comment.commentPlan({ github, context: { ...context, issue: {} }, core });
		expect(comments).toHaveLength(1);
		expect(comments[0]!.on).toBe(42);
		expect(comments[0]!.body).toContain('1 to create');
		expect(comments[0]!.body).toContain(
			"Planned at aaaaaaaaaaaa of `mallory/sessions` by this repository's own workflow"
		);
		expect(comments[0]!.body).toContain('its code was not run');
		expect(comments[0]!.body).toContain('Planned without the env secrets');

		Object.assign(process.env, {
			STAGE: 'fork-checks',
			EXITCODE: '1',
			FORK_RUN_URL: 'https://x/r/555',
		});
		await comment.commentPlan({ github, context: { ...context, issue: {} }, core });
		expect(comments).toHaveLength(1);
		expect(comments[0]!.body).toContain("the run of the fork's pull request did not succeed");
		expect(comments[0]!.body).toContain("[the fork's run](https://x/r/555)");
	});

	it('keeps one comment per stack: each artifact-name has its own', async () => {
		const { github, comments } = fakeGithub();
		for (const [artifact, stack] of [
			['coder-sessions-plan-web', 'web'],
			['coder-sessions-plan-api', 'api'],
			['coder-sessions-plan-web', 'web again'],
		]) {
			writeFileSync(planFile(), `### coder-sessions plan: ${stack}`);
			Object.assign(process.env, { STAGE: 'plan', EXITCODE: '2', ARTIFACT: artifact });
			await comment.commentPlan({ github, context, core });
		}
		expect(comments.map((c) => c.body.split('\n', 2))).toEqual([
			[
				'<!-- coder-sessions-plan coder-sessions-plan-web -->',
				'### coder-sessions plan: web again',
			],
			['<!-- coder-sessions-plan coder-sessions-plan-api -->', '### coder-sessions plan: api'],
		]);
	});

	it('says what to do when the spec is not in fmt layout', async () => {
		const { github, comments } = fakeGithub();
		Object.assign(process.env, { STAGE: 'fmt', EXITCODE: '1' });
		await comment.commentPlan({ github, context, core });
		expect(comments[0]!.body).toContain('no current plan');
		expect(comments[0]!.body).toContain('run it and commit the result');
	});
});

describe('the drift issue', () => {
	it('is opened on exit 6, updated on the next, closed when drift is gone', async () => {
		const { github, issues } = fakeGithub();
		const report = (text: string) =>
			writeFileSync(join(temp, 'coder-sessions-out', 'drift.txt'), text);

		report('quickstart-review ~ label');
		process.env.EXITCODE = '6';
		await driftIssue.reportDrift({ github, context, core });
		expect(issues).toHaveLength(1);
		expect(issues[0]!.body).toContain('quickstart-review ~ label');

		report('faq ~ tags');
		await driftIssue.reportDrift({ github, context, core });
		expect(issues).toHaveLength(1);
		expect(issues[0]!.body).toContain('faq ~ tags');

		process.env.EXITCODE = '0';
		await driftIssue.reportDrift({ github, context, core });
		expect(issues[0]!.state).toBe('closed');
		expect(issues[0]!.comments?.[0]).toContain('No drift any more');
	});

	it('is one issue per stack: each artifact-name has its own', async () => {
		const { github, issues } = fakeGithub();
		writeFileSync(join(temp, 'coder-sessions-out', 'drift.txt'), 'web ~ label');
		process.env.EXITCODE = '6';
		process.env.ARTIFACT = 'coder-sessions-plan-web';
		await driftIssue.reportDrift({ github, context, core });
		process.env.ARTIFACT = 'coder-sessions-plan-api';
		await driftIssue.reportDrift({ github, context, core });
		await driftIssue.reportDrift({ github, context, core });
		expect(issues.map((issue) => issue.title)).toEqual([
			'coder-sessions: sessions changed outside coder-sessions (coder-sessions-plan-web)',
			'coder-sessions: sessions changed outside coder-sessions (coder-sessions-plan-api)',
		]);
	});

	it('keeps the drift report inside its code block, whatever the report holds', async () => {
		const { github, issues } = fakeGithub();
		const report = [
			'  upd  codesess_1 "label ``` and ````"',
			'```',
			'````',
			'</details> @here <script>x</script>',
			'TASKTAIL still in the report',
			'',
		].join('\n');
		writeFileSync(join(temp, 'coder-sessions-out', 'drift.txt'), report);
		process.env.EXITCODE = '6';
		await driftIssue.reportDrift({ github, context, core });
		const body = issues[0]!.body;
		expect(body).toContain(report.trimEnd());
		expect(markdownProblems(body, 'drift issue')).toEqual([]);
	});

	it('fits the issue when Hub labels hold long backtick runs, cut at a line and saying so', async () => {
		const { github, issues } = fakeGithub();
		// drift prints each changed session's label in full: one run of backticks makes the fence
		// as long, twice over.
		const sessions = Array.from({ length: 8 }, (_, i) =>
			[`  s${i}  codesess_${i} "${'`'.repeat(7000)} x"`, '      ~ label: changed'].join('\n')
		);
		const report = ['coder-sessions drift for stack web (sessions.yaml)', '', ...sessions, ''].join(
			'\n'
		);
		writeFileSync(join(temp, 'coder-sessions-out', 'drift.txt'), report);
		process.env.EXITCODE = '6';
		await driftIssue.reportDrift({ github, context, core });
		expect(issues).toHaveLength(1);
		const body = issues[0]!.body;
		expect(body.length).toBeLessThanOrEqual(65_000);
		expect(markdownProblems(body, 'drift issue')).toEqual([]);
		expect(body).toContain('  s0  codesess_0 ');
		expect(body).not.toContain('  s7  codesess_7 ');
		expect(body).toMatch(
			/\n`{7001}\n\n_The report is cut here to fit the issue; \[run 99\]\(https:\/\/github\.com\/acme\/sessions\/actions\/runs\/99\) has it all\._$/
		);
	});
});

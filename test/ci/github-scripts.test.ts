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
	body: string;
	state?: string;
	title?: string;
	comments?: string[];
}

function fakeGithub() {
	const comments: Item[] = [];
	const issues: Item[] = [];
	let next = 1;
	const rest = {
		issues: {
			listComments: async () => ({ data: comments }),
			createComment: async ({ issue_number, body }: { issue_number: number; body: string }) => {
				const issue = issues.find((i) => i.number === issue_number);
				if (issue) (issue.comments ??= []).push(body);
				else comments.push({ id: next, number: next++, body });
			},
			updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
				comments.find((c) => c.id === comment_id)!.body = body;
			},
			listForRepo: async () => ({ data: issues.filter((i) => i.state === 'open') }),
			create: async ({ title, body }: { title: string; body: string }) => {
				const issue = { id: next, number: next++, title, body, state: 'open' };
				issues.push(issue);
				return { data: issue };
			},
			update: async (patch: { issue_number: number; body?: string; state?: string }) => {
				const issue = issues.find((i) => i.number === patch.issue_number)!;
				if (patch.body !== undefined) issue.body = patch.body;
				if (patch.state !== undefined) issue.state = patch.state;
			},
		},
	};
	const github = {
		rest,
		paginate: async (fn: (args: object) => Promise<{ data: Item[] }>, args: object) =>
			(await fn(args)).data,
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
});

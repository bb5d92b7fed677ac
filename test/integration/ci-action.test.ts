/**
 * The CI action's plan and apply steps (action/*.sh) as a workflow runs them: the real CLI on a
 * local Hub, GitHub answered by a stub `gh`. On a push to main the plan of main is applied only
 * when it equals the plan reviewed on the merged pull request; anything else waits for approval.
 */
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionWorkspace, type ActionWorkspace } from '../support/action-run.js';
import { runCli } from '../support/cli.js';
import { loadSpec } from '../../src/index.js';
import { planSessions } from '../../src/plan/diff.js';
import { startProxy } from '../support/apply-helpers.js';
import {
	hubForTest,
	liveIdsByKey,
	writeSpec,
	type SpecDoc,
	type TestHub,
} from '../support/local-hub.js';

const SHA = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const WORKFLOW = '.github/workflows/coder-sessions.yml';

const reviewed: SpecDoc = {
	stack: 'ci',
	sessions: { docs: { task: 'Review the docs.' }, api: { task: 'Review the API.' } },
};
/** main after a later pull request (whose own apply never ran) added a session. */
const mainAhead: SpecDoc = {
	stack: 'ci',
	sessions: { ...reviewed.sessions, faq: { task: 'Refresh the FAQ.' } },
};

const REPO = 'acme/sessions';
const FORK = 'mallory/sessions';

const mergedPull = [
	{
		merged_at: '2026-01-01T00:00:00Z',
		merge_commit_sha: SHA,
		head: { sha: HEAD, repo: { full_name: REPO } },
		base: { repo: { full_name: REPO } },
	},
];
/** A workflow run as GitHub lists it: the repository's own plan workflow on the pull request. */
const workflowRun = (fields: Record<string, unknown> = {}) => ({
	id: 4242,
	path: WORKFLOW,
	event: 'pull_request',
	status: 'completed',
	conclusion: 'success',
	head_sha: HEAD,
	repository: { full_name: REPO },
	head_repository: { full_name: REPO },
	...fields,
});
const planRun = [workflowRun()];

async function workspace(onTestFinished: (fn: () => Promise<void>) => void) {
	const hub = await hubForTest(onTestFinished);
	const dir = await mkdtemp(join(tmpdir(), 'ci-action-'));
	onTestFinished(() => rm(dir, { recursive: true, force: true }));
	return { hub, dir, ws: await actionWorkspace(dir, hub.url) };
}

/** The pull request's plan step; returns the saved plan, as the artifact would hold it. */
async function planPullRequest(
	ws: ActionWorkspace,
	spec: SpecDoc,
	env: Record<string, string> = {}
): Promise<string> {
	await writeSpec(ws.dir, 'sessions.yaml', spec);
	const planned = await ws.run('plan', { GITHUB_EVENT_NAME: 'pull_request', ...env });
	expect(planned.code, planned.stderr).toBe(0);
	expect(planned.outputs).toMatchObject({ stage: 'plan', exitcode: '2' });
	const saved = join(ws.dir, 'reviewed-plan.json');
	await copyFile(ws.out('plan.json'), saved);
	return saved;
}

const keysOnHub = async (hub: TestHub) => Object.keys(await liveIdsByKey(hub, 'ci')).sort();

describe.concurrent('the CI action on a push to main', () => {
	it('applies the plan of main when its fingerprint equals the reviewed plan', async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		const plan = await planPullRequest(ws, reviewed);
		await ws.stubGithub({ pulls: mergedPull, runs: planRun, plan });

		const run = await ws.run('apply', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });

		expect(run.code, run.stderr).toBe(0);
		expect(run.outputs['approval-required']).toBeUndefined();
		expect(run.outputs).toMatchObject({ exitcode: '0' });
		expect(run.outputs.failed).toBeUndefined();
		expect(run.summary).toContain('equals the reviewed plan');
		expect(await keysOnHub(hub)).toEqual(['api', 'docs']);
		const calls = await ws.ghCalls();
		expect(calls.some((call) => call.includes(`head_sha=${HEAD}`))).toBe(true);
		expect(calls.some((call) => call.startsWith('run download 4242'))).toBe(true);
	});

	it('hands a plan of main that differs from the reviewed one to approval, applying nothing', async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		const plan = await planPullRequest(ws, reviewed);
		await ws.stubGithub({ pulls: mergedPull, runs: planRun, plan });
		await writeSpec(ws.dir, 'sessions.yaml', mainAhead);

		const run = await ws.run('apply', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });

		expect(run.code, run.stderr).toBe(0);
		expect(run.outputs['approval-required']).toBe('true');
		expect(run.summary).toContain('differs from the plan reviewed');
		// The plan to approve is in the summary once, whatever the CLI writes there itself.
		expect(run.summary.match(/coder-sessions plan: ci/g)).toHaveLength(1);
		expect(await keysOnHub(hub)).toEqual([]);

		// The approved job applies exactly the plan of main that was shown: all three sessions.
		const approved = await ws.run('apply-approved', { PLAN: ws.out('main-plan.json') });
		expect(approved.code, approved.stderr).toBe(0);
		expect(await keysOnHub(hub)).toEqual(['api', 'docs', 'faq']);
	});

	it('sends a direct push to approval instead of failing on a missing run', async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', reviewed);
		await ws.stubGithub({ pulls: [], runs: [] });

		const run = await ws.run('apply', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });

		expect(run.code, run.stderr).toBe(0);
		expect(run.outputs['approval-required']).toBe('true');
		expect(run.summary).toContain('pushed directly');
		expect(existsSync(ws.out('main-plan.json'))).toBe(true);
		expect((await ws.ghCalls()).some((call) => call.startsWith('run download'))).toBe(false);
		expect(await keysOnHub(hub)).toEqual([]);
	});

	it('sends a merge whose pull request has no successful plan run to approval', async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', reviewed);
		await ws.stubGithub({
			pulls: mergedPull,
			runs: [workflowRun({ id: 7, path: '.github/workflows/other.yml' })],
		});

		const run = await ws.run('apply', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });

		expect(run.outputs['approval-required']).toBe('true');
		expect(run.summary).toContain('no successful plan run');
		expect(await keysOnHub(hub)).toEqual([]);
	});

	it('plans main for approval when run by hand (workflow_dispatch), asking GitHub only about the approval environment', async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', reviewed);
		await ws.stubGithub({ pulls: [], runs: [] });

		const run = await ws.run('apply', { GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_SHA: SHA });

		expect(run.outputs['approval-required']).toBe('true');
		expect(await ws.ghCalls()).toEqual([
			expect.stringMatching(/^api repos\/acme\/sessions\/environments\/coder-sessions-apply /),
		]);
	});

	it('needs no approval when main plans no changes', async ({ onTestFinished }) => {
		const { hub, ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', reviewed);
		await ws.stubGithub({ pulls: [], runs: [] });
		const first = await ws.run('apply', {
			GITHUB_EVENT_NAME: 'workflow_dispatch',
			GITHUB_SHA: SHA,
		});
		expect((await ws.run('apply-approved', { PLAN: ws.out('main-plan.json') })).code).toBe(0);
		expect(first.outputs['approval-required']).toBe('true');

		const again = await ws.run('apply', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });

		expect(again.outputs).toMatchObject({ exitcode: '0' });
		expect(again.outputs['approval-required']).toBeUndefined();
		expect(again.summary).toContain('No changes');
		expect(await keysOnHub(hub)).toEqual(['api', 'docs']);
	});
});

describe.concurrent('the CI action trusts only plans its own workflow made for this Hub', () => {
	const fingerprintIn = async (file: string) =>
		(JSON.parse(await readFile(file, 'utf8')) as { plan: { fingerprint: string } }).plan
			.fingerprint;

	it("never applies a plan uploaded by a fork's run of its own workflow file for the same commit", async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		// The fork pushed the pull request's commit and ran its own copy of the workflow file
		// (same path) on it: its artifact holds exactly the fingerprint main will plan.
		const plan = await planPullRequest(ws, reviewed);
		const forkRun = workflowRun({ id: 666, head_repository: { full_name: FORK } });
		await ws.stubGithub({ pulls: mergedPull, runs: [forkRun], plan });

		const result = await ws.run('apply', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });

		expect(result.code, result.stderr).toBe(0);
		expect(result.outputs['approval-required']).toBe('true');
		expect(result.summary).toContain(
			`no successful plan run of ${WORKFLOW} for the pull request's last commit ${HEAD.slice(0, 12)} from a branch of ${REPO}`
		);
		expect((await ws.ghCalls()).some((call) => call.startsWith('run download'))).toBe(false);
		expect(await keysOnHub(hub)).toEqual([]);
	});

	it('never trusts the plan run of a pull request from a fork', async ({ onTestFinished }) => {
		const { hub, ws } = await workspace(onTestFinished);
		const plan = await planPullRequest(ws, reviewed);
		const fromFork = [{ ...mergedPull[0], head: { sha: HEAD, repo: { full_name: FORK } } }];
		const forkRun = workflowRun({ head_repository: { full_name: FORK } });
		await ws.stubGithub({ pulls: fromFork, runs: [forkRun, ...planRun], plan });

		const result = await ws.run('apply', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });

		expect(result.outputs['approval-required']).toBe('true');
		expect(result.summary).toContain(`the pull request came from ${FORK}`);
		expect((await ws.ghCalls()).some((call) => call.startsWith('run download'))).toBe(false);
		expect(await keysOnHub(hub)).toEqual([]);
	});

	it('takes the run of its own workflow among runs of other events, repositories and outcomes', async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		const plan = await planPullRequest(ws, reviewed);
		const decoys = [
			workflowRun({ id: 1, event: 'pull_request_target' }),
			workflowRun({ id: 2, conclusion: 'failure' }),
			workflowRun({ id: 3, repository: { full_name: FORK } }),
			workflowRun({ id: 4, head_sha: 'c'.repeat(40) }),
			workflowRun({ id: 5, head_repository: null }),
			workflowRun({ id: 6, path: `${WORKFLOW}.bak` }),
		];
		await ws.stubGithub({ pulls: mergedPull, runs: [...decoys, ...planRun], plan });

		const result = await ws.run('apply', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });

		expect(result.code, result.stderr).toBe(0);
		expect(result.outputs['approval-required']).toBeUndefined();
		const downloads = (await ws.ghCalls()).filter((call) => call.startsWith('run download'));
		expect(downloads).toEqual([expect.stringMatching(/^run download 4242 /)]);
		expect(await keysOnHub(hub)).toEqual(['api', 'docs']);
	});

	it('does not apply a reviewed plan made for another Hub, though its changes are the same creates', async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		const elsewhere = await hubForTest(onTestFinished);
		const plan = await planPullRequest(ws, reviewed, { AGENTUITY_CODER_URL: elsewhere.url });
		await ws.stubGithub({ pulls: mergedPull, runs: planRun, plan });

		const result = await ws.run('apply', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });

		expect(result.outputs['approval-required']).toBe('true');
		expect(result.summary).toContain('differs from the plan reviewed');
		expect(await keysOnHub(hub)).toEqual([]);
		expect(await keysOnHub(elsewhere)).toEqual([]);
	});

	it('makes a fingerprint the spec alone does not give: it covers the Hub', async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		const plan = await planPullRequest(ws, reviewed);
		// What anyone with the spec computes without a Hub: the creates of every entry.
		const spec = await loadSpec(['sessions.yaml'], { cwd: ws.dir });
		const offline = planSessions(spec, []);
		expect(offline.actions.map((action) => action.kind)).toEqual(['create', 'create']);

		expect(await fingerprintIn(plan)).not.toBe(offline.fingerprint);
	});
});

describe.concurrent('the CI action after an apply that ran in part', () => {
	it('plans what is left for approval and fails the apply job', async ({ onTestFinished }) => {
		const { hub, dir } = await workspace(onTestFinished);
		// The Hub refuses the create of one session: apply exits 5 with the other one created.
		const proxy = await startProxy(hub.url, (request) =>
			request.method === 'POST' &&
			/\/hub\/session(\?|$)/.test(request.path) &&
			JSON.stringify(request.body).includes('Review the API.')
				? { status: 400, body: { error: 'refused' } }
				: undefined
		);
		onTestFinished(() => proxy.close());
		const ws = await actionWorkspace(dir, proxy.url);
		const plan = await planPullRequest(ws, reviewed);
		await ws.stubGithub({ pulls: mergedPull, runs: planRun, plan });

		const run = await ws.run('apply', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });

		expect(run.code, run.stderr).toBe(0);
		expect(run.outputs).toMatchObject({ failed: 'true', 'approval-required': 'true' });
		expect(run.summary).toContain('apply of the reviewed plan exited 5');
		expect(await keysOnHub(hub)).toEqual(['docs']);
	});
});

describe.concurrent('the CI action on a pull request', () => {
	const withEnv: SpecDoc = {
		stack: 'ci',
		sessions: { docs: { task: 'Review the docs.', env: { TOKEN: '${DOCS_TOKEN}' } } },
	};

	it('fails the plan of a create whose env variable the job lacks, naming it', async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', withEnv);

		const run = await ws.run('plan', { GITHUB_EVENT_NAME: 'pull_request' });

		expect(run.code).toBe(0);
		expect(run.outputs).toMatchObject({ stage: 'plan', exitcode: '1' });
		expect(run.stderr).toContain('sessions.docs.env.TOKEN: DOCS_TOKEN is not set');
		expect(existsSync(ws.out('plan.json'))).toBe(false);
	});

	it('plans it with allow-missing-env, the note in the comment and the summary', async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', withEnv);

		const run = await ws.run('plan', {
			GITHUB_EVENT_NAME: 'pull_request',
			ALLOW_MISSING_ENV: 'true',
		});

		expect(run.outputs).toMatchObject({ stage: 'plan', exitcode: '2' });
		expect(run.summary).toContain('this plan cannot promise create docs');
		expect(await readFile(ws.out('plan.md'), 'utf8')).toContain('cannot promise create docs');
	});

	it('records a failed validate so the comment step replaces the plan', async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', 'version: 1\nstack: ci\nsessions: { docs: {} }\n');

		const run = await ws.run('plan', { GITHUB_EVENT_NAME: 'pull_request' });

		expect(run.code).toBe(0);
		expect(run.outputs.stage).toBe('validate');
		expect(run.outputs.exitcode).toBe('1');
		expect(existsSync(ws.out('plan.json'))).toBe(false);
	});
});

/** The merge_group event of a queued pull request #42. */
const QUEUE_REF = `refs/heads/gh-readonly-queue/main/pr-42-${'d'.repeat(40)}`;
const queuedPull = { number: 42, head: { sha: HEAD, repo: { full_name: REPO } } };
const queued = {
	GITHUB_EVENT_NAME: 'merge_group',
	GITHUB_SHA: SHA,
	MERGE_GROUP_HEAD_REF: QUEUE_REF,
};

describe.concurrent('the CI action in a merge queue (merge_group)', () => {
	it('applies the queued commit when its plan equals the reviewed plan: the entry passes', async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		const plan = await planPullRequest(ws, reviewed);
		await ws.stubGithub({ pull: queuedPull, runs: planRun, plan });

		const run = await ws.run('apply', queued);

		expect(run.code, run.stderr).toBe(0);
		expect(run.outputs).toMatchObject({ exitcode: '0' });
		expect(run.outputs.failed).toBeUndefined();
		expect(run.outputs['approval-required']).toBeUndefined();
		expect(run.summary).toContain('The plan of the queued commit equals the reviewed plan');
		expect(await keysOnHub(hub)).toEqual(['api', 'docs']);
		const calls = await ws.ghCalls();
		expect(calls.some((call) => call.startsWith('api repos/acme/sessions/pulls/42 '))).toBe(true);
		expect(calls.some((call) => call.includes(`head_sha=${HEAD}`))).toBe(true);
	});

	it('hands a queued commit whose plan differs to approval, applying nothing until then', async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		const plan = await planPullRequest(ws, reviewed);
		await ws.stubGithub({ pull: queuedPull, runs: planRun, plan });
		await writeSpec(ws.dir, 'sessions.yaml', mainAhead);

		const run = await ws.run('apply', queued);

		expect(run.outputs['approval-required']).toBe('true');
		expect(run.summary).toContain('to apply this plan of the queued commit');
		expect(run.summary).toContain('differs from the plan reviewed on the pull request');
		expect(await keysOnHub(hub)).toEqual([]);
		const approved = await ws.run('apply-approved', { PLAN: ws.out('main-plan.json') });
		expect(approved.code, approved.stderr).toBe(0);
		expect(await keysOnHub(hub)).toEqual(['api', 'docs', 'faq']);
	});

	it('fails the entry when its apply runs in part, handing nothing over: main will not hold it', async ({
		onTestFinished,
	}) => {
		const { hub, dir } = await workspace(onTestFinished);
		const proxy = await startProxy(hub.url, (request) =>
			request.method === 'POST' &&
			/\/hub\/session(\?|$)/.test(request.path) &&
			JSON.stringify(request.body).includes('Review the API.')
				? { status: 400, body: { error: 'refused' } }
				: undefined
		);
		onTestFinished(() => proxy.close());
		const ws = await actionWorkspace(dir, proxy.url);
		const plan = await planPullRequest(ws, reviewed);
		await ws.stubGithub({ pull: queuedPull, runs: planRun, plan });

		const run = await ws.run('apply', queued);

		expect(run.code, run.stderr).toBe(0);
		expect(run.outputs).toMatchObject({ exitcode: '5', failed: 'true' });
		expect(run.outputs['approval-required']).toBeUndefined();
		expect(run.summary).toContain('this queue entry fails and is not merged');
		expect(await keysOnHub(hub)).toEqual(['docs']);
	});

	it('never trusts a queued pull request from a fork, and one it cannot tie to a pull request', async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		const plan = await planPullRequest(ws, reviewed);
		const fromFork = { number: 42, head: { sha: HEAD, repo: { full_name: FORK } } };
		await ws.stubGithub({ pull: fromFork, runs: planRun, plan });

		const fork = await ws.run('apply', queued);
		expect(fork.outputs['approval-required']).toBe('true');
		expect(fork.summary).toContain(`the pull request came from ${FORK}`);

		const unknown = await ws.run('apply', { ...queued, MERGE_GROUP_HEAD_REF: '' });
		expect(unknown.outputs['approval-required']).toBe('true');
		expect(unknown.summary).toContain('no pull request found behind the queued commit');
		expect((await ws.ghCalls()).some((call) => call.startsWith('run download'))).toBe(false);
		expect(await keysOnHub(hub)).toEqual([]);
	});
});

/** A stack whose plan does not fit a comment: `count` creates with long tasks. */
function largeSpec(count: number): SpecDoc {
	const task = (i: number) =>
		`Work through shard ${i} of the migration backlog. ${'Check each record, fix what is broken, and write down what was changed. '.repeat(6)}`;
	return {
		stack: 'ci',
		sessions: Object.fromEntries(
			Array.from({ length: count }, (_, i) => [
				`worker-${String(i + 1).padStart(3, '0')}`,
				{ task: task(i + 1) },
			])
		),
	};
}

/** The large spec as sessions.yaml, in fmt's layout (the plan job checks it). */
async function writeLargeSpec(dir: string, count: number): Promise<void> {
	await writeSpec(dir, 'sessions.yaml', largeSpec(count));
	const formatted = await runCli(['fmt', 'sessions.yaml'], { cwd: dir });
	expect(formatted.code, formatted.stderr).toBe(0);
}

describe.concurrent('the CI action puts the whole plan in the step summary', () => {
	it('plan mode: every action with its details in the summary, the comment shortened', async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		await writeLargeSpec(ws.dir, 250);

		const run = await ws.run('plan', { GITHUB_EVENT_NAME: 'pull_request' });

		expect(run.outputs).toMatchObject({ stage: 'plan', exitcode: '2' });
		const comment = await readFile(ws.out('plan.md'), 'utf8');
		expect(comment.length).toBeLessThanOrEqual(60_000);
		expect(comment).toMatch(/Details of \d+ actions are left out/);
		expect(run.summary).not.toContain('are left out');
		expect(run.summary.match(/<details>/g)).toHaveLength(250);
		for (const i of [1, 125, 250])
			expect(run.summary).toContain(`+ task: "Work through shard ${i} of`);
		expect(run.summary.match(/### coder-sessions plan: ci/g)).toHaveLength(1);
		expect(Buffer.byteLength(run.summary)).toBeGreaterThan(comment.length + 20_000);
	});

	it('apply mode: the verdict first, then the whole plan that waits for approval, once', async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		await writeLargeSpec(ws.dir, 250);
		await ws.stubGithub({ pulls: [], runs: [] });

		const run = await ws.run('apply', { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA });

		expect(run.outputs['approval-required']).toBe('true');
		expect(run.summary.startsWith('**Approval required**')).toBe(true);
		expect(run.summary.indexOf('Approval required')).toBeLessThan(
			run.summary.indexOf('### coder-sessions plan: ci')
		);
		expect(run.summary.match(/### coder-sessions plan: ci/g)).toHaveLength(1);
		expect(run.summary.match(/<details>/g)).toHaveLength(250);
		expect(run.summary).not.toContain('are left out');
	});
});

describe.concurrent('the CI action args input', () => {
	it('passes coder-sessions flags to plan, split without a shell and with nothing expanded', async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', reviewed);

		const only = await ws.run('plan', {
			GITHUB_EVENT_NAME: 'pull_request',
			ARGS: "--only 'do*'  # the docs session\n--parallelism 2",
		});
		expect(only.outputs).toMatchObject({ stage: 'plan', exitcode: '2' });
		const comment = await readFile(ws.out('plan.md'), 'utf8');
		expect(comment).toContain('<b>docs</b>');
		expect(comment).not.toContain('<b>api</b>');

		const literal = await ws.run('plan', {
			GITHUB_EVENT_NAME: 'pull_request',
			ARGS: '--only "$(touch pwned)" --select \'`touch pwned2`\'',
		});
		expect(literal.outputs).toMatchObject({ stage: 'plan', exitcode: '1' });
		expect(literal.stderr).toContain('$(touch pwned)');
		expect(existsSync(join(ws.dir, 'pwned'))).toBe(false);
		expect(existsSync(join(ws.dir, 'pwned2'))).toBe(false);
	});

	it('refuses a flag the action sets itself, or a word that is no flag, naming it', async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', reviewed);
		for (const [args, says] of [
			['--format json', '--format is set by the action'],
			['-f other.yaml', '-f is set by the files input'],
			['other.yaml', '"other.yaml" is not a flag'],
			['--no-such-flag', '--no-such-flag is not a flag the action passes on'],
			["--org 'unclosed", "a ' that is never closed"],
		] as const) {
			const run = await ws.run('plan', { GITHUB_EVENT_NAME: 'pull_request', ARGS: args });
			expect(run.outputs, args).toMatchObject({ stage: 'plan', exitcode: '1' });
			expect(run.stdout).toContain(`::error::coder-sessions: the args input holds ${says}`);
			expect(existsSync(ws.out('plan.json'))).toBe(false);
		}
	});

	it('gives the apply of the saved plan the flags it takes, and leaves the scope to the plan', async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		const plan = await planPullRequest(ws, reviewed);
		await ws.stubGithub({ pulls: mergedPull, runs: planRun, plan });

		const run = await ws.run('apply', {
			GITHUB_EVENT_NAME: 'push',
			GITHUB_SHA: SHA,
			ARGS: '--parallelism 1 --verbose --allow-removals 0',
		});

		expect(run.code, run.stderr).toBe(0);
		expect(run.outputs).toMatchObject({ exitcode: '0' });
		expect(run.stderr).toMatch(/hub: POST \/api\/hub\/session 20\d/);
		expect(run.stderr).toContain('--allow-removals is left out of plan: it is for apply');
		expect(await keysOnHub(hub)).toEqual(['api', 'docs']);
	});
});

describe.concurrent('the CI action checks that the approval is one', () => {
	const directPush = { GITHUB_EVENT_NAME: 'push', GITHUB_SHA: SHA };

	it('names the required reviewers it found, and hands the plan over', async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', reviewed);
		await ws.stubGithub({ environment: { reviewers: 2 } });

		const run = await ws.run('apply', directPush);

		expect(run.outputs['approval-required']).toBe('true');
		expect(run.summary).toContain(
			'the environment coder-sessions-apply has required reviewers (2 listed)'
		);
		expect(run.stdout).not.toContain('::warning::');
	});

	for (const [environment, says] of [
		[{ reviewers: 0 }, 'the environment coder-sessions-apply has no required reviewers'],
		['missing', 'there is no environment coder-sessions-apply: GitHub creates it on first use'],
	] as const) {
		it(`hands nothing to an approval no one gives (${JSON.stringify(environment)}), and fails`, async ({
			onTestFinished,
		}) => {
			const { hub, ws } = await workspace(onTestFinished);
			await writeSpec(ws.dir, 'sessions.yaml', reviewed);
			await ws.stubGithub({ environment });

			const run = await ws.run('apply', directPush);

			expect(run.code, run.stderr).toBe(0);
			expect(run.outputs['approval-required']).toBeUndefined();
			expect(run.outputs.failed).toBe('true');
			expect(run.summary).toContain('**Not applied, and not handed to approval:**');
			expect(run.summary).toContain(says);
			expect(run.stdout).toMatch(/^::error::coder-sessions: .*not handed over/m);
			expect(await keysOnHub(hub)).toEqual([]);
		});
	}

	it('says when it cannot check, and hands the plan over', async ({ onTestFinished }) => {
		const { ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', reviewed);
		await ws.stubGithub({ environment: 'forbidden' });

		const run = await ws.run('apply', directPush);

		expect(run.outputs['approval-required']).toBe('true');
		expect(run.summary).toContain('could not check the environment coder-sessions-apply');
		expect(run.stdout).toMatch(/^::warning::coder-sessions: could not check .*HTTP 403/m);
	});

	it("with require-reviewers: 'false', hands over and says no one approves", async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', reviewed);
		await ws.stubGithub({ environment: { reviewers: 0 } });

		const run = await ws.run('apply', { ...directPush, REQUIRE_REVIEWERS: 'false' });

		expect(run.outputs['approval-required']).toBe('true');
		expect(run.summary).toContain('**No one approves:**');
	});

	it('apply-approved applies nothing when the environment has no required reviewers', async ({
		onTestFinished,
	}) => {
		const { hub, ws } = await workspace(onTestFinished);
		await writeSpec(ws.dir, 'sessions.yaml', reviewed);
		await ws.stubGithub({});
		const handed = await ws.run('apply', directPush);
		expect(handed.outputs['approval-required']).toBe('true');
		// The reviewers were removed while the job waited: it ran without an approval.
		await ws.stubGithub({ environment: { reviewers: 0 } });

		const approved = await ws.run('apply-approved', { PLAN: ws.out('main-plan.json') });

		expect(approved.code).toBe(1);
		expect(approved.stdout).toContain('so nobody approved this job; nothing was applied');
		expect(await keysOnHub(hub)).toEqual([]);
		await ws.stubGithub({ environment: { reviewers: 1 } });
		const again = await ws.run('apply-approved', { PLAN: ws.out('main-plan.json') });
		expect(again.code, again.stderr).toBe(0);
		expect(await keysOnHub(hub)).toEqual(['api', 'docs']);
	});
});

describe.concurrent('the CI action working-directory', () => {
	it('plans one stack of a monorepo in its own directory, a directory of spec files too', async ({
		onTestFinished,
	}) => {
		const { ws } = await workspace(onTestFinished);
		const stack = join(ws.dir, 'stacks', 'web');
		await mkdir(join(stack, 'sessions.d'), { recursive: true });
		await writeSpec(stack, 'sessions.yaml', {
			stack: 'web',
			sessions: { docs: { task: 'Docs.' } },
		});
		await writeSpec(join(stack, 'sessions.d'), 'more.yaml', {
			stack: 'web',
			sessions: { api: { task: 'API.' } },
		});
		// Another stack's spec beside it is not read.
		await writeSpec(ws.dir, 'sessions.yaml', 'not: [a spec');

		const run = await ws.run(
			'plan',
			{ GITHUB_EVENT_NAME: 'pull_request', FILES: 'sessions.yaml\nsessions.d\n' },
			stack
		);

		expect(run.outputs, run.stderr).toMatchObject({ stage: 'plan', exitcode: '2' });
		const comment = await readFile(ws.out('plan.md'), 'utf8');
		expect(comment).toContain('### coder-sessions plan: web');
		expect(comment).toContain('<b>docs</b>');
		expect(comment).toContain('<b>api</b>');
	});
});

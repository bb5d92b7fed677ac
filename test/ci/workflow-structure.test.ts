import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';
import {
	actionFile,
	actionSteps,
	exampleWorkflows,
	jobsOf,
	readCiFile,
	type CiFile,
	type Job,
	type Step,
} from '../support/ci-files.js';

const SECRET = /\$\{\{\s*secrets\./;
const PINNED_ACTION = /^[\w.-]+\/coder-sessions@[0-9a-f]{40}$/;
const BARE_INSTALL = /npm\s+(install|i|add)\b[^\n]*\scoder-sessions(@[^\s]*)?(\s|$)/;

const workflows = exampleWorkflows();
const action = actionFile();
const installScript = readFileSync(join(projectRoot, 'action/install.sh'), 'utf8');
const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');

const usesOf = (job: Job) => (job.steps ?? []).map((step) => step.uses ?? '');
const coderSessionsSteps = (job: Job) =>
	(job.steps ?? []).filter((step) => step.uses?.includes('/coder-sessions@'));
const withOf = (step: Step) => (step.with ?? {}) as Record<string, unknown>;
const modeOf = (step: Step) => String(withOf(step).mode ?? 'plan');
const jobWithMode = (workflow: CiFile, mode: string) =>
	jobsOf(workflow).find(([, job]) => coderSessionsSteps(job).some((s) => modeOf(s) === mode));

describe.each(workflows.map((w) => [w.path, w] as [string, CiFile]))('%s', (_path, workflow) => {
	it('gives secrets to no workflow-level or job-level env, only to step env', () => {
		expect(JSON.stringify(workflow.doc.env ?? {})).not.toMatch(SECRET);
		for (const [, job] of jobsOf(workflow)) {
			expect(JSON.stringify(job.env ?? {})).not.toMatch(SECRET);
			for (const step of job.steps ?? []) {
				const { env, ...rest } = step;
				expect(JSON.stringify(rest)).not.toMatch(SECRET);
				if (SECRET.test(JSON.stringify(env ?? {}))) {
					expect(step.uses, `secrets on a step that is not coder-sessions`).toMatch(
						/\/coder-sessions@/
					);
				}
			}
		}
	});

	it('gives the Hub key to every coder-sessions step, the env key to all but the fork plan', () => {
		for (const [, job] of jobsOf(workflow)) {
			for (const step of coderSessionsSteps(job)) {
				const names = Object.keys(step.env ?? {});
				expect(names).toContain('AGENTUITY_SDK_KEY');
				// A fork's spec is planned with the Hub key alone: no secret its ${VAR} could read.
				if (modeOf(step) === 'plan-fork') expect(names).toEqual(['AGENTUITY_SDK_KEY']);
				else expect(names).toContain('CODER_SESSIONS_ENV_KEY');
			}
		}
	});

	it('never runs on pull_request_target', () => {
		expect(Object.keys(workflow.doc.on as object)).not.toContain('pull_request_target');
		expect(workflow.text).not.toMatch(/^\s*pull_request_target\s*:/m);
	});

	it('checks out without keeping the token, and deep enough for the base it plans against', () => {
		for (const [, job] of jobsOf(workflow)) {
			const checkout = (job.steps ?? []).find((step) => step.uses?.startsWith('actions/checkout@'));
			if (!checkout) continue;
			expect(withOf(checkout)['persist-credentials']).toBe(false);
			const base = coderSessionsSteps(job).map((step) => withOf(step).base)[0];
			// HEAD^1 of the pull request's merge commit: two commits, as README says.
			if (base === 'HEAD^1') expect(withOf(checkout)['fetch-depth']).toBe(2);
		}
	});

	it('runs applies in one concurrency group per stack that is never cancelled midway', () => {
		const applying = jobsOf(workflow).filter(([, job]) =>
			coderSessionsSteps(job).some((step) => modeOf(step).startsWith('apply'))
		);
		for (const [, job] of applying) {
			const concurrency = job.concurrency as { group: string; 'cancel-in-progress': boolean };
			expect(concurrency.group).toMatch(/^coder-sessions-apply(-\$\{\{ inputs\.stack \}\})?$/);
			expect(concurrency['cancel-in-progress']).toBe(false);
		}
	});

	it('puts the approval path behind an environment, also after a failed apply job', () => {
		const approved = jobWithMode(workflow, 'apply-approved');
		if (!approved) return;
		const [, job] = approved;
		expect(job.environment).toBe('coder-sessions-apply');
		expect(String(job.if)).toContain('!cancelled()');
		expect(String(job.if)).toContain("approval-required == 'true'");
	});

	it('pins the coder-sessions action to a full commit sha and never installs the bare name', () => {
		const used = jobsOf(workflow).flatMap(([, job]) => usesOf(job));
		for (const uses of used.filter((u) => u.includes('/coder-sessions@')))
			expect(uses).toMatch(PINNED_ACTION);
		expect(workflow.text).not.toMatch(BARE_INSTALL);
	});
});

describe('examples/ci/coder-sessions.yml', () => {
	const workflow = readCiFile('examples/ci/coder-sessions.yml');
	const on = workflow.doc.on as Record<string, { paths?: string[] } | null>;

	it('plans every pull request (a required check must report), in the merge queue too', () => {
		expect(Object.keys(on)).toEqual(
			expect.arrayContaining([
				'pull_request',
				'merge_group',
				'push',
				'workflow_dispatch',
				'schedule',
			])
		);
		expect(on.pull_request?.paths).toBeUndefined();
		const [, apply] = jobWithMode(workflow, 'apply')!;
		expect(String(apply.if)).toContain("github.event_name == 'merge_group'");
	});

	it('reports one required check, coder-sessions, from the plan or the applied queue entry', () => {
		const [, check] = jobsOf(workflow).find(([, job]) => job.name === 'coder-sessions')!;
		expect(check.needs).toEqual(['plan', 'apply', 'apply-approved']);
		expect(String(check.if)).toContain('always()');
		expect(String(check.if)).toContain('merge_group');
		const run = String(check.steps?.[0]?.run);
		for (const result of ['$PLAN', '$APPLY', '$APPROVED']) expect(run).toContain(result);
	});

	it('has a nightly drift job and a way to apply by hand', () => {
		expect((on as { schedule?: unknown[] }).schedule?.length).toBeGreaterThan(0);
		expect(jobWithMode(workflow, 'drift')).toBeDefined();
		expect(Object.keys(on)).toContain('workflow_dispatch');
	});
});

describe('examples/ci/coder-sessions-fork.yml', () => {
	const workflow = readCiFile('examples/ci/coder-sessions-fork.yml');
	const main = readCiFile('examples/ci/coder-sessions.yml');

	it("runs after the pull request workflow's runs, for forks only, from the base repository", () => {
		const on = workflow.doc.on as { workflow_run: { workflows: string[]; types: string[] } };
		expect(on.workflow_run.workflows).toEqual([main.doc.name]);
		expect(on.workflow_run.types).toEqual(['completed']);
		const [, job] = jobWithMode(workflow, 'plan-fork')!;
		expect(String(job.if)).toContain("github.event.workflow_run.event == 'pull_request'");
		expect(String(job.if)).toContain(
			'github.event.workflow_run.head_repository.full_name != github.repository'
		);
		expect(job.permissions).toEqual({
			contents: 'read',
			actions: 'read',
			'pull-requests': 'write',
		});
	});

	it("never checks out or runs the fork's code", () => {
		for (const [, job] of jobsOf(workflow)) {
			for (const step of job.steps ?? []) {
				expect(step.run).toBeUndefined();
				if (step.uses?.startsWith('actions/checkout@')) expect(withOf(step).ref).toBeUndefined();
			}
		}
		expect(workflow.text).not.toMatch(/head_sha\s*\}\}\s*$/m);
	});
});

describe('examples/ci/monorepo.yml and monorepo-stack.yml', () => {
	const caller = readCiFile('examples/ci/monorepo.yml');
	const stack = readCiFile('examples/ci/monorepo-stack.yml');

	it('runs the stack workflow once per changed stack', () => {
		const [, job] = jobsOf(caller).find(([name]) => name === 'stack')!;
		expect(job.uses).toBe('./.github/workflows/monorepo-stack.yml');
		expect(existsSync(join(projectRoot, 'examples/ci/monorepo-stack.yml'))).toBe(true);
		const matrix = (job.strategy as { matrix: { stack: string } }).matrix;
		expect(matrix.stack).toBe('${{ fromJSON(needs.changes.outputs.stacks) }}');
		expect(job.needs).toBe('changes');
	});

	it("keeps each stack's directory, artifacts, comment and drift issue apart", () => {
		for (const [, job] of jobsOf(stack)) {
			for (const step of coderSessionsSteps(job)) {
				expect(withOf(step)['working-directory']).toBe('stacks/${{ inputs.stack }}');
				expect(withOf(step)['artifact-name']).toBe('coder-sessions-plan-${{ inputs.stack }}');
			}
		}
	});
});

describe('README and the examples agree', () => {
	const ci = readme.slice(readme.indexOf('## CI recipe'), readme.indexOf('## The local Hub'));

	it('names every example workflow in the CI recipe', () => {
		for (const workflow of workflows) expect(ci).toContain(workflow.path);
	});

	it('asks for fetch-depth 2 with base HEAD^1, as the example checks out', () => {
		expect(ci).toContain('fetch-depth: 2');
		expect(readme).not.toMatch(/HEAD\^1[^\n]*fetch-depth: 0|fetch-depth: 0[^\n]*HEAD\^1/);
	});

	it('has a setup checklist', () => {
		expect(ci).toMatch(/^- \[ \] /m);
	});
});

describe('action.yml', () => {
	const steps = actionSteps(action);

	it('is a composite action with the documented inputs', () => {
		expect((action.doc.runs as { using: string }).using).toBe('composite');
		const inputs = Object.keys(action.doc.inputs as object);
		expect(inputs).toEqual(
			expect.arrayContaining([
				'mode',
				'files',
				'working-directory',
				'args',
				'base',
				'check-format',
				'require-reviewers',
				'approval-environment',
				'version',
				'github-token',
			])
		);
		for (const input of inputs) expect(readme).toContain(`\`${input}\``);
	});

	it('reads no secrets itself and installs with an emptied environment from a pinned ref', () => {
		expect(action.text).not.toMatch(SECRET);
		expect(action.text).not.toMatch(BARE_INSTALL);
		expect(installScript).not.toMatch(BARE_INSTALL);
		expect(installScript).toMatch(/env -i/);
		for (const line of installScript.split('\n').filter((l) => /\bnpm (ci|install)\b/.test(l))) {
			expect(line).toContain('clean_env[@]');
		}
		expect(installScript).toContain('^[0-9a-f]{40}$');
		expect(steps.some((step) => step.run?.includes('install.sh'))).toBe(true);
	});

	it('caches the build under the pinned commit, restored before the install', () => {
		const names = steps.map((step) => String(step.name));
		const cache = steps.find((step) => step.uses?.startsWith('actions/cache@'));
		expect(withOf(cache!).key).toBe('${{ steps.cache-key.outputs.key }}');
		expect(names.indexOf(String(cache!.name))).toBeLessThan(
			names.findIndex((name) => name.startsWith('Install coder-sessions'))
		);
	});

	it('runs each mode in the working directory, and hands inputs to scripts only through env', () => {
		for (const step of steps.filter((s) =>
			/action\/(plan|apply|apply-approved|fork-plan|drift)\.sh/.test(s.run ?? '')
		)) {
			expect(step['working-directory']).toBe('${{ inputs.working-directory }}');
		}
		for (const step of steps.filter((s) => s.run)) expect(step.run).not.toMatch(/\$\{\{/);
	});

	it('replaces the pull-request comment after a failed validate or plan', () => {
		const comment = steps.find((step) => String(step.name).startsWith('Comment the plan'));
		expect(String(comment?.if)).toContain('!cancelled()');
		const upload = steps.find((step) => String(step.name).startsWith('Upload the saved plan'));
		expect(String(upload?.if)).toContain("exitcode == '2'");
	});
});

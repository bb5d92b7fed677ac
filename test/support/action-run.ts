/**
 * Runs the action's step scripts (action/*.sh) as GitHub Actions would: a runner temp
 * directory, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and a stub `gh` on PATH that answers
 * the GitHub API from JSON files (through jq, as gh --jq does) and "downloads" a saved plan.
 */
import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CLI_TIMEOUT_MS, cliPath, projectRoot } from './cli.js';
import { TEST_ENV_SECRET } from './session-builders.js';

const GH_STUB = `#!/usr/bin/env bash
set -euo pipefail
if [ "$1" = --version ]; then echo "gh version 2.62.0 (2024-11-14)"; exit 0; fi
echo "$*" >> "$GH_STUB_DIR/calls.log"
if [ "$1" = api ]; then
	url="$2"; shift 2; expr=.
	while [ $# -gt 0 ]; do if [ "$1" = --jq ]; then expr="$2"; shift 2; else shift; fi; done
	case "$url" in
		*/commits/*/pulls) file=pulls.json ;;
		*/pulls/[0-9]*) file=pull.json ;;
		*/pulls\?*) file=open-pulls.json ;;
		*/environments/*) file=environment.json ;;
		*/actions/runs/*/artifacts*) file=artifacts.json ;;
		*/actions/runs*) file=runs.json ;;
		*) echo "stub gh: unexpected api $url" >&2; exit 1 ;;
	esac
	if [ -f "$GH_STUB_DIR/$file.error" ]; then cat "$GH_STUB_DIR/$file.error" >&2; exit 1; fi
	[ -f "$GH_STUB_DIR/$file" ] || { echo "gh: Not Found (HTTP 404)" >&2; exit 1; }
	jq -r "$expr" "$GH_STUB_DIR/$file"
elif [ "$1" = run ] && [ "$2" = download ]; then
	while [ $# -gt 0 ]; do
		case "$1" in
			--dir) dir="$2"; shift 2 ;;
			--name) name="$2"; shift 2 ;;
			*) shift ;;
		esac
	done
	[ -d "$GH_STUB_DIR/artifacts/$name" ] || { echo "no artifact $name" >&2; exit 1; }
	mkdir -p "$dir"
	cp -RP "$GH_STUB_DIR/artifacts/$name/." "$dir/"
else
	echo "stub gh: unexpected $*" >&2; exit 1
fi
`;

/** What the stub gh answers for the approval environment: rules, or an API error. */
export type StubEnvironment = { readonly reviewers: number } | 'missing' | 'forbidden';

export interface StubGithub {
	/** The pull requests of a commit (a push's merge commit). */
	readonly pulls?: unknown[];
	/** Workflow runs of a commit. */
	readonly runs?: unknown[];
	/** The reviewed plan the plan run uploaded (a saved plan file). */
	readonly plan?: string;
	/** One pull request by number (a merge_group's). */
	readonly pull?: unknown;
	/** The open pull requests (plan-fork finds the fork's among them). */
	readonly openPulls?: unknown[];
	/** The artifacts of a run: name and size. */
	readonly artifacts?: unknown[];
	/** Artifacts by name: a directory whose files the stub "downloads". */
	readonly artifactDirs?: Record<string, string>;
	/** The approval environment (default: one required reviewer). */
	readonly environment?: StubEnvironment;
}

export interface ActionRun {
	readonly code: number | null;
	readonly stdout: string;
	readonly stderr: string;
	readonly outputs: Record<string, string>;
	readonly summary: string;
}

export interface ActionWorkspace {
	readonly dir: string;
	readonly runnerTemp: string;
	readonly stubDir: string;
	/** Runs action/<script>.sh in the workspace (or `cwd` in it) with the given step env. */
	run(script: string, env: Record<string, string>, cwd?: string): Promise<ActionRun>;
	/** What the stub gh answers: the PRs of a commit, the workflow runs, the downloaded plan. */
	stubGithub(answers: StubGithub): Promise<void>;
	ghCalls(): Promise<string[]>;
	out(name: string): string;
}

/** `hubUrl`: the local Hub, or a proxy in front of it. */
export async function actionWorkspace(dir: string, hubUrl: string): Promise<ActionWorkspace> {
	const runnerTemp = join(dir, '_runner');
	const stubDir = join(dir, '_gh');
	await mkdir(join(stubDir, 'bin'), { recursive: true });
	await mkdir(runnerTemp, { recursive: true });
	await writeFile(join(stubDir, 'bin', 'gh'), GH_STUB);
	await chmod(join(stubDir, 'bin', 'gh'), 0o755);
	await writeFile(join(stubDir, 'calls.log'), '');
	let step = 0;
	return {
		dir,
		runnerTemp,
		stubDir,
		out: (name) => join(runnerTemp, 'coder-sessions-out', name),
		async stubGithub(answers) {
			const write = (name: string, value: unknown) =>
				writeFile(join(stubDir, name), JSON.stringify(value));
			await write('pulls.json', answers.pulls ?? []);
			await write('runs.json', { workflow_runs: answers.runs ?? [] });
			if (answers.pull !== undefined) await write('pull.json', answers.pull);
			await write('open-pulls.json', answers.openPulls ?? []);
			await write('artifacts.json', { artifacts: answers.artifacts ?? [] });
			const environment = answers.environment ?? { reviewers: 1 };
			await rm(join(stubDir, 'environment.json'), { force: true });
			await rm(join(stubDir, 'environment.json.error'), { force: true });
			if (environment === 'missing') {
				await writeFile(join(stubDir, 'environment.json.error'), 'gh: Not Found (HTTP 404)\n');
			} else if (environment === 'forbidden') {
				await writeFile(
					join(stubDir, 'environment.json.error'),
					'gh: Resource not accessible by integration (HTTP 403)\n'
				);
			} else {
				const reviewers = Array.from({ length: environment.reviewers }, (_, i) => ({
					type: 'User',
					reviewer: { login: `reviewer-${i + 1}` },
				}));
				await write('environment.json', {
					name: 'coder-sessions-apply',
					protection_rules: [
						{ id: 1, type: 'branch_policy' },
						...(reviewers.length > 0 ? [{ id: 2, type: 'required_reviewers', reviewers }] : []),
					],
				});
			}
			await rm(join(stubDir, 'artifacts'), { recursive: true, force: true });
			if (answers.plan) {
				await mkdir(join(stubDir, 'artifacts', 'coder-sessions-plan'), { recursive: true });
				await writeFile(
					join(stubDir, 'artifacts', 'coder-sessions-plan', 'plan.json'),
					await readFile(answers.plan)
				);
			}
			for (const [name, from] of Object.entries(answers.artifactDirs ?? {})) {
				await cp(from, join(stubDir, 'artifacts', name), {
					recursive: true,
					verbatimSymlinks: true,
				});
			}
		},
		async ghCalls() {
			return (await readFile(join(stubDir, 'calls.log'), 'utf8')).split('\n').filter(Boolean);
		},
		async run(script, env, cwd = dir) {
			step += 1;
			const output = join(runnerTemp, `output-${step}`);
			const summary = join(runnerTemp, `summary-${step}`);
			await writeFile(output, '');
			await writeFile(summary, '');
			const result = await runScript(join(projectRoot, 'action', `${script}.sh`), cwd, {
				PATH: `${join(stubDir, 'bin')}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
				HOME: dir,
				NO_COLOR: '1',
				RUNNER_TEMP: runnerTemp,
				GITHUB_OUTPUT: output,
				GITHUB_STEP_SUMMARY: summary,
				GITHUB_REPOSITORY: 'acme/sessions',
				GITHUB_WORKFLOW_REF: 'acme/sessions/.github/workflows/coder-sessions.yml@refs/heads/main',
				GH_STUB_DIR: stubDir,
				GH_TOKEN: 'stub',
				ARTIFACT: 'coder-sessions-plan',
				CODER_SESSIONS: cliPath,
				AGENTUITY_CODER_URL: hubUrl,
				AGENTUITY_SDK_KEY: 'test',
				CODER_SESSIONS_ENV_KEY: TEST_ENV_SECRET,
				...env,
			});
			return {
				...result,
				outputs: parseOutputs(await readFile(output, 'utf8')),
				summary: await readFile(summary, 'utf8'),
			};
		},
	};
}

/** GITHUB_OUTPUT lines `name=value`; a later line for a name wins, as on GitHub. */
function parseOutputs(text: string): Record<string, string> {
	const outputs: Record<string, string> = {};
	for (const line of text.split('\n')) {
		const at = line.indexOf('=');
		if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
	}
	return outputs;
}

function runScript(
	script: string,
	cwd: string,
	env: Record<string, string>
): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn('bash', [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		// A script runs the CLI at most three times.
		const timer = setTimeout(() => child.kill('SIGKILL'), 3 * CLI_TIMEOUT_MS);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/**
 * Runs the action's step scripts (action/*.sh) as GitHub Actions would: a runner temp
 * directory, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, and a stub `gh` on PATH that answers
 * the GitHub API from JSON files (through jq, as gh --jq does) and "downloads" a saved plan.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CLI_TIMEOUT_MS, cliPath, projectRoot } from './cli.js';
import { TEST_ENV_SECRET } from './session-builders.js';

const GH_STUB = `#!/usr/bin/env bash
set -euo pipefail
echo "$*" >> "$GH_STUB_DIR/calls.log"
if [ "$1" = api ]; then
	url="$2"; shift 2; expr=.
	while [ $# -gt 0 ]; do if [ "$1" = --jq ]; then expr="$2"; shift 2; else shift; fi; done
	case "$url" in
		*/pulls) file=pulls.json ;;
		*/actions/runs*) file=runs.json ;;
		*) echo "stub gh: unexpected api $url" >&2; exit 1 ;;
	esac
	jq -r "$expr" "$GH_STUB_DIR/$file"
elif [ "$1" = run ] && [ "$2" = download ]; then
	while [ $# -gt 0 ]; do if [ "$1" = --dir ]; then dir="$2"; shift 2; else shift; fi; done
	mkdir -p "$dir"
	cp "$GH_STUB_DIR/artifact/plan.json" "$dir/plan.json"
else
	echo "stub gh: unexpected $*" >&2; exit 1
fi
`;

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
	/** Runs action/<script>.sh in the workspace with the given step env. */
	run(script: string, env: Record<string, string>): Promise<ActionRun>;
	/** What the stub gh answers: the PRs of a commit, the workflow runs, the downloaded plan. */
	stubGithub(answers: { pulls: unknown[]; runs: unknown[]; plan?: string }): Promise<void>;
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
		async stubGithub({ pulls, runs, plan }) {
			await writeFile(join(stubDir, 'pulls.json'), JSON.stringify(pulls));
			await writeFile(join(stubDir, 'runs.json'), JSON.stringify({ workflow_runs: runs }));
			if (plan) {
				await mkdir(join(stubDir, 'artifact'), { recursive: true });
				await writeFile(join(stubDir, 'artifact', 'plan.json'), await readFile(plan));
			}
		},
		async ghCalls() {
			return (await readFile(join(stubDir, 'calls.log'), 'utf8')).split('\n').filter(Boolean);
		},
		async run(script, env) {
			step += 1;
			const output = join(runnerTemp, `output-${step}`);
			const summary = join(runnerTemp, `summary-${step}`);
			await writeFile(output, '');
			await writeFile(summary, '');
			const result = await runScript(join(projectRoot, 'action', `${script}.sh`), dir, {
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

/**
 * The markdown and JSON plans carry the notes planning prints on stderr, link the GitHub Actions
 * run and fill its step summary: the built CLI with --local, and against a local Hub.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanJsonV1 } from '../../src/render/index.js';
import { CLI_TIMEOUT_MS, runCli, type CliResult } from '../support/cli.js';
import { cli, hubForTest, useTempDir, writeSpec } from '../support/local-hub.js';

const SKIPPED =
	'repo check skipped: the local Hub has no GitHub fixture (.coder-sessions/github-repos.yaml; see hub serve --github-repos)';
const all = (result: CliResult): string => `${result.stdout}\n${result.stderr}`;

describe('plan --format markdown and json: notes, the run link, the step summary', () => {
	const dir = useTempDir();

	it(
		'puts the skipped repo check of --local in the Notes, the run link on top and the plan in the step summary',
		async () => {
			const file = await writeSpec(dir.path, 'pinned.yaml', {
				stack: 'pinned',
				sessions: { docs: { task: 'Review the docs.', repo: 'agentuity/docs' } },
			});
			const summary = join(dir.path, 'step-summary.md');
			await writeFile(summary, '# Earlier step output\n');
			const result = await runCli(['plan', '--local', '-f', file, '--format', 'markdown'], {
				cwd: dir.path,
				env: {
					GITHUB_SERVER_URL: 'https://github.com',
					GITHUB_REPOSITORY: 'acme/agents',
					GITHUB_RUN_ID: '4242',
					GITHUB_STEP_SUMMARY: summary,
				},
			});
			expect(result.code, all(result)).toBe(0);
			expect(result.stderr).toBe(`${SKIPPED}\n`);
			expect(result.stdout).toContain(
				'**Notes**\n- repo check skipped: the local Hub has no GitHub'
			);
			expect(result.stdout).toContain(
				'Full plan: https://github.com/acme/agents/actions/runs/4242'
			);
			expect(result.stdout).toContain('<code>+ create</code> <b>docs</b>');
			expect(await readFile(summary, 'utf8')).toBe(`# Earlier step output\n${result.stdout}\n`);
		},
		2 * CLI_TIMEOUT_MS
	);

	it(
		'lists the notes in JSON and writes no step summary for it',
		async () => {
			const file = await writeSpec(dir.path, 'pinned-json.yaml', {
				stack: 'pinned-json',
				sessions: { docs: { task: 'Review the docs.', repo: 'agentuity/docs' } },
			});
			const summary = join(dir.path, 'json-summary.md');
			await writeFile(summary, '');
			const result = await runCli(['plan', '--local', '-f', file, '--format', 'json'], {
				cwd: dir.path,
				env: { GITHUB_STEP_SUMMARY: summary },
			});
			expect(result.code, all(result)).toBe(0);
			expect((JSON.parse(result.stdout) as PlanJsonV1).notes).toEqual([SKIPPED]);
			expect(await readFile(summary, 'utf8')).toBe('');
		},
		2 * CLI_TIMEOUT_MS
	);

	it(
		'notes that env values were not compared without CODER_SESSIONS_ENV_KEY',
		async ({ onTestFinished }) => {
			const hub = await hubForTest(onTestFinished);
			const file = await writeSpec(dir.path, 'env.yaml', {
				stack: 'env-note',
				sessions: { svc: { task: 'T.', env: { API_TOKEN: '${API_TOKEN}' } } },
			});
			const env = { API_TOKEN: 'token-value-never-printed' };
			const applied = await cli(hub, ['apply', '--auto-approve', '-f', file], {
				cwd: dir.path,
				env,
			});
			expect(applied.code, all(applied)).toBe(0);
			const keyless = { ...env, CODER_SESSIONS_ENV_KEY: undefined };
			const md = await cli(hub, ['plan', '-f', file, '--format', 'markdown'], {
				cwd: dir.path,
				env: keyless,
			});
			expect(md.code, all(md)).toBe(0);
			expect(md.stderr).toContain('note: env values not compared, as CODER');
			expect(md.stdout).toMatch(
				/\*\*Notes\*\*\n- note: env values not compared, as CODER&#95;SESSIONS&#95;ENV&#95;KEY is not set/
			);
			expect(all(md)).not.toContain('token-value-never-printed');
			const json = await cli(hub, ['plan', '-f', file, '--format', 'json'], {
				cwd: dir.path,
				env: keyless,
			});
			expect((JSON.parse(json.stdout) as PlanJsonV1).notes).toEqual([
				expect.stringMatching(
					/^note: env values not compared, as CODER_SESSIONS_ENV_KEY is not set/
				),
			]);
		},
		3 * CLI_TIMEOUT_MS
	);
	it(
		'names twenty spec files of a folder and counts the rest, so thousands of files keep the comment within its limit',
		async ({ onTestFinished }) => {
			const hub = await hubForTest(onTestFinished);
			// A folder the workflow names: a fork's pull request may add any number of files to it.
			const folder = join(dir.path, 'stack.d');
			await mkdir(folder);
			await writeSpec(folder, 'main.yaml', {
				stack: 'files',
				sessions: { docs: { task: 'Review the docs.' } },
			});
			for (let i = 0; i < 2500; i++)
				await writeFile(
					join(folder, `part-${String(i).padStart(4, '0')}.yaml`),
					'version: 1\nstack: files\nsessions: {}\n'
				);

			const md = await cli(hub, ['plan', '-f', 'stack.d', '--format', 'markdown'], {
				cwd: dir.path,
			});
			expect(md.code, md.stderr).toBe(0);
			expect(md.stdout.length).toBeLessThanOrEqual(60_000);
			expect(md.stdout).toContain(
				'<code>stack.d/part-0018.yaml</code> and 2481 more files\n\n<code>+ create</code> <b>docs</b>'
			);
			const text = await cli(hub, ['plan', '-f', 'stack.d'], { cwd: dir.path });
			expect(text.stdout.split('\n', 1)[0]).toBe(
				`coder-sessions plan for stack files (stack.d/main.yaml, ${Array.from({ length: 19 }, (_, i) => `stack.d/part-${String(i).padStart(4, '0')}.yaml`).join(', ')} and 2481 more files)`
			);
		},
		3 * CLI_TIMEOUT_MS
	);
});

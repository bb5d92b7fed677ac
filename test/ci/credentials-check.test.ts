/**
 * The action's first step: the mode, the tools it needs (gh for the apply modes), and the Hub
 * credentials. A fork's pull request has none: in plan mode it goes on to validate and hand its
 * spec files over; anything else without them says why, clearly.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';

let dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	dirs = [];
});

/** `gh` answers --version with this line; null: no gh on PATH at all. */
function check(env: Record<string, string>, gh: string | null = 'gh version 2.62.0 (2024-11-14)') {
	const dir = mkdtempSync(join(tmpdir(), 'ci-check-'));
	dirs.push(dir);
	const output = join(dir, 'output');
	const summary = join(dir, 'summary');
	const bin = join(dir, 'bin');
	mkdirSync(bin);
	if (gh !== null) {
		writeFileSync(join(bin, 'gh'), `#!/usr/bin/env bash\necho '${gh}'\n`);
		chmodSync(join(bin, 'gh'), 0o755);
	}
	writeFileSync(output, '');
	writeFileSync(summary, '');
	// Only what the script needs: bash, sed and the like, never a gh of the machine's own.
	const path = [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(':');
	const result = spawnSync('bash', [join(projectRoot, 'action/check.sh')], {
		encoding: 'utf8',
		env: {
			PATH: path,
			GITHUB_OUTPUT: output,
			GITHUB_STEP_SUMMARY: summary,
			MODE: 'plan',
			EVENT: 'pull_request',
			REPO: 'acme/sessions',
			...env,
		},
		timeout: 30_000,
	});
	return {
		result,
		output: readFileSync(output, 'utf8'),
		summary: readFileSync(summary, 'utf8'),
	};
}

describe('the action credentials check', () => {
	it("lets a fork's pull request go on without secrets in plan mode, to validate and hand its files over", () => {
		const { result, output, summary } = check({ HEAD_REPO: 'someone/sessions' });
		expect(result.status).toBe(0);
		expect(output).toContain('credentials=false');
		expect(output).toContain('fork=true');
		expect(result.stdout).not.toContain('::error::');
		expect(result.stdout).toContain("the base repository's workflow_run job plans them");
		expect(summary).toBe('');
	});

	it("says why a fork's pull request cannot run another mode", () => {
		const { result, output, summary } = check({ HEAD_REPO: 'someone/sessions', MODE: 'drift' });
		expect(result.status).toBe(0);
		expect(output).toContain('credentials=false');
		expect(output).not.toContain('fork=true');
		expect(summary).toContain('comes from a fork (someone/sessions)');
		expect(summary).toContain('no secrets');
		expect(result.stdout).toMatch(/^::error::coder-sessions cannot read the Hub/m);
		expect(output).toMatch(/^message=coder-sessions cannot read the Hub: this pull request/m);
	});

	it('names AGENTUITY_SDK_KEY when a branch of the repository runs without it', () => {
		const { output, summary } = check({ HEAD_REPO: 'acme/sessions' });
		expect(output).toContain('credentials=false');
		expect(output).not.toContain('fork=true');
		expect(summary).toContain('AGENTUITY_SDK_KEY is not set');
	});

	it('passes with a key, saying nothing', () => {
		const { result, output, summary } = check({ AGENTUITY_SDK_KEY: 'k' });
		expect(result.status).toBe(0);
		expect(output).toContain('credentials=true\n');
		expect(summary).toBe('');
	});

	it('names the artifacts of a stack after its artifact-name', () => {
		expect(check({ AGENTUITY_SDK_KEY: 'k' }).output).toContain(
			'main-artifact=coder-sessions-main-plan\nspec-artifact=coder-sessions-spec\n'
		);
		expect(check({ AGENTUITY_SDK_KEY: 'k', ARTIFACT: 'coder-sessions-plan-web' }).output).toContain(
			'main-artifact=coder-sessions-plan-web-main\nspec-artifact=coder-sessions-plan-web-spec\n'
		);
	});

	it('refuses an unknown mode', () => {
		const { result } = check({ MODE: 'destroy', AGENTUITY_SDK_KEY: 'k' });
		expect(result.status).toBe(1);
		expect(result.stdout).toContain('mode must be plan, apply, apply-approved, drift or plan-fork');
	});

	it('runs plan-fork only in a workflow_run job', () => {
		const { result } = check({ MODE: 'plan-fork', AGENTUITY_SDK_KEY: 'k' });
		expect(result.status).toBe(1);
		expect(result.stdout).toContain('mode plan-fork runs in a workflow_run job');
		expect(
			check({ MODE: 'plan-fork', EVENT: 'workflow_run', AGENTUITY_SDK_KEY: 'k' }).result.status
		).toBe(0);
	});

	it('needs gh 2.0 or newer in the modes that ask GitHub, and says so', () => {
		for (const mode of ['apply', 'apply-approved']) {
			const missing = check({ MODE: mode, EVENT: 'push', AGENTUITY_SDK_KEY: 'k' }, null);
			expect(missing.result.status).toBe(1);
			expect(missing.result.stdout).toContain(
				`mode ${mode} needs the GitHub CLI (gh) 2.0 or newer on PATH`
			);
			const old = check({ MODE: mode, EVENT: 'push', AGENTUITY_SDK_KEY: 'k' }, 'gh version 1.14.0');
			expect(old.result.status).toBe(1);
			expect(check({ MODE: mode, EVENT: 'push', AGENTUITY_SDK_KEY: 'k' }).result.status).toBe(0);
		}
		// Plan and drift never call gh.
		expect(check({ AGENTUITY_SDK_KEY: 'k' }, null).result.status).toBe(0);
	});
});

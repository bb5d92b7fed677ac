/** The action's first step: without Hub credentials (a fork pull request) it says why, clearly. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../support/cli.js';

let dirs: string[] = [];
afterEach(() => {
	for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	dirs = [];
});

function check(env: Record<string, string>) {
	const dir = mkdtempSync(join(tmpdir(), 'ci-check-'));
	dirs.push(dir);
	const output = join(dir, 'output');
	const summary = join(dir, 'summary');
	writeFileSync(output, '');
	writeFileSync(summary, '');
	const result = spawnSync('bash', [join(projectRoot, 'action/check.sh')], {
		encoding: 'utf8',
		env: {
			PATH: process.env.PATH ?? '',
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
	it('tells a fork pull request that it gets no secrets and what a maintainer does', () => {
		const { result, output, summary } = check({ HEAD_REPO: 'someone/sessions' });
		expect(result.status).toBe(0);
		expect(output).toContain('credentials=false');
		expect(summary).toContain('comes from a fork (someone/sessions)');
		expect(summary).toContain('no secrets');
		expect(summary).toContain('a maintainer');
		expect(result.stdout).toMatch(/^::error::coder-sessions cannot read the Hub/m);
		expect(output).toMatch(/^message=coder-sessions cannot read the Hub: this pull request/m);
	});

	it('names AGENTUITY_SDK_KEY when a branch of the repository runs without it', () => {
		const { output, summary } = check({ HEAD_REPO: 'acme/sessions' });
		expect(output).toContain('credentials=false');
		expect(summary).toContain('AGENTUITY_SDK_KEY is not set');
	});

	it('passes with a key, saying nothing', () => {
		const { result, output, summary } = check({ AGENTUITY_SDK_KEY: 'k' });
		expect(result.status).toBe(0);
		expect(output).toBe('credentials=true\n');
		expect(summary).toBe('');
	});

	it('refuses an unknown mode', () => {
		const { result } = check({ MODE: 'destroy', AGENTUITY_SDK_KEY: 'k' });
		expect(result.status).toBe(1);
		expect(result.stdout).toContain('mode must be plan, apply, apply-approved or drift');
	});
});

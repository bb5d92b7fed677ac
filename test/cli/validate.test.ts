import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const invalid = 'test/fixtures/invalid';

/** A user never sees a stack trace, whatever goes wrong. */
function expectNoStackTrace(text: string): void {
	expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
	expect(text).not.toMatch(/Internal error/);
}

describe('coder-sessions validate', () => {
	it('accepts a spec and prints a one-line summary', async () => {
		const result = await runCli(['validate', '-f', 'test/fixtures/docs-team/sessions.yaml'], {
			env: { DOCS_API_TOKEN: 'set' },
		});
		expect(result.stderr).toBe('');
		expect(result.stdout).toBe(
			'test/fixtures/docs-team/sessions.yaml: 7 entries in stack docs-team\n'
		);
		expect(result.code).toBe(0);
	});

	it('reads sessions.yaml from the working directory by default', async () => {
		const result = await runCli(['validate'], { cwd: 'test/fixtures/docs-team' });
		expect(result.stdout).toBe('sessions.yaml: 7 entries in stack docs-team\n');
		expect(result.code).toBe(0);
	});

	it('merges several files', async () => {
		const result = await runCli([
			'validate',
			'-f',
			'test/fixtures/valid/split/base.yaml',
			'--file',
			'test/fixtures/valid/split/team.yaml',
		]);
		expect(result.stdout).toBe(
			'test/fixtures/valid/split/base.yaml, test/fixtures/valid/split/team.yaml: 3 entries in stack docs-team\n'
		);
		expect(result.code).toBe(0);
	});

	it('prints every error compiler style, then a count, and exits 1', async () => {
		const result = await runCli(['validate', '-f', `${invalid}/bad-enum.yaml`]);
		expect(result.code).toBe(1);
		expect(result.stdout).toBe('');
		const lines = result.stderr.trimEnd().split('\n');
		expect(lines[1]).toBe(
			`${invalid}/bad-enum.yaml:7:17: sessions.api-review.visibility: expected one of private, organization, collaborate (got "public")`
		);
		expect(lines.at(-1)).toBe(`5 errors in ${invalid}/bad-enum.yaml`);
		expectNoStackTrace(result.stderr);
	});

	it('reports a missing file without a stack trace', async () => {
		const result = await runCli(['validate', '-f', 'nowhere/sessions.yaml']);
		expect(result.code).toBe(1);
		expect(result.stderr).toBe(
			'nowhere/sessions.yaml: file not found\n1 error in nowhere/sessions.yaml\n'
		);
		expectNoStackTrace(result.stderr);
	});

	it('reports an alias bomb and a non-mapping document without a stack trace', async () => {
		const result = await runCli([
			'validate',
			'-f',
			`${invalid}/alias-bomb.yaml`,
			'-f',
			`${invalid}/top-level-list.yaml`,
		]);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('document expands too many aliases');
		expect(result.stderr).toContain('(got a list)');
		expectNoStackTrace(result.stderr);
	});

	describe('--format json', () => {
		it('describes a valid spec', async () => {
			const result = await runCli([
				'validate',
				'-f',
				'test/fixtures/docs-team/sessions.yaml',
				'--format',
				'json',
			]);
			expect(result.code).toBe(0);
			expect(JSON.parse(result.stdout)).toEqual({
				valid: true,
				stack: 'docs-team',
				sessions: 7,
				files: ['test/fixtures/docs-team/sessions.yaml'],
			});
		});

		it('lists the errors with their positions', async () => {
			const result = await runCli([
				'validate',
				'-f',
				`${invalid}/missing-task.yaml`,
				'-f',
				'gone.yaml',
				'--format',
				'json',
			]);
			expect(result.code).toBe(1);
			expect(result.stderr).toBe('');
			expect(JSON.parse(result.stdout)).toEqual({
				valid: false,
				errors: [
					{
						file: `${invalid}/missing-task.yaml`,
						line: 4,
						column: 3,
						path: 'sessions.api-review.task',
						message: 'required field "task" is missing',
					},
					{
						file: `${invalid}/missing-task.yaml`,
						line: 7,
						column: 11,
						path: 'sessions.blank-task.task',
						message: 'must not be empty',
					},
					{ file: 'gone.yaml', line: null, column: null, path: '', message: 'file not found' },
				],
			});
		});

		it('refuses an unknown format', async () => {
			const result = await runCli([
				'validate',
				'-f',
				'test/fixtures/docs-team/sessions.yaml',
				'--format',
				'yaml',
			]);
			expect(result.code).toBe(1);
			expect(result.stdout).toBe('');
			expect(result.stderr).toContain(
				"argument 'yaml' is invalid. Allowed choices are text, json."
			);
		});
	});

	it('explains itself in --help', async () => {
		const result = await runCli(['validate', '--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Usage: coder-sessions validate [options]');
		expect(result.stdout).toMatch(
			/-f, --file <path>\s+spec file, directory \(its \*\.yaml and\s+\*\.yml files\) or -/
		);
		expect(result.stdout).toContain('(default: sessions.yaml)');
		expect(result.stdout).toMatch(
			/--format <format>\s+output format \(choices: "text", "json", default: "text"\)/
		);
		expect(result.stdout).toContain('FILE:LINE:COL: PATH: MESSAGE');
	});
});

describe('coder-sessions', () => {
	it('lists its commands in --help', async () => {
		const result = await runCli(['--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toContain('Usage: coder-sessions [options] [command]');
		expect(result.stdout).toMatch(/validate \[options\]\s+Check the spec files offline/);
		expect(result.stdout).toMatch(/schema\s+Print the JSON Schema of the spec file/);
	});

	it('refuses an unknown command with a suggestion', async () => {
		const result = await runCli(['valdate']);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain("error: unknown command 'valdate'");
		expect(result.stderr).toContain('Did you mean validate?');
		expectNoStackTrace(result.stderr);
	});

	it('refuses an unknown flag', async () => {
		const result = await runCli(['validate', '--strict']);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain("error: unknown option '--strict'");
		expectNoStackTrace(result.stderr);
	});
});

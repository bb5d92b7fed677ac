import { readdirSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from '../support/cli.js';

describe.concurrent('--help examples', () => {
	for (const command of [['plan'], ['apply'], ['show'], ['hub', 'serve']]) {
		it(`${command.join(' ')} --help ends with examples of itself`, async () => {
			const result = await runCli([...command, '--help']);
			expect(result.code).toBe(0);
			const examples = result.stdout.split('\nExamples:\n')[1];
			expect(examples, result.stdout).toBeDefined();
			const lines = examples!.trimEnd().split('\n');
			expect(lines.length).toBeGreaterThan(1);
			for (const line of lines) expect(line).toMatch(`  coder-sessions ${command.join(' ')}`);
		});
	}
});

describe.concurrent('--target', () => {
	for (const command of ['plan', 'apply']) {
		it(`${command} --target points to --only and exits 1`, async () => {
			const result = await runCli([command, '--target', 'docs-review', '-f', 'missing.yaml']);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(`select entries with --only KEY`);
			expect(result.stderr).toContain(`${command} --only docs-review`);
			expect(result.stderr).not.toMatch(/unknown option|\n\s+at /);
		});
	}

	it('is not offered in --help', async () => {
		const result = await runCli(['plan', '--help']);
		expect(result.stdout).not.toContain('--target');
	});
});

describe('fmt --help', () => {
	it('its CI example passes on the example spec, and names no file that is not a spec', async ({
		onTestFinished,
	}) => {
		const help = (await runCli(['fmt', '--help'])).stdout;
		const example = help
			.split('\nExamples:\n')[1]!
			.split('\n')
			.find((line) => line.includes('--check'));
		expect(example, help).toBeDefined();
		const args = example!.replace(/#.*$/, '').trim().split(/\s+/).slice(1);
		// A folder like a new user's: the example spec as sessions.yaml, beside the repo's other
		// YAML (the GitHub fixture is no spec: an example that globbed *.yaml would fail on it).
		const dir = await mkdtemp(join(tmpdir(), 'fmt-help-'));
		onTestFinished(() => rm(dir, { recursive: true, force: true }));
		await copyFile(join(projectRoot, 'examples/sessions.yaml'), join(dir, 'sessions.yaml'));
		await copyFile(join(projectRoot, 'examples/github-repos.yaml'), join(dir, 'github-repos.yaml'));
		const expanded = args.flatMap((arg) =>
			arg.includes('*')
				? readdirSync(dir).filter((name) => name.endsWith(arg.split('*')[1] ?? ''))
				: [arg]
		);

		const result = await runCli(expanded, { cwd: dir });

		expect(result.code, result.stderr + result.stdout).toBe(0);
	});
});

describe.concurrent('a spec named as an argument', () => {
	it('plan sessions.yaml points to -f and exits 1, reading nothing', async () => {
		const result = await runCli(['plan', 'test/fixtures/docs-team/sessions.yaml']);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain(
			'error: plan takes no arguments: name spec files with -f (coder-sessions plan -f test/fixtures/docs-team/sessions.yaml)'
		);
		expect(result.stderr).not.toMatch(/too many arguments|no Hub to talk to|\n\s+at /);
	});

	it('validate a.yaml b.yml names each with -f; a key given to status points to --only', async () => {
		const validate = await runCli(['validate', 'a.yaml', 'b.yml']);
		expect(validate.code).toBe(1);
		expect(validate.stderr).toContain('(coder-sessions validate -f a.yaml -f b.yml)');
		const status = await runCli(['status', 'docs-review']);
		expect(status.code).toBe(1);
		expect(status.stderr).toContain(
			'error: status takes no arguments: name entries with --only (coder-sessions status --only docs-review), spec files with -f FILE'
		);
	});
});

/**
 * `completion bash|zsh|fish` prints a script derived from the program; each shell that is
 * installed loads it and completes command names, flags and flag values with it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const COMMANDS = ['validate', 'fmt', 'plan', 'apply', 'show', 'hub', 'completion'];
const SHELL_TIMEOUT_MS = 30_000;

const installed = (shell: string) =>
	spawnSync('sh', ['-c', `command -v ${shell}`], { encoding: 'utf8' }).status === 0;

function run(shell: string, args: readonly string[], home: string) {
	const result = spawnSync(shell, args, {
		encoding: 'utf8',
		timeout: SHELL_TIMEOUT_MS,
		env: { PATH: process.env.PATH ?? '', HOME: home },
		cwd: home,
	});
	return { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

describe('coder-sessions completion', () => {
	let dir = '';
	const scripts: Record<string, string> = {};
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'coder-sessions-completion-'));
		for (const shell of ['bash', 'zsh', 'fish']) {
			const result = await runCli(['completion', shell]);
			expect(result.code, result.stderr).toBe(0);
			scripts[shell] = result.stdout;
			await writeFile(join(dir, `script.${shell}`), result.stdout);
		}
		await writeFile(join(dir, 'team.yaml'), 'version: 1\n');
	});
	afterAll(() => rm(dir, { recursive: true, force: true }));

	it.each(['bash', 'zsh', 'fish'])('%s: names every command, flag and format value', (shell) => {
		const script = scripts[shell]!;
		for (const command of [...COMMANDS, 'serve']) expect(script).toContain(command);
		for (const flag of ['detailed-exitcode', 'auto-approve', 'verbose', 'check']) {
			expect(script).toContain(flag);
		}
		expect(script).toMatch(/text markdown json/);
		expect(script).not.toMatch(/(--|-l )target\b/);
	});

	it('refuses a shell it does not know, naming the ones it does', async () => {
		const result = await runCli(['completion', 'powershell']);
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('bash, zsh, fish');
	});

	describe.runIf(installed('bash'))('in bash', () => {
		/** COMPREPLY for the words typed so far (the last one being completed). */
		const complete = (...words: string[]) => {
			const probe = [
				`source ${join(dir, 'script.bash')}`,
				'COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))',
				'_coder_sessions',
				'printf "%s\\n" "${COMPREPLY[@]}"',
			].join('\n');
			const result = run('bash', ['-c', probe, 'bash', 'coder-sessions', ...words], dir);
			expect(result.stderr).toBe('');
			return result.stdout.split('\n').filter(Boolean).sort();
		};

		it('loads without error and registers the completion', () => {
			const result = run(
				'bash',
				['-c', `source ${join(dir, 'script.bash')} && complete -p coder-sessions`],
				dir
			);
			expect(result.stderr).toBe('');
			expect(result.code).toBe(0);
			expect(result.stdout).toContain('-F _coder_sessions coder-sessions');
		});

		it('completes command names, subcommands, flags, values and files', () => {
			expect(complete('pl')).toEqual(['plan']);
			expect(complete('')).toEqual(expect.arrayContaining(COMMANDS));
			expect(complete('hub', 's')).toEqual(['serve']);
			expect(complete('plan', '--deta')).toEqual(['--detailed-exitcode']);
			expect(complete('--verbose', 'plan', '-f', 'x.yaml', '--only', 'a', '--ver')).toEqual([
				'--verbose',
			]);
			expect(complete('plan', '--format', '')).toEqual(['json', 'markdown', 'text']);
			expect(complete('completion', '')).toEqual(['bash', 'fish', 'zsh']);
			expect(complete('fmt', '-f', 'te')).toEqual(['team.yaml']);
		});
	});

	describe.runIf(installed('zsh'))('in zsh', () => {
		it('parses, and registers with compinit', () => {
			const script = join(dir, 'script.zsh');
			expect(run('zsh', ['-n', script], dir)).toMatchObject({ code: 0, stderr: '' });
			const probe = `autoload -U compinit; compinit -u -D; source ${script}; print -r -- $_comps[coder-sessions]`;
			const result = run('zsh', ['-f', '-c', probe], dir);
			expect(result.stderr).toBe('');
			expect(result.stdout.trim()).toBe('_coder_sessions');
		});
	});

	describe.runIf(installed('fish'))('in fish', () => {
		it('completes command names, subcommands and values', () => {
			const script = join(dir, 'script.fish');
			const probe = [
				`source ${script}`,
				'complete -C "coder-sessions pl"',
				'complete -C "coder-sessions hub s"',
				'complete -C "coder-sessions show --format "',
			].join('; ');
			const result = run('fish', ['--no-config', '-c', probe], dir);
			expect(result.stderr).toBe('');
			const names = result.stdout.split('\n').map((line) => line.split('\t')[0]);
			expect(names).toEqual(expect.arrayContaining(['plan', 'serve', 'text', 'markdown', 'json']));
		});
	});
});

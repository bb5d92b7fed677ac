/** The state and everything the Hub writes beside it are owner-only, whatever the umask. */
import { chmod, lstat, mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { client, hubForThisTest, tempDir } from './support.js';

const posix = process.platform !== 'win32';
let previousUmask: number;

beforeEach(() => {
	previousUmask = process.umask(0o022);
});
afterEach(() => {
	process.umask(previousUmask);
});

async function modeOf(path: string): Promise<number> {
	return (await stat(path)).mode & 0o777;
}

describe.runIf(posix)('local Hub file modes under umask 022', () => {
	it('creates the state, its lock and its directories owner-only', async () => {
		const root = await tempDir();
		const stateFile = join(root, 'made', 'by-hub', 'state.json');
		const hub = await hubForThisTest({ stateFile });
		expect(await modeOf(`${stateFile}.lock`)).toBe(0o600);
		await client(hub).createSession({ task: 'private' });
		expect(await modeOf(stateFile)).toBe(0o600);
		expect(await modeOf(join(root, 'made'))).toBe(0o700);
		expect(await modeOf(join(root, 'made', 'by-hub'))).toBe(0o700);
		await hub.close();
		expect(await modeOf(stateFile)).toBe(0o600);
	});

	it('narrows a state file and lock that earlier versions left readable by others', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		// A clean journal needs no rewrite on start, so only narrowing can fix its mode.
		const first = await hubForThisTest({ stateFile });
		await client(first).createSession({ task: 'kept' });
		await first.close();
		await chmod(stateFile, 0o644);
		await writeFile(`${stateFile}.lock`, '999999999\n', { mode: 0o644 });

		const hub = await hubForThisTest({ stateFile });
		expect(await modeOf(stateFile)).toBe(0o600);
		expect(await modeOf(`${stateFile}.lock`)).toBe(0o600);
		expect((await client(hub).listSessions()).total).toBe(1);
	});

	it('makes `--local` keep .coder-sessions owner-only, narrowing one that exists', async () => {
		for (const existing of [false, true]) {
			const cwd = await tempDir();
			await writeFile(
				join(cwd, 'sessions.yaml'),
				'version: 1\nstack: modes\nsessions:\n  one:\n    task: Check modes\n'
			);
			if (existing) await mkdir(join(cwd, '.coder-sessions'), { mode: 0o755 });
			const result = await runCli(['plan', '-f', 'sessions.yaml', '--local'], { cwd });
			expect(result.code, result.stderr).toBe(0);
			expect(await modeOf(join(cwd, '.coder-sessions'))).toBe(0o700);
			expect(await modeOf(join(cwd, '.coder-sessions', 'local-hub.json'))).toBe(0o600);
		}
	});
});

describe.runIf(posix)('local Hub state in a folder others can write to', () => {
	it('never writes through a symlink planted where it writes a new state file', async () => {
		const root = await tempDir();
		const stateFile = join(root, 'state.json');
		const victim = join(root, 'another-users-file.txt');
		await writeFile(victim, 'not the Hub state\n', { mode: 0o644 });
		// An empty state file is rewritten on start; a name built from the pid alone is guessable.
		await writeFile(stateFile, '');
		await symlink(victim, `${stateFile}.${process.pid}.tmp`);

		const hub = await hubForThisTest({ stateFile });
		await client(hub).createSession({ task: 'kept' });
		await hub.close();
		expect(await readFile(victim, 'utf8')).toBe('not the Hub state\n');
		expect(await modeOf(victim)).toBe(0o644);
		expect((await lstat(stateFile)).isFile()).toBe(true);
		expect(await modeOf(stateFile)).toBe(0o600);
	});
});

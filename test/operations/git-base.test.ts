/** Reading the spec files at a git ref, in a temporary repository (no Hub involved). */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readSpecAtRef } from '../../src/operations/git-base.js';
import { UserError } from '../../src/core/errors.js';
import { tempDirForTest } from '../support/local-hub.js';

const run = promisify(execFile);

async function git(dir: string, ...args: string[]): Promise<string> {
	const identity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid'];
	const { stdout } = await run('git', [...identity, ...args], {
		cwd: dir,
		env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
	});
	return stdout.trim();
}

async function commitAll(dir: string): Promise<string> {
	await git(dir, 'add', '-A');
	await git(dir, 'commit', '-q', '-m', 'files');
	return git(dir, 'rev-parse', 'HEAD');
}

describe('readSpecAtRef', () => {
	it('reads each file at the commit, relative to the working directory', async ({
		onTestFinished,
	}) => {
		const dir = await tempDirForTest(onTestFinished);
		await git(dir, 'init', '-q', '-b', 'main');
		await mkdir(join(dir, 'specs'));
		await writeFile(join(dir, 'specs', 'a.yaml'), 'at base\n');
		const base = await commitAll(dir);
		await writeFile(join(dir, 'specs', 'a.yaml'), 'changed\n');
		await writeFile(join(dir, 'specs', 'b.yaml'), 'new\n');
		await commitAll(dir);

		const read = await readSpecAtRef('main~1', ['specs/a.yaml', 'specs/b.yaml'], dir, process.env);
		expect(read.commit).toBe(base);
		expect(read.sources).toEqual([{ file: 'specs/a.yaml', text: 'at base\n' }]);
		expect(read.absent).toEqual(['specs/b.yaml']);
		expect(read.unreadable).toEqual([]);

		// The same file named from inside the subdirectory.
		const inside = await readSpecAtRef(base, ['a.yaml'], join(dir, 'specs'), process.env);
		expect(inside.sources).toEqual([{ file: 'a.yaml', text: 'at base\n' }]);
	});

	it('reports a file that is not UTF-8 at the commit as unreadable', async ({ onTestFinished }) => {
		const dir = await tempDirForTest(onTestFinished);
		await git(dir, 'init', '-q', '-b', 'main');
		await writeFile(join(dir, 'sessions.yaml'), Buffer.from([0x73, 0x74, 0xff, 0x0a]));
		await commitAll(dir);
		const read = await readSpecAtRef('main', ['sessions.yaml'], dir, process.env);
		expect(read.unreadable).toEqual(['sessions.yaml']);
		expect(read.sources).toEqual([]);
	});

	it('refuses an unknown ref, a ref that looks like an option, and a directory outside git', async ({
		onTestFinished,
	}) => {
		const dir = await tempDirForTest(onTestFinished);
		await writeFile(join(dir, 'sessions.yaml'), 'x\n');
		await expect(readSpecAtRef('main', ['sessions.yaml'], dir, process.env)).rejects.toThrow(
			/not in a git repository/
		);
		await git(dir, 'init', '-q', '-b', 'main');
		await commitAll(dir);
		await expect(readSpecAtRef('nope', ['sessions.yaml'], dir, process.env)).rejects.toThrow(
			/--base nope: no such commit/
		);
		await expect(
			readSpecAtRef('--output=x', ['sessions.yaml'], dir, process.env)
		).rejects.toBeInstanceOf(UserError);
	});
});

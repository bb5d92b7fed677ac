/**
 * Files given on the command line that are not what they seem: a FIFO as a spec file (which
 * blocked for ever), and `plan --out` onto an existing file of another mode or onto a symlink
 * (which kept the mode, and wrote through the link).
 */
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import {
	lstat,
	mkdir,
	open,
	readdir,
	readFile,
	readlink,
	stat,
	symlink,
	writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectExit } from '../support/plan-output.js';
import { runCli } from '../support/cli.js';
import { cli, hubForTest, useTempDir, writeSpec } from '../support/local-hub.js';

const SPEC = { stack: 'files', sessions: { a: { task: 'Work on a.' } } };

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

/** A FIFO nothing writes to; afterwards, anything still reading it is let go (end of file). */
async function fifoIn(
	dir: string,
	name: string,
	onTestFinished: (fn: () => Promise<void>) => void
) {
	const path = join(dir, name);
	execFileSync('mkfifo', [path]);
	onTestFinished(async () => {
		// Opening for writing without blocking succeeds only while a reader has it open.
		const writer = await open(path, constants.O_WRONLY | constants.O_NONBLOCK).catch(
			() => undefined
		);
		await writer?.close();
	});
	return path;
}

describe.skipIf(process.platform === 'win32')('a FIFO given as a spec file', () => {
	const dir = useTempDir('coder-sessions-fifo-');

	// fmt rewrites files in place: it reads no standard input, and does not offer it.
	for (const [command, hint, ...args] of [
		['validate', 'give a file, or - to read standard input', '-f'],
		// No Hub answers here: the spec is refused before one is asked.
		['plan', 'give a file, or - to read standard input', '--url', 'http://127.0.0.1:9', '-f'],
		['fmt', 'give a file', '--check'],
	]) {
		it(`is refused at once, unread: ${command}`, async ({ onTestFinished }) => {
			const name = `${command}.fifo`;
			await fifoIn(dir.path, name, onTestFinished);
			const result = await runCli([command!, ...args, name], { cwd: dir.path });
			expectExit(result, 1);
			expect(result.stderr).toContain(`${name}: not a regular file (a FIFO); ${hint}\n`);
		});
	}
});

describe('plan --out', () => {
	const dir = useTempDir('coder-sessions-out-');

	it('writes a new 0600 file over an existing 0644 one', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'mode.yaml', SPEC);
		const out = join(dir.path, 'mode.plan');
		await writeFile(out, 'an older plan', { mode: 0o644 });
		expect(await modeOf(out)).toBe(0o644);
		const result = await cli(hub, ['plan', '-f', file, '--out', 'mode.plan'], { cwd: dir.path });
		expectExit(result, 0);
		expect(await modeOf(out)).toBe(0o600);
		expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ formatVersion: 2 });
	});

	it('replaces a symlink at the path, leaving what it points at untouched', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'link.yaml', SPEC);
		const target = join(dir.path, 'elsewhere.txt');
		await writeFile(target, 'not a plan', { mode: 0o644 });
		const out = join(dir.path, 'link.plan');
		await symlink(target, out);
		expect(await readlink(out)).toBe(target);
		const result = await cli(hub, ['plan', '-f', file, '--out', 'link.plan'], { cwd: dir.path });
		expectExit(result, 0);
		const info = await lstat(out);
		expect(info.isSymbolicLink()).toBe(false);
		expect(info.mode & 0o777).toBe(0o600);
		expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ formatVersion: 2 });
		expect(await readFile(target, 'utf8')).toBe('not a plan');
		expect(await modeOf(target)).toBe(0o644);
	});

	it('leaves no temp file behind when it cannot write', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'dir.yaml', SPEC);
		await mkdir(join(dir.path, 'a-folder'));
		const result = await cli(hub, ['plan', '-f', file, '--out', 'a-folder'], { cwd: dir.path });
		expectExit(result, 1);
		expect(result.stderr).toContain('cannot write the plan to a-folder: it is a directory');
		expect((await readdir(dir.path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
	});

	it('is refused onto a --var-file, which is left as it was', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(
			dir.path,
			'vars-spec.yaml',
			'version: 1\nstack: files\nvars:\n  team: sdk\nsessions:\n  a:\n    task: Work on a.\n'
		);
		const varFile = join(dir.path, 'team.vars.yaml');
		await writeFile(varFile, 'team: docs\n');
		const result = await cli(
			hub,
			['plan', '-f', file, '--var-file', 'team.vars.yaml', '--out', 'team.vars.yaml'],
			{ cwd: dir.path }
		);
		expectExit(result, 1);
		expect(result.stderr).toContain(
			'--out team.vars.yaml would overwrite a --var-file; name another file'
		);
		expect(await readFile(varFile, 'utf8')).toBe('team: docs\n');
	});

	it('is refused onto any of the spec files, which is left as it was', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const first = await writeSpec(dir.path, 'first.yaml', SPEC);
		const second = await writeSpec(dir.path, 'second.yaml', {
			stack: 'files',
			sessions: { b: { task: 'Work on b.' } },
		});
		const before = await readFile(join(dir.path, second), 'utf8');
		const result = await cli(hub, ['plan', '-f', first, '-f', second, '--out', second], {
			cwd: dir.path,
		});
		expectExit(result, 1);
		expect(result.stderr).toContain(
			'--out second.yaml would overwrite a spec file; name another file'
		);
		expect(await readFile(join(dir.path, second), 'utf8')).toBe(before);
	});

	it('names a folder that is missing, or is a file, in words: exit 1, no temp name', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'folder.yaml', SPEC);
		await writeFile(join(dir.path, 'a-file'), 'not a folder');
		for (const out of ['no-such-folder/p.plan', 'a-file/p.plan']) {
			const result = await cli(hub, ['plan', '-f', file, '--out', out], { cwd: dir.path });
			expectExit(result, 1);
			expect(result.stderr).toContain(`cannot write the plan to ${out}: its folder does not exist`);
			expect(result.stderr).not.toContain('.tmp');
			expect(result.stderr).not.toMatch(/\n\s+at /);
		}
	});

	it('writes a plan under the longest name the file system takes, and names one too long', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'long.yaml', SPEC);
		const longest = `${'p'.repeat(250)}.plan`;
		const written = await cli(hub, ['plan', '-f', file, '--out', longest], { cwd: dir.path });
		expectExit(written, 0);
		expect(JSON.parse(await readFile(join(dir.path, longest), 'utf8'))).toMatchObject({
			kind: 'coder-sessions/plan',
		});
		const tooLong = `${'p'.repeat(300)}.plan`;
		const refused = await cli(hub, ['plan', '-f', file, '--out', tooLong], { cwd: dir.path });
		expectExit(refused, 1);
		expect(refused.stderr).toContain(`cannot write the plan to ${tooLong}: the name is too long`);
		expect((await readdir(dir.path)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
	});
});

/**
 * Commands that rewrite a spec file (`fmt`, `export --write`) through the built CLI, when the
 * disk fills up mid-write (a file size limit makes the write fail partway, as a full disk does):
 * the spec is left as it was, never cut short into a shorter spec that still parses (which a
 * later apply would read as sessions removed). A spec reached through a symlink stays a symlink,
 * its target rewritten with its mode kept.
 */
import { spawn } from 'node:child_process';
import {
	chmod,
	lstat,
	mkdir,
	readFile,
	readdir,
	readlink,
	stat,
	symlink,
	writeFile,
} from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_TIMEOUT_MS, cliPath, runCli, type CliResult } from '../support/cli.js';
import {
	applySpec,
	editLive,
	hubForTest,
	liveIdsByKey,
	seedSession,
	useTempDir,
} from '../support/local-hub.js';

/** 2 KiB: `ulimit -f` counts 1024-byte blocks. */
const FILE_SIZE_LIMIT_BLOCKS = 2;

/** A spec of several entries, well over the limit, that fmt changes (padding after the keys). */
const LONG_SPEC = [
	'version: 1',
	'stack: full-disk',
	'sessions:',
	...Array.from({ length: 24 }, (_, index) => [
		`  review-${index}:   `,
		`    task: Review the part ${index} of the docs and open a pull request with every fix   `,
		`    label: Review ${index}`,
	]).flat(),
	'',
].join('\n');

/** The built CLI with writes past the size limit failing (EFBIG), as on a full disk. */
function runWithFileSizeLimit(args: readonly string[], cwd: string): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			'/bin/sh',
			[
				'-c',
				`ulimit -f ${FILE_SIZE_LIMIT_BLOCKS} && exec "$0" "$@"`,
				process.execPath,
				cliPath,
				...args,
			],
			{
				cwd,
				env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
				stdio: ['ignore', 'pipe', 'pipe'],
			}
		);
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), CLI_TIMEOUT_MS);
		child.on('error', reject);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({ code, signal, stdout, stderr });
		});
	});
}

describe
	.skipIf(process.platform === 'win32')
	.concurrent('a spec file rewritten on a full disk', () => {
		const root = useTempDir('spec-file-writes-');
		/** A folder of the test's own, so no other test's files show in it. */
		async function folder(name: string): Promise<string> {
			const path = join(root.path, name);
			await mkdir(path);
			return path;
		}

		it('fmt fails with a clear error and leaves the spec whole, with no temp file beside it', async () => {
			const dir = await folder('fmt');
			const file = join(dir, 'fmt.yaml');
			await writeFile(file, LONG_SPEC);
			expect(LONG_SPEC.length).toBeGreaterThan(FILE_SIZE_LIMIT_BLOCKS * 1024);
			const result = await runWithFileSizeLimit(['fmt', 'fmt.yaml'], dir);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain('cannot write fmt.yaml');
			expect(result.stderr).not.toMatch(/\n\s+at /);
			expect(await readFile(file, 'utf8')).toBe(LONG_SPEC);
			expect(await readdir(dir)).toEqual(['fmt.yaml']);
		});

		it('export --write fails with a clear error and leaves the spec whole', async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished);
			await seedSession(hub, { task: 'Nightly build', label: 'Nightly' });
			const dir = await folder('export');
			const file = join(dir, 'export.yaml');
			await writeFile(file, LONG_SPEC);
			const args = ['export', '--stack', 'full-disk', '--unmanaged', '--write', 'export.yaml'];
			const result = await runWithFileSizeLimit([...args, '--url', hub.url], dir);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain('cannot write export.yaml');
			expect(result.stderr).not.toMatch(/\n\s+at /);
			expect(await readFile(file, 'utf8')).toBe(LONG_SPEC);
		});

		it('drift --write fails with a clear error and leaves the spec whole', async ({
			onTestFinished,
		}) => {
			const hub = await hubForTest(onTestFinished);
			const dir = await folder('drift');
			const file = join(dir, 'drift.yaml');
			await writeFile(file, LONG_SPEC);
			await applySpec(hub, 'drift.yaml', { cwd: dir });
			const ids = await liveIdsByKey(hub, 'full-disk');
			await editLive(hub, ids['review-0']!, { label: 'Renamed by hand' });
			const args = ['drift', '-f', 'drift.yaml', '--write', '--auto-approve', '--url', hub.url];
			const result = await runWithFileSizeLimit(args, dir);
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(
				'cannot write drift.yaml (EFBIG); nothing was written, nothing recorded on the Hub'
			);
			expect(result.stderr).not.toMatch(/\n\s+at /);
			expect(await readFile(file, 'utf8')).toBe(LONG_SPEC);
		});

		it('fmt of a spec reached through a symlink rewrites its target, keeping the link and the mode', async () => {
			const dir = await folder('symlink');
			const target = join(dir, 'shared.yaml');
			await writeFile(target, LONG_SPEC);
			await chmod(target, 0o640);
			const link = join(dir, 'linked.yaml');
			await symlink('shared.yaml', link);
			const result = await runCli(['fmt', 'linked.yaml'], { cwd: dir, binary: true });
			expect(result.code, result.stderr).toBe(0);
			expect((await lstat(link)).isSymbolicLink()).toBe(true);
			expect(await readlink(link)).toBe('shared.yaml');
			expect(await readFile(target, 'utf8')).not.toBe(LONG_SPEC);
			expect(await readFile(target, 'utf8')).toContain('review-23:\n');
			expect((await stat(target)).mode & 0o777).toBe(0o640);
		});

		// Permissions bind only a user other than root (the suite may run as root: then skipped).
		it.skipIf(process.getuid?.() === 0)(
			'fmt leaves a read-only spec as it was, and writes one in a folder it cannot add to in place',
			async () => {
				const dir = await folder('permissions');
				const readOnly = join(dir, 'read-only.yaml');
				await writeFile(readOnly, LONG_SPEC, { mode: 0o444 });
				const refused = await runCli(['fmt', 'read-only.yaml'], { cwd: dir, binary: true });
				expect(refused.code).toBe(1);
				expect(refused.stderr).toContain('cannot write read-only.yaml (EACCES)');
				expect(await readFile(readOnly, 'utf8')).toBe(LONG_SPEC);

				const closed = await folder('closed-folder');
				const writable = join(closed, 'writable.yaml');
				await writeFile(writable, LONG_SPEC);
				await chmod(closed, 0o555);
				try {
					const result = await runCli(['fmt', 'writable.yaml'], { cwd: closed, binary: true });
					expect(result.code, result.stderr).toBe(0);
					expect(await readFile(writable, 'utf8')).toContain('review-23:\n');
				} finally {
					await chmod(closed, 0o755);
				}
			}
		);
	});

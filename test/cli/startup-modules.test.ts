/**
 * Commands that never reach the Hub start without loading the SDK (@agentuity/core), which is
 * most of a start-up's time: the built binary runs under a module hook that lists every module
 * the process loads.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, projectRoot, runCli, runNode } from '../support/cli.js';

const recordLoads = fileURLToPath(new URL('../support/record-loads.mjs', import.meta.url));
const example = 'examples/sessions.yaml';
const isSdk = (url: string) => url.includes('/node_modules/@agentuity/core/');
/** Whether `url` is a module of the package `name` (from node_modules). */
const isPackage = (name: string) => (url: string) => url.includes(`/node_modules/${name}/`);

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'coder-sessions-startup-'));
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

/** The URLs of the modules `coder-sessions ...args` loads, and how it exited. */
async function modulesLoadedBy(args: readonly string[], cwd: string) {
	const record = join(dir, `${args.join(' ').replace(/\W+/g, '-')}.txt`);
	const result = await runNode(['--import', recordLoads, cliPath, ...args], {
		cwd,
		env: { RECORD_LOADS_TO: record },
	});
	const loaded = (await readFile(record, 'utf8')).split('\n').filter(Boolean);
	return { result, loaded };
}

describe.concurrent('start-up of commands that never reach the Hub', () => {
	it.each(
		[
			['--version'],
			['--help'],
			['completion', 'bash'],
			['schema'],
			['fmt', '--check', '-f', example],
			['validate', '-f', example],
		].map((args) => ({ line: args.join(' '), args }))
	)('coder-sessions $line never loads the SDK', async ({ args }) => {
		const { result, loaded } = await modulesLoadedBy(args, projectRoot);
		expect(result.code, result.stderr).toBe(0);
		expect(loaded).toContainEqual(expect.stringContaining('/dist/cli/program.js'));
		expect(loaded.filter(isSdk)).toEqual([]);
	});

	it('coder-sessions --version loads neither the spec parser (yaml) nor the schemas (zod)', async () => {
		const { result, loaded } = await modulesLoadedBy(['--version'], projectRoot);
		expect(result.code, result.stderr).toBe(0);
		expect(loaded.filter(isPackage('yaml'))).toEqual([]);
		expect(loaded.filter(isPackage('zod'))).toEqual([]);
	});

	it('coder-sessions --help loads the flag declarations, not the schemas (zod)', async () => {
		const { result, loaded } = await modulesLoadedBy(['--help'], projectRoot);
		expect(result.code, result.stderr).toBe(0);
		expect(loaded.filter(isPackage('zod'))).toEqual([]);
	});

	it.each(['--version', '-V'])(
		'%s alone prints the version, though no command is declared for it',
		async (flag) => {
			const { version } = JSON.parse(await readFile(join(projectRoot, 'package.json'), 'utf8')) as {
				version: string;
			};
			const result = await runCli([flag]);
			expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
		}
	);

	it('a command that reaches the Hub loads it (what the hook records)', async () => {
		const spec = join(projectRoot, example);
		const { loaded } = await modulesLoadedBy(['plan', '--local', '-f', spec], dir);
		expect(loaded.filter(isSdk)).not.toEqual([]);
	});
});

/**
 * Commands that never reach the Hub start without loading the SDK (@agentuity/core), which is
 * most of a start-up's time: the built binary runs under a module hook that lists every file
 * the process loads. The binary is bundled (scripts/bundle-cli.mjs): a loaded chunk stands for
 * the modules the bundler's metafile (dist/bin/meta.json) says it holds.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, projectRoot, runCli, runNode } from '../support/cli.js';

const recordLoads = fileURLToPath(new URL('../support/record-loads.mjs', import.meta.url));
const example = 'examples/sessions.yaml';
/** Whether a loaded URL, or a module a chunk holds, is the SDK's (bundled into the binary's chunks). */
const isSdk = (module: string) => module.includes('node_modules/@agentuity/core/');
/** Whether `module` is a module of the package `name` (from node_modules). */
const isPackage = (name: string) => (module: string) => module.includes(`node_modules/${name}/`);

let dir: string;
beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'coder-sessions-startup-'));
});
afterAll(async () => {
	await rm(dir, { recursive: true, force: true });
});

let records = 0;

/** What each chunk of the binary holds: project-relative module paths, by chunk path. */
async function chunkInputs(): Promise<Map<string, string[]>> {
	const outputs = JSON.parse(
		await readFile(join(projectRoot, 'dist/bin/meta.json'), 'utf8')
	) as Record<string, { inputs: Record<string, unknown> }>;
	return new Map(
		Object.entries(outputs).map(([chunk, { inputs }]) => [
			join(projectRoot, chunk),
			Object.keys(inputs),
		])
	);
}

/**
 * What `coder-sessions ...args` loads, and how it exited: `loaded`, the URLs of the files the
 * process loads; `modules`, the modules bundled into the chunks among them.
 */
async function modulesLoadedBy(args: readonly string[], cwd: string) {
	records += 1;
	const record = join(dir, `${records}${args.join(' ').replace(/\W+/g, '-')}.txt`);
	const result = await runNode(['--import', recordLoads, cliPath, ...args], {
		cwd,
		env: { RECORD_LOADS_TO: record },
	});
	const loaded = (await readFile(record, 'utf8')).split('\n').filter(Boolean);
	const chunks = await chunkInputs();
	const modules = loaded
		.filter((url) => url.startsWith('file:'))
		.flatMap((url) => chunks.get(fileURLToPath(url)) ?? []);
	return { result, loaded, modules };
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
		const { result, loaded, modules } = await modulesLoadedBy(args, projectRoot);
		expect(result.code, result.stderr).toBe(0);
		expect(loaded).toContainEqual(expect.stringContaining('/dist/bin/coder-sessions.js'));
		expect(modules.filter(isSdk)).toEqual([]);
		expect(loaded.filter(isSdk)).toEqual([]);
	});

	it.each(['--version', '-V'])(
		'coder-sessions %s loads no parser: of command lines, specs or schemas',
		async (flag) => {
			const { result, modules } = await modulesLoadedBy([flag], projectRoot);
			expect(result.code, result.stderr).toBe(0);
			expect(modules).toContain('dist/cli/version.js');
			for (const name of ['commander', 'yaml', 'zod'])
				expect(modules.filter(isPackage(name))).toEqual([]);
		}
	);

	it('coder-sessions --help loads the flag declarations, not the schemas (zod)', async () => {
		const { result, modules } = await modulesLoadedBy(['--help'], projectRoot);
		expect(result.code, result.stderr).toBe(0);
		expect(modules.filter(isPackage('commander'))).not.toEqual([]);
		expect(modules.filter(isPackage('zod'))).toEqual([]);
	});

	it('coder-sessions validate loads the schemas and the spec parser, but not the Hub client', async () => {
		const { result, modules } = await modulesLoadedBy(['validate', '-f', example], projectRoot);
		expect(result.code, result.stderr).toBe(0);
		expect(modules.filter(isPackage('zod'))).not.toEqual([]);
		expect(modules.filter(isPackage('yaml'))).not.toEqual([]);
		expect(modules).not.toContain('dist/hub/client.js');
		// zod's message locales are half its text; English, its default, is the one used.
		const locales = modules.filter((module) => module.includes('node_modules/zod/v4/locales/'));
		expect(new Set(locales)).toEqual(new Set(['node_modules/zod/v4/locales/en.js']));
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
		const { modules } = await modulesLoadedBy(['plan', '--local', '-f', spec], dir);
		expect(modules.filter(isSdk)).not.toEqual([]);
	});
});

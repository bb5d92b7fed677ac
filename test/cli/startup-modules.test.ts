/**
 * Commands that never reach the Hub start without running the SDK (@agentuity/core), which is
 * most of a start-up's time. The binary is bundled (scripts/bundle-cli.mjs): dist/bin/cli.cjs
 * holds every module, each reached through a dynamic import wrapped in a function named after
 * the module and run at its first import. V8's coverage (NODE_V8_COVERAGE) of a run tells which
 * of those functions ran; a module the bundle holds without such a function runs whenever the
 * bundle does. The bundler's metafile (dist/bin/meta.json) lists the modules each file holds.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, runCli, runNode, cliPath } from '../support/cli.js';

const example = 'examples/sessions.yaml';
/** Whether a module the bundle holds is the SDK's. */
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

let runs = 0;

/** What each file of the binary holds: project-relative module paths, by absolute file path. */
async function bundleInputs(): Promise<Map<string, string[]>> {
	const outputs = JSON.parse(
		await readFile(join(projectRoot, 'dist/bin/meta.json'), 'utf8')
	) as Record<string, { inputs: Record<string, unknown> }>;
	return new Map(
		Object.entries(outputs).map(([file, { inputs }]) => [
			join(projectRoot, file),
			Object.keys(inputs),
		])
	);
}

interface ScriptCoverage {
	readonly url: string;
	readonly functions: readonly {
		readonly functionName: string;
		readonly ranges: readonly { readonly count: number }[];
	}[];
}

/**
 * How `coder-sessions ...args` exited, and `modules`: the modules of the binary's files that ran,
 * by V8's coverage of the process.
 */
async function modulesRunBy(args: readonly string[], cwd: string) {
	runs += 1;
	const coverage = join(dir, `${runs}${args.join(' ').replace(/\W+/g, '-')}`);
	const result = await runNode([cliPath, ...args], { cwd, env: { NODE_V8_COVERAGE: coverage } });
	const scripts: ScriptCoverage[] = [];
	for (const file of await readdir(coverage)) {
		const report = JSON.parse(await readFile(join(coverage, file), 'utf8')) as {
			result: ScriptCoverage[];
		};
		scripts.push(...report.result);
	}
	const inputs = await bundleInputs();
	const modules = scripts.flatMap((script) => {
		const held = inputs.get(
			script.url.startsWith('file:') ? fileURLToPath(script.url) : script.url
		);
		if (!held) return [];
		const wrapped = new Map(script.functions.map((fn) => [fn.functionName, fn]));
		return held.filter((module) => {
			const wrapper = wrapped.get(module);
			return wrapper === undefined || (wrapper.ranges[0]?.count ?? 0) > 0;
		});
	});
	return { result, modules };
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
	)('coder-sessions $line never runs the SDK', async ({ args }) => {
		const { result, modules } = await modulesRunBy(args, projectRoot);
		expect(result.code, result.stderr).toBe(0);
		expect(modules).toContain('dist/cli/launch.js');
		expect(modules.filter(isSdk)).toEqual([]);
	});

	it.each(['--version', '-V'])(
		'coder-sessions %s runs no parser: of command lines, specs or schemas',
		async (flag) => {
			const { result, modules } = await modulesRunBy([flag], projectRoot);
			expect(result.code, result.stderr).toBe(0);
			expect(modules).toContain('dist/cli/version.js');
			for (const name of ['commander', 'yaml', 'zod'])
				expect(modules.filter(isPackage(name))).toEqual([]);
		}
	);

	it('coder-sessions --help runs the flag declarations, not the schemas (zod)', async () => {
		const { result, modules } = await modulesRunBy(['--help'], projectRoot);
		expect(result.code, result.stderr).toBe(0);
		expect(modules.filter(isPackage('commander'))).not.toEqual([]);
		expect(modules.filter(isPackage('zod'))).toEqual([]);
	});

	it('coder-sessions validate runs the schemas and the spec parser, but not the Hub client', async () => {
		const { result, modules } = await modulesRunBy(['validate', '-f', example], projectRoot);
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

	it('a command that reaches the Hub runs it (what the coverage shows)', async () => {
		const spec = join(projectRoot, example);
		const { modules } = await modulesRunBy(['plan', '--local', '-f', spec], dir);
		expect(modules.filter(isSdk)).not.toEqual([]);
	});
});

/**
 * `fmt` through the built CLI: files rewritten in place, --check for CI, --diff, errors that
 * write nothing, and a formatted spec that plans exactly as before against a local Hub.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { applySpec, cli, hubForTest, useTempDir } from '../support/local-hub.js';

const UNFORMATTED = [
	'# docs sessions',
	'sessions:',
	'  review:',
	'    label: "Review"',
	'    task: Review the docs # the prompt',
	'    env: {LITERAL_KEY: "lit-Secret-Value-31aa", TOKEN: "${TOKEN}"}',
	'stack: fmt-docs',
	'version: 1',
	'',
].join('\n');

const FORMATTED = [
	'# docs sessions',
	'version: 1',
	'stack: fmt-docs',
	'sessions:',
	'  review:',
	'    task: Review the docs # the prompt',
	'    label: Review',
	'    env:',
	'      LITERAL_KEY: lit-Secret-Value-31aa',
	'      TOKEN: ${TOKEN}',
	'',
].join('\n');

const MINIMAL = 'version: 1\nstack: fmt-docs\nsessions:\n  other:\n    task: Other\n';

describe.concurrent('coder-sessions fmt', () => {
	const dir = useTempDir('coder-sessions-fmt-');
	let counter = 0;
	/** A fresh subdirectory name per test, so concurrent tests do not share files. */
	async function files(contents: Record<string, string>): Promise<string> {
		counter += 1;
		const prefix = `t${counter}-`;
		await Promise.all(
			Object.entries(contents).map(([name, text]) => writeFile(join(dir.path, prefix + name), text))
		);
		return prefix;
	}
	const read = (name: string) => readFile(join(dir.path, name), 'utf8');

	it('rewrites the files given, names them, and changes nothing the second time', async () => {
		const p = await files({ 'a.yaml': UNFORMATTED, 'b.yaml': MINIMAL });
		const first = await runCli(['fmt', '-f', `${p}a.yaml`, '-f', `${p}b.yaml`], { cwd: dir.path });
		expect(first.code, first.stderr).toBe(0);
		expect(first.stdout).toBe(`${p}a.yaml\n`);
		expect(await read(`${p}a.yaml`)).toBe(FORMATTED);
		expect(await read(`${p}b.yaml`)).toBe(MINIMAL);
		const second = await runCli(['fmt', `${p}a.yaml`, `${p}b.yaml`], { cwd: dir.path });
		expect(second.code).toBe(0);
		expect(second.stdout).toBe('');
		expect(await read(`${p}a.yaml`)).toBe(FORMATTED);
	});

	it('--check names the files not formatted, exits 1 and writes nothing', async () => {
		const p = await files({ 'a.yaml': UNFORMATTED, 'b.yaml': MINIMAL });
		const result = await runCli(['fmt', '--check', '-f', `${p}a.yaml`, '-f', `${p}b.yaml`], {
			cwd: dir.path,
		});
		expect(result.code).toBe(1);
		expect(result.stdout).toBe(`${p}a.yaml\n`);
		expect(result.stderr).toContain('1 file is not formatted; run coder-sessions fmt');
		expect(await read(`${p}a.yaml`)).toBe(UNFORMATTED);
		const clean = await runCli(['fmt', '--check', '-f', `${p}b.yaml`], { cwd: dir.path });
		expect(clean.code).toBe(0);
		expect(clean.stdout + clean.stderr).toBe('');
	});

	it('--diff prints a unified diff, with literal env values masked', async () => {
		const p = await files({ 'a.yaml': UNFORMATTED });
		const result = await runCli(['fmt', '--check', '--diff', '-f', `${p}a.yaml`], {
			cwd: dir.path,
		});
		expect(result.code).toBe(1);
		expect(result.stdout).toMatch(new RegExp(`^--- a/${p}a.yaml\n\\+\\+\\+ b/${p}a.yaml\n@@ `));
		expect(result.stdout).toContain('-stack: fmt-docs\n');
		expect(result.stdout).toContain('+version: 1\n');
		expect(result.stdout).toContain('+      TOKEN: ${TOKEN}\n');
		expect(result.stdout).not.toContain('lit-Secret-Value-31aa');
		expect(await read(`${p}a.yaml`)).toBe(UNFORMATTED);
		// Without --check, --diff shows the change and makes it.
		const written = await runCli(['fmt', '--diff', '-f', `${p}a.yaml`], { cwd: dir.path });
		expect(written.code).toBe(0);
		expect(written.stdout).toContain('+version: 1\n');
		expect(await read(`${p}a.yaml`)).toBe(FORMATTED);
	});

	it('reports invalid YAML and invalid specs at FILE:LINE:COL and writes no file', async () => {
		const p = await files({
			'a.yaml': UNFORMATTED,
			'syntax.yaml': 'version: 1\nstack: fmt-docs\nsessions: [\n',
			'schema.yaml': 'version: 1\nstack: fmt-docs\nsessions:\n  a:\n    task: t\n    tsk: x\n',
		});
		const result = await runCli(['fmt', `${p}a.yaml`, `${p}syntax.yaml`, `${p}schema.yaml`], {
			cwd: dir.path,
		});
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(new RegExp(`^${p}syntax.yaml:3:\\d+: invalid YAML`, 'm'));
		expect(result.stderr).toContain(`${p}schema.yaml:6:5: sessions.a.tsk: unknown field "tsk"`);
		expect(result.stderr).toContain('Nothing was formatted.');
		expect(result.stderr).not.toMatch(/\n\s+at /);
		expect(await read(`${p}a.yaml`)).toBe(UNFORMATTED);
	});

	it('formats sessions.yaml when no file is given, and says so when it is missing', async () => {
		const sub = join(dir.path, `default-${Date.now()}`);
		await runCli(['fmt'], { cwd: dir.path }).then((result) => {
			expect(result.code).toBe(1);
			expect(result.stderr).toContain(
				`sessions.yaml: file not found in ${dir.path} (read when -f names no spec): run from the folder that holds it, or give the spec with -f FILE`
			);
		});
		const { mkdir } = await import('node:fs/promises');
		await mkdir(sub);
		await writeFile(join(sub, 'sessions.yaml'), UNFORMATTED);
		const result = await runCli(['fmt'], { cwd: sub });
		expect(result.code, result.stderr).toBe(0);
		expect(await readFile(join(sub, 'sessions.yaml'), 'utf8')).toBe(FORMATTED);
	});

	it('a formatted spec plans no change against the Hub it was applied to', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const p = await files({ 'hub.yaml': UNFORMATTED });
		const env = { TOKEN: 'tok-value-for-fmt' };
		await applySpec(hub, `${p}hub.yaml`, { cwd: dir.path, env });
		const formatted = await runCli(['fmt', `${p}hub.yaml`], { cwd: dir.path });
		expect(formatted.code).toBe(0);
		expect(await read(`${p}hub.yaml`)).toBe(FORMATTED);
		const plan = await cli(hub, ['plan', '--detailed-exitcode', '-f', `${p}hub.yaml`], {
			cwd: dir.path,
			env,
		});
		expect(plan.code, plan.stdout + plan.stderr).toBe(0);
	});
});

/**
 * Inputs as kubectl takes them: `-f dir/`, `-f -`, globs in `--only`, and `--select` on tags and
 * metadata, for plan, apply, status and drift against a local Hub.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import {
	applySpec,
	cli,
	hubForTest,
	liveIdsByKey,
	useTempDir,
	writeSpec,
} from '../support/local-hub.js';

interface PlanJson {
	readonly files: string[];
	readonly only: string[];
	readonly actions: { key: string; kind: string }[];
}

const keysOf = (stdout: string, kind = 'create') =>
	(JSON.parse(stdout) as PlanJson).actions
		.filter((action) => action.kind === kind)
		.map((action) => action.key)
		.sort();

const SCOPED = {
	stack: 'scoped',
	sessions: {
		'docs-api': { task: 'API docs', tags: ['nightly'], metadata: { team: 'docs' } },
		'docs-guide': { task: 'Guide', metadata: { team: 'docs' } },
		'sdk-lint': { task: 'Lint', tags: ['nightly'], metadata: { team: 'sdk' } },
	},
};

describe.concurrent('spec inputs', () => {
	const dir = useTempDir();

	it('-f DIR reads every *.yaml and *.yml directly inside it, sorted by name', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const specs = join(dir.path, 'specs');
		await mkdir(join(specs, 'nested'), { recursive: true });
		await writeSpec(specs, 'b.yml', { stack: 'dir', sessions: { beta: { task: 'B' } } });
		await writeSpec(specs, 'a.yaml', { stack: 'dir', sessions: { alpha: { task: 'A' } } });
		await writeFile(join(specs, 'notes.txt'), 'not a spec');
		await writeSpec(join(specs, 'nested'), 'c.yaml', {
			stack: 'dir',
			sessions: { gamma: { task: 'C' } },
		});
		const result = await cli(hub, ['plan', '-f', 'specs', '--format', 'json'], {
			cwd: dir.path,
		});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		expect((JSON.parse(result.stdout) as PlanJson).files).toEqual([
			join('specs', 'a.yaml'),
			join('specs', 'b.yml'),
		]);
		expect(keysOf(result.stdout)).toEqual(['alpha', 'beta']);
	});

	it('-f DIR without YAML files is an error', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		await mkdir(join(dir.path, 'empty'), { recursive: true });
		const result = await cli(hub, ['plan', '-f', 'empty'], { cwd: dir.path });
		expect(result.code).toBe(1);
		expect(result.stderr).toContain('empty: directory has no *.yaml or *.yml file');
		expect(hub.stats().total ?? 0).toBe(0);
	});

	it('-f - reads the spec from standard input, merged with other files', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		await writeSpec(dir.path, 'stdin-other.yaml', {
			stack: 'stdin',
			sessions: { other: { task: 'Other' } },
		});
		const input = 'version: 1\nstack: stdin\nsessions:\n  piped:\n    task: From a pipe\n';
		for (const binary of [false, true]) {
			const result = await cli(
				hub,
				['plan', '-f', '-', '-f', 'stdin-other.yaml', '--format', 'json'],
				{ cwd: dir.path, input, binary }
			);
			expect(result.code).toBe(0);
			expect((JSON.parse(result.stdout) as PlanJson).files).toEqual([
				'<stdin>',
				'stdin-other.yaml',
			]);
			expect(keysOf(result.stdout)).toEqual(['other', 'piped']);
		}
	});

	it('errors in standard input name <stdin> with line and column; - twice is refused', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const input = 'version: 1\nstack: stdin\nsessions:\n  piped:\n    tsak: typo\n';
		const bad = await cli(hub, ['plan', '-f', '-'], { cwd: dir.path, input });
		expect(bad.code).toBe(1);
		expect(bad.stderr).toMatch(/<stdin>:5:5/);
		const twice = await cli(hub, ['plan', '-f', '-', '-f', '-'], { cwd: dir.path, input });
		expect(twice.code).toBe(1);
		expect(twice.stderr).toContain('given more than once');
		const base = await cli(hub, ['plan', '-f', '-', '--base', 'HEAD'], {
			cwd: dir.path,
			input: 'version: 1\nstack: stdin\nsessions:\n  piped:\n    task: ok\n',
		});
		expect(base.code).toBe(1);
		expect(base.stderr).toContain('--base reads the spec files at a git ref');
		const validate = await runCli(['validate', '-f', '-'], {
			cwd: dir.path,
			input: 'version: 1\nstack: stdin\nsessions:\n  piped:\n    task: ok\n',
		});
		expect(validate.code).toBe(0);
		expect(validate.stdout).toContain('<stdin>: 1 entry in stack stdin');
		expect(hub.stats().total ?? 0).toBe(0);
	});

	it('--only takes globs, matched against spec keys and the live keys of the stack', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'glob.yaml', SCOPED);
		await applySpec(hub, file, { cwd: dir.path });
		// docs-old leaves the spec: a glob still reaches it, to archive it.
		const { 'docs-api': _api, ...rest } = SCOPED.sessions;
		const next = await writeSpec(dir.path, 'glob-next.yaml', {
			...SCOPED,
			sessions: { ...rest, 'docs-new': { task: 'New' } },
		});
		const plan = await cli(hub, ['plan', '-f', next, '--only', 'docs-*', '--format', 'json'], {
			cwd: dir.path,
		});
		expect(plan.code).toBe(0);
		const json = JSON.parse(plan.stdout) as PlanJson;
		expect(json.only).toEqual(['docs-api', 'docs-guide', 'docs-new']);
		expect(keysOf(plan.stdout)).toEqual(['docs-new']);
		expect(keysOf(plan.stdout, 'archive')).toEqual(['docs-api']);
		expect(json.actions.map((action) => action.key)).not.toContain('sdk-lint');

		const none = await cli(hub, ['plan', '-f', next, '--only', 'web-*', '--only', 'sdk-*'], {
			cwd: dir.path,
		});
		expect(none.code).toBe(1);
		expect(none.stderr).toContain(
			'--only names no entry of the spec nor session of stack scoped: web-*'
		);
	});

	it('--select picks spec entries by tag and metadata; repeated selectors all hold', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'select.yaml', SCOPED);
		const plan = (...args: string[]) =>
			cli(hub, ['plan', '-f', file, '--format', 'json', ...args], { cwd: dir.path });
		expect(keysOf((await plan('--select', 'tag=nightly')).stdout)).toEqual([
			'docs-api',
			'sdk-lint',
		]);
		expect(keysOf((await plan('--select', 'metadata.team=docs')).stdout)).toEqual([
			'docs-api',
			'docs-guide',
		]);
		const both = await plan('--select', 'tag=nightly', '--select', 'metadata.team=docs');
		expect(keysOf(both.stdout)).toEqual(['docs-api']);
		const withOnly = await plan('--select', 'tag=nightly', '--only', 'sdk-*');
		expect(keysOf(withOnly.stdout)).toEqual(['sdk-lint']);

		const nothing = await plan('--select', 'tag=weekly');
		expect(nothing.code).toBe(1);
		expect(nothing.stderr).toContain('--select tag=weekly matches no entry of the spec');
		const disjoint = await plan('--select', 'metadata.team=sdk', '--only', 'docs-*');
		expect(disjoint.code).toBe(1);
		expect(disjoint.stderr).toContain('among the keys --only names');
		const malformed = await plan('--select', 'owner:me');
		expect(malformed.code).toBe(1);
		expect(malformed.stderr).toContain('use tag=NAME or metadata.KEY=VALUE');
		expect(malformed.stderr).not.toMatch(/\n\s+at /);
	});

	it('apply --select changes only the selected entries', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'apply-select.yaml', SCOPED);
		await applySpec(hub, file, { cwd: dir.path, args: ['--select', 'tag=nightly'] });
		expect(Object.keys(await liveIdsByKey(hub, 'scoped')).sort()).toEqual(['docs-api', 'sdk-lint']);
		const saved = await cli(hub, ['apply', 'plan.json', '--select', 'tag=nightly'], {
			cwd: dir.path,
		});
		expect(saved.code).toBe(1);
		expect(saved.stderr).toContain('give PLANFILE or --only/--select, not both');
	});

	it('status and drift report only the keys in scope', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'report.yaml', SCOPED);
		await applySpec(hub, file, { cwd: dir.path });
		const status = await cli(
			hub,
			['status', '-f', file, '--format', 'json', '--only', 'docs-*', '--select', 'tag=nightly'],
			{ cwd: dir.path }
		);
		expect(status.code).toBe(0);
		const rows = (JSON.parse(status.stdout) as { sessions: { key: string }[] }).sessions;
		expect(rows.map((row) => row.key)).toEqual(['docs-api']);
		const drift = await cli(
			hub,
			['drift', '-f', file, '--format', 'json', '--select', 'metadata.team=sdk'],
			{ cwd: dir.path }
		);
		expect(drift.code).toBe(0);
		const sessions = (JSON.parse(drift.stdout) as { sessions: { key: string }[] }).sessions;
		expect(sessions.map((session) => session.key)).toEqual(['sdk-lint']);
		const unknown = await cli(hub, ['status', '-f', file, '--only', 'web-*'], { cwd: dir.path });
		expect(unknown.code).toBe(1);
		expect(unknown.stderr).toContain('web-*');
	});
});

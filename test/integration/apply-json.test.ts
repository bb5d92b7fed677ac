/**
 * `apply --format json|jsonl`: stdout holds the machine-readable report only (progress and the
 * plan go to stderr); it says what was done per action, the counts and the exit code, and never
 * an env value.
 */
import { describe, expect, it } from 'vitest';
import type { ApplyJsonV1 } from '../../src/render/apply-json.js';
import { cli, hubForTest, liveIdsByKey, useTempDir, writeSpec } from '../support/local-hub.js';

const SECRET = 'apply-json-secret-value-42';

const doc = (stdout: string) => JSON.parse(stdout) as ApplyJsonV1;

describe.concurrent('apply --format json', () => {
	const dir = useTempDir();
	const env = { DOCS_TOKEN: SECRET };

	it('reports creates, then updates and archives, with session ids before and after', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'json.yaml', {
			stack: 'json',
			sessions: {
				docs: { task: 'Docs', env: { TOKEN: '${DOCS_TOKEN}' } },
				sdk: { task: 'SDK' },
			},
		});
		const first = await cli(hub, ['apply', '--auto-approve', '-f', file, '--format', 'json'], {
			cwd: dir.path,
			env,
		});
		expect(first.code).toBe(0);
		expect(first.stdout).not.toContain(SECRET);
		expect(first.stderr).not.toContain(SECRET);
		expect(first.stderr).toContain('Apply finished: 2 applied');
		const created = doc(first.stdout);
		const ids = await liveIdsByKey(hub, 'json');
		expect(created).toMatchObject({
			formatVersion: 1,
			stack: 'json',
			status: 'applied',
			exitCode: 0,
			succeeded: true,
			counts: { applied: 2, failed: 0, skipped: 0, unknown: 0, 'not-attempted': 0 },
			reasons: [],
		});
		expect(created.runId).toEqual(expect.any(String));
		expect(created.actions).toEqual([
			{
				key: 'docs',
				kind: 'create',
				status: 'applied',
				sessionIdBefore: null,
				sessionIdAfter: ids.docs,
			},
			{
				key: 'sdk',
				kind: 'create',
				status: 'applied',
				sessionIdBefore: null,
				sessionIdAfter: ids.sdk,
			},
		]);

		await writeSpec(dir.path, 'json.yaml', {
			stack: 'json',
			sessions: { docs: { task: 'Docs', label: 'Documentation', env: { TOKEN: '${DOCS_TOKEN}' } } },
		});
		const second = await cli(hub, ['apply', '--auto-approve', '-f', file, '--format', 'json'], {
			cwd: dir.path,
			env,
		});
		expect(second.code).toBe(0);
		expect(doc(second.stdout).actions).toEqual([
			{
				key: 'docs',
				kind: 'update',
				status: 'applied',
				sessionIdBefore: ids.docs,
				sessionIdAfter: ids.docs,
			},
			{
				key: 'sdk',
				kind: 'archive',
				status: 'applied',
				sessionIdBefore: ids.sdk,
				sessionIdAfter: null,
			},
		]);

		const third = await cli(hub, ['apply', '--auto-approve', '-f', file, '--format', 'json'], {
			cwd: dir.path,
			env,
		});
		expect(third.code).toBe(0);
		expect(doc(third.stdout)).toMatchObject({ status: 'no-changes', exitCode: 0, actions: [] });
	});

	it('says how a refused or failed run ends, with the exit code it exits with', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'refused.yaml', {
			stack: 'refused',
			sessions: { keep: { task: 'Keep', protect: true } },
		});
		const apply = () =>
			cli(hub, ['apply', '--auto-approve', '-f', file, '--format', 'json'], {
				cwd: dir.path,
				env,
			});
		expect((await apply()).code).toBe(0);
		await writeSpec(dir.path, 'refused.yaml', { stack: 'refused', sessions: {} });
		const refused = await apply();
		expect(refused.code).toBe(3);
		expect(doc(refused.stdout)).toMatchObject({
			status: 'refused',
			exitCode: 3,
			succeeded: false,
			actions: [{ key: 'keep', kind: 'archive', status: 'not-attempted' }],
		});
		expect(doc(refused.stdout).reasons.length).toBeGreaterThan(0);

		await writeSpec(dir.path, 'refused.yaml', {
			stack: 'refused',
			sessions: {
				keep: { task: 'Keep', protect: true },
				other: { task: 'Other', env: { TOKEN: '${NOT_SET}' } },
			},
		});
		const missing = await apply();
		expect(missing.code).toBe(1);
		expect(missing.stderr).toContain('NOT_SET');
		expect(doc(missing.stdout)).toMatchObject({ status: 'error', exitCode: 1, stack: null });
	});

	it('--format jsonl prints one line per event as it happens, the report last', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'jsonl.yaml', {
			stack: 'jsonl',
			sessions: { a: { task: 'A', env: { TOKEN: '${DOCS_TOKEN}' } }, b: { task: 'B' } },
		});
		const result = await cli(
			hub,
			['apply', '--auto-approve', '-f', file, '--format', 'jsonl', '--parallelism', '1'],
			{ cwd: dir.path, env }
		);
		expect(result.code).toBe(0);
		expect(result.stdout).not.toContain(SECRET);
		const lines = result.stdout
			.trimEnd()
			.split('\n')
			.map((line) => JSON.parse(line) as Record<string, unknown>);
		expect(lines.map((line) => [line.type, line.key])).toEqual([
			['start', 'a'],
			['finish', 'a'],
			['start', 'b'],
			['finish', 'b'],
			['result', undefined],
		]);
		expect(lines[1]).toMatchObject({ kind: 'create', status: 'applied' });
		expect(lines[4]).toMatchObject({ formatVersion: 1, status: 'applied', exitCode: 0 });
	});
});

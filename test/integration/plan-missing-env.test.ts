/**
 * Plan fails where apply will (issue 18, part 7): a create or replace whose env needs an unset
 * variable fails `plan` (exit 1, each variable named with the entries that need it, file:line),
 * not only the apply after the merge. Updates keep their note; `--allow-missing-env` plans
 * without the env secrets and says what it cannot promise; `validate` stays offline and notes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resetStats, writesIn } from '../support/apply-helpers.js';
import { runCli } from '../support/cli.js';
import { applySpec, cli, hubForTest, liveIdsByKey, writeSpec } from '../support/local-hub.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';

/** Line 4 declares docs, line 8 api, line 10 plain: the file:line plan must name. */
const SPEC = `version: 1
stack: envs
sessions:
  docs:
    task: Review the docs.
    env:
      API_TOKEN: \${API_TOKEN}
  api:
    task: Review the API.
    env: { TOKEN: "Bearer \${API_TOKEN}", GH: "\${GH_TOKEN}" }
  plain:
    task: Needs no env.
`;

async function setUp(onTestFinished: (fn: () => Promise<void>) => void) {
	const hub = await hubForTest(onTestFinished);
	const dir = await mkdtemp(join(tmpdir(), 'plan-missing-env-'));
	onTestFinished(() => rm(dir, { recursive: true, force: true }));
	await writeSpec(dir, 'sessions.yaml', SPEC);
	const run = (args: string[], env: Record<string, string> = {}) =>
		cli(hub, args, { cwd: dir, env });
	return { hub, dir, run };
}

const ALL_SET = { API_TOKEN: 'token-value-1', GH_TOKEN: 'gh-value-22' };

describe.concurrent('plan with env variables that are not set', () => {
	it('fails a plan that creates sessions needing them: exit 1, each variable with its entries at file:line, nothing saved', async ({
		onTestFinished,
	}) => {
		const { hub, dir, run } = await setUp(onTestFinished);

		const result = await run(['plan', '-f', 'sessions.yaml', '--out', 'plan.json'], {
			GH_TOKEN: 'gh-value-22',
		});

		expect(result.code, result.stderr).toBe(1);
		expect(result.stderr).toContain('Error: environment variable API_TOKEN not set');
		expect(result.stderr).toContain(
			'sessions.yaml:4:3: sessions.docs.env.API_TOKEN: API_TOKEN is not set (docs is to be created with this env)'
		);
		expect(result.stderr).toContain(
			'sessions.yaml:8:3: sessions.api.env.TOKEN: API_TOKEN is not set (api is to be created with this env)'
		);
		expect(result.stderr).toContain('--allow-missing-env');
		// Only the unset variable is named, never a value, and no plan stands as if it were whole.
		expect(result.stderr).not.toContain('GH_TOKEN');
		expect(result.stderr).not.toContain('gh-value-22');
		expect(result.stdout).toBe('');
		expect(existsSync(join(dir, 'plan.json'))).toBe(false);
		expect(writesIn(hub.stats())).toEqual({ create: 0, update: 0, archive: 0, delete: 0 });
	});

	it('names every unset variable, with --detailed-exitcode too', async ({ onTestFinished }) => {
		const { run } = await setUp(onTestFinished);

		const result = await run(['plan', '-f', 'sessions.yaml', '--detailed-exitcode']);

		expect(result.code, result.stderr).toBe(1);
		expect(result.stderr).toContain('environment variables API_TOKEN, GH_TOKEN not set');
		expect(result.stderr).toContain(
			'sessions.yaml:8:3: sessions.api.env.GH: GH_TOKEN is not set (api is to be created with this env)'
		);
	});

	it('fails a plan that replaces a session needing them', async ({ onTestFinished }) => {
		const { hub, dir, run } = await setUp(onTestFinished);
		await applySpec(hub, 'sessions.yaml', { cwd: dir, env: ALL_SET });

		const result = await run(['plan', '-f', 'sessions.yaml', '--replace', 'docs'], {
			GH_TOKEN: 'gh-value-22',
		});

		expect(result.code, result.stderr).toBe(1);
		expect(result.stderr).toContain(
			'sessions.yaml:4:3: sessions.docs.env.API_TOKEN: API_TOKEN is not set (docs is to be replaced with this env)'
		);
		// api is only compared (no create), so it is not named.
		expect(result.stderr).not.toContain('sessions.api');
	});

	it('keeps the note, and no error, for sessions it only compares or updates', async ({
		onTestFinished,
	}) => {
		const { hub, dir, run } = await setUp(onTestFinished);
		await applySpec(hub, 'sessions.yaml', { cwd: dir, env: ALL_SET });
		await writeSpec(
			dir,
			'sessions.yaml',
			SPEC.replace('Review the API.', 'Review the API.\n    label: API')
		);

		const result = await run(['plan', '-f', 'sessions.yaml', '--detailed-exitcode']);

		expect(result.code, result.stderr).toBe(2);
		expect(result.stdout).toMatch(/update\s+api/);
		expect(result.stderr).toContain(
			'note: env values not compared, as API_TOKEN, GH_TOKEN are not set here'
		);
		expect(result.stderr).not.toContain('Error');
	});

	it('plans with --allow-missing-env, noting what it cannot promise; apply still stops before any write', async ({
		onTestFinished,
	}) => {
		const { hub, dir, run } = await setUp(onTestFinished);

		const planned = await run(
			[
				'plan',
				'-f',
				'sessions.yaml',
				'--allow-missing-env',
				'--format',
				'markdown',
				'--out',
				'plan.json',
				'--detailed-exitcode',
			],
			{ GH_TOKEN: 'gh-value-22' }
		);

		expect(planned.code, planned.stderr).toBe(2);
		const note =
			'note: API_TOKEN is not set here (--allow-missing-env): this plan cannot promise create api (sessions.yaml:8), create docs (sessions.yaml:4), whose env needs it; apply stops before any write unless it is set then';
		expect(planned.stderr).toContain(note);
		// The reviewer sees it in the pull-request comment too.
		expect(planned.stdout).toContain('cannot promise create api (sessions.yaml:8), create docs');
		expect(existsSync(join(dir, 'plan.json'))).toBe(true);

		await resetStats(hub.url);
		const unset = await run(['apply', 'plan.json'], { GH_TOKEN: 'gh-value-22' });
		expect(unset.code, unset.stderr).toBe(1);
		expect(unset.stderr).toContain('nothing was applied');
		expect(writesIn(hub.stats())).toEqual({ create: 0, update: 0, archive: 0, delete: 0 });

		const set = await run(['apply', 'plan.json'], ALL_SET);
		expect(set.code, set.stderr).toBe(0);
		expect(Object.keys(await liveIdsByKey(hub, 'envs')).sort()).toEqual(['api', 'docs', 'plain']);
	});
});

describe.concurrent('plan with many unset variables, as a fork is planned', () => {
	it('keeps the pull-request comment under its limit: the note names a few variables and entries and counts the rest', async ({
		onTestFinished,
	}) => {
		const { dir, run } = await setUp(onTestFinished);
		// Every entry reads the shared secret and one variable of its own: 2,000 of each.
		const entries = Array.from({ length: 2000 }, (_, i) =>
			[
				`  s${i}:`,
				`    task: Task ${i}.`,
				`    env: { TOKEN: "\${API_TOKEN}", OWN: "\${OWN_VARIABLE_${i}}" }`,
			].join('\n')
		);
		await writeSpec(
			dir,
			'many.yaml',
			`version: 1\nstack: many\nsessions:\n${entries.join('\n')}\n`
		);

		const planned = await run([
			'plan',
			'-f',
			'many.yaml',
			'--allow-missing-env',
			'--format',
			'markdown',
			'--detailed-exitcode',
		]);

		expect(planned.code).toBe(2);
		// The whole plan, its fingerprint last, within the comment's budget.
		expect(planned.stdout.length).toBeLessThanOrEqual(60_000);
		expect(planned.stdout).toMatch(/Fingerprint: <code>sha256:[0-9a-f]{64}<\/code>\n$/);
		const note = planned.stderr.split('\n').find((line) => line.startsWith('note: API')) ?? '';
		expect(note.length).toBeLessThan(1000);
		expect(note).toMatch(
			/^note: API_TOKEN, OWN_VARIABLE_0, OWN_VARIABLE_1, .* and 1991 more are not set here \(--allow-missing-env\): this plan cannot promise create s0 \(many\.yaml:4\), .* and 1990 more, whose env needs them;/
		);
		expect(planned.stdout).toContain('and 1991 more are not set here');
	});
});

describe.concurrent('validate with env variables that are not set', () => {
	it('stays offline and passes, noting the variables and the entries that read them', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'validate-missing-env-'));
		try {
			await writeSpec(dir, 'sessions.yaml', SPEC);
			const result = await runCli(['validate', '-f', 'sessions.yaml'], { cwd: dir });
			expect(result.code, result.stderr).toBe(0);
			expect(result.stderr).toContain(
				'note: API_TOKEN, GH_TOKEN are not set here, and read by the env of api (sessions.yaml:8), docs (sessions.yaml:4)'
			);
			const quiet = await runCli(['validate', '-f', 'sessions.yaml'], { cwd: dir, env: ALL_SET });
			expect(quiet.stderr).toBe('');
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});

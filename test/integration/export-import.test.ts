/**
 * `export`, `adopt:` and `import` end to end: the built CLI against an in-process local Hub
 * (issue "Adopting, exporting and watching sessions"). Hand-made sessions are created through
 * the SDK's CoderClient, as another tool or person would.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MARKER } from '../../src/ownership/markers.js';
import type { PlanJsonV1 } from '../../src/render/json.js';
import { projectRoot, runCli, type CliResult } from '../support/cli.js';
import {
	applySpec,
	cli,
	hubForTest,
	seedSession,
	useTempDir,
	writeSpec,
	type TestHub,
} from '../support/local-hub.js';

const EXAMPLE = join(projectRoot, 'test/fixtures/docs-team/sessions.yaml');
/** The GitHub App reach the example's pinned repos need (apply checks them). */
const GITHUB_FIXTURE = join(projectRoot, 'test/fixtures/docs-team/github-repos.yaml');
const SECRET = 'tok-7f3e9a-never-printed';
const ENV = { DOCS_API_TOKEN: SECRET };

/** A user-facing failure: no stack frames, no "Internal error". */
function expectClean(result: CliResult, code: number): void {
	expect(result.code, result.stdout + result.stderr).toBe(code);
	expect(result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
	expect(result.stderr).not.toContain('Internal error');
}

async function markers(hub: TestHub, id: string) {
	const metadata = (await hub.client.getSession(id)).metadata ?? {};
	return { stack: metadata[MARKER.stack], key: metadata[MARKER.key] };
}

const handMade = (hub: TestHub, label: string, extra: Record<string, unknown> = {}) =>
	seedSession(hub, { task: `${label}: the task, as written by hand.`, label, ...extra });

describe.concurrent('export', () => {
	const dir = useTempDir('export-it-');

	it('round-trips a stack: the exported spec validates and plans to no change', async ({
		onTestFinished,
	}) => {
		const githubRepos = parse(await readFile(GITHUB_FIXTURE, 'utf8'));
		const hub = await hubForTest(onTestFinished, { githubRepos });
		await applySpec(hub, EXAMPLE, { cwd: dir.path, env: ENV });
		const exported = await cli(hub, ['export', '--stack', 'docs-team'], { cwd: dir.path });
		expectClean(exported, 0);
		expect(exported.stdout.split('\n')[0]).toBe(
			'# yaml-language-server: $schema=./node_modules/coder-sessions/schema/sessions.schema.json'
		);
		expect(exported.stdout).toContain('DOCS_API_TOKEN: ${DOCS_API_TOKEN}');
		expect(exported.stderr).toBe('Exported 6 sessions for stack docs-team.\n');
		await writeFile(join(dir.path, 'round-trip.yaml'), exported.stdout);

		const validated = await runCli(['validate', '-f', 'round-trip.yaml'], { cwd: dir.path });
		expect(validated.stdout).toBe('round-trip.yaml: 6 entries in stack docs-team\n');
		const replanned = await cli(hub, ['plan', '-f', 'round-trip.yaml', '--detailed-exitcode'], {
			cwd: dir.path,
			env: ENV,
		});
		expectClean(replanned, 0);
		expect(replanned.stdout).toContain('No changes. The Hub matches the spec (6 sessions).');
		for (const output of [exported, replanned])
			expect(output.stdout + output.stderr).not.toContain(SECRET);
	});

	it('exports hand-made sessions with derived keys and adopt:, and the result validates', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const first = await handMade(hub, 'Bug triage', {
			tags: ['triage'],
			metadata: { owner: 'maria' },
		});
		const second = await handMade(hub, 'Bug triage', { env: { GH_TOKEN: SECRET } });
		const unnamed = await handMade(hub, '!!!');
		await seedSession(hub, {
			task: 'Owned elsewhere',
			metadata: { [MARKER.stack]: 'other', [MARKER.key]: 'x' },
		});

		const exported = await cli(hub, ['export', '--stack', 'team', '--unmanaged'], {
			cwd: dir.path,
		});
		expectClean(exported, 0);
		expect(exported.stdout).not.toContain(SECRET);
		expect(exported.stdout).toContain('prune: keep');
		const entry = (key: string) =>
			new RegExp(`\n  ${key}:\n(?: {4}.*\n)+`).exec(exported.stdout)?.[0];
		expect(entry('bug-triage')).toMatch(`\n    adopt: ${first}\n`);
		expect(entry('bug-triage-2')).toMatch(`\n    adopt: ${second}\n`);
		expect(entry(unnamed)).toMatch(`\n    adopt: ${unnamed}\n`);
		expect(exported.stdout).not.toContain('Owned elsewhere');
		await writeFile(join(dir.path, 'unmanaged.yaml'), exported.stdout);
		const validated = await runCli(['validate', '-f', 'unmanaged.yaml'], { cwd: dir.path });
		expectClean(validated, 0);

		const narrowed = await cli(
			hub,
			['export', '--stack', 'team', '--unmanaged', '--search', 'BUG'],
			{ cwd: dir.path }
		);
		expect(narrowed.stdout).toContain('bug-triage-2:');
		expect(narrowed.stdout).not.toContain(unnamed);
		expectClean(await cli(hub, ['export', '--unmanaged'], { cwd: dir.path }), 1);
	});
});

describe.concurrent('adopt: in the spec', () => {
	const dir = useTempDir('adopt-it-');

	it('is reviewed as a plan, applied in one update, and inert afterwards', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const id = await handMade(hub, 'Release notes', { tags: ['release'] });
		const file = await writeSpec(dir.path, 'adopt.yaml', {
			stack: 'docs-team',
			sessions: {
				'release-notes': {
					adopt: id,
					task: 'Release notes: the task, as written by hand.',
					label: 'Release notes 2.0',
					tags: ['release'],
				},
			},
		});
		const planned = await cli(hub, ['plan', '-f', file, '--detailed-exitcode'], { cwd: dir.path });
		expectClean(planned, 2);
		expect(planned.stdout).toContain(` <= adopt    release-notes  ${id} "Release notes"`);
		expect(planned.stdout).toContain('~ label: "Release notes" -> "Release notes 2.0"');
		expect(planned.stdout).toContain(
			'Plan: 0 to create, 1 to adopt, 0 to update, 0 to replace, 0 to archive, 0 to delete.'
		);
		const json = JSON.parse(
			(await cli(hub, ['plan', '-f', file, '--format', 'json'], { cwd: dir.path })).stdout
		) as PlanJsonV1;
		expect(json.actions).toMatchObject([{ kind: 'adopt', key: 'release-notes', sessionId: id }]);

		await hub.resetStats();
		await applySpec(hub, file, { cwd: dir.path });
		expect(hub.stats()).toMatchObject({ update: 1 });
		expect(hub.stats().create ?? 0).toBe(0);
		expect(await markers(hub, id)).toEqual({ stack: 'docs-team', key: 'release-notes' });
		expect((await hub.client.getSession(id)).label).toBe('Release notes 2.0');
		expectClean(await cli(hub, ['plan', '-f', file, '--detailed-exitcode'], { cwd: dir.path }), 0);
	});

	it('refuses a session of another stack (exit 3) unless --take-over', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const id = await seedSession(hub, {
			task: 'Shared task',
			metadata: { [MARKER.stack]: 'other-team', [MARKER.key]: 'shared' },
		});
		const file = await writeSpec(dir.path, 'take-over.yaml', {
			stack: 'docs-team',
			sessions: { shared: { adopt: id, task: 'Shared task' } },
		});
		const planned = await cli(hub, ['plan', '-f', file], { cwd: dir.path });
		expect(planned.stdout).toContain(
			`Session ${id} (entry shared) belongs to stack other-team; re-run with --take-over to adopt it.`
		);
		const refused = await cli(hub, ['apply', '-f', file, '--auto-approve'], { cwd: dir.path });
		expectClean(refused, 3);
		expect(refused.stderr).toContain('re-run with --take-over');
		expect(await markers(hub, id)).toEqual({ stack: 'other-team', key: 'shared' });
		await applySpec(hub, file, { cwd: dir.path, args: ['--take-over'] });
		expect(await markers(hub, id)).toEqual({ stack: 'docs-team', key: 'shared' });
	});

	it('applies a saved plan of a take-over; the flag is kept in the plan', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const id = await seedSession(hub, {
			task: 'Saved task',
			metadata: { [MARKER.stack]: 'other-team', [MARKER.key]: 'saved' },
		});
		const file = await writeSpec(dir.path, 'saved.yaml', {
			stack: 'docs-team',
			sessions: { saved: { adopt: id, task: 'Saved task' } },
		});
		const planned = await cli(
			hub,
			['plan', '-f', file, '--take-over', '--out', 'saved.plan.json'],
			{
				cwd: dir.path,
			}
		);
		expectClean(planned, 0);
		const applied = await cli(hub, ['apply', 'saved.plan.json'], { cwd: dir.path });
		expectClean(applied, 0);
		expect(applied.stdout).toContain(`applied  adopt saved (${id})`);
		expect(await markers(hub, id)).toEqual({ stack: 'docs-team', key: 'saved' });
	});

	it('names an unknown session id with its place in the file (exit 1)', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'unknown.yaml', {
			stack: 'docs-team',
			sessions: { ghost: { adopt: 'codesess_000000000000', task: 'x' } },
		});
		const planned = await cli(hub, ['plan', '-f', file], { cwd: dir.path });
		expectClean(planned, 1);
		expect(planned.stderr).toBe(
			'Cannot plan: 1 problem with adopt:\n  unknown.yaml:4:3: sessions.ghost.adopt: session "codesess_000000000000" not found on the Hub (check the id, and --org)\n'
		);
	});
});

describe.concurrent('import', () => {
	const dir = useTempDir('import-it-');

	it('prints the entry to add when the spec lacks it, then adopts with --auto-approve', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const id = await handMade(hub, 'Flaky tests', { tags: ['ci'] });
		const file = await writeSpec(dir.path, 'import.yaml', {
			stack: 'ci-team',
			sessions: { other: { task: 'Other task' } },
		});
		await applySpec(hub, file, { cwd: dir.path });

		const missing = await cli(hub, ['import', id, '-f', file], { cwd: dir.path });
		expectClean(missing, 1);
		expect(missing.stderr).toContain('import.yaml lacks the entry to import into');
		expect(missing.stdout).toBe(
			`sessions:\n  flaky-tests:\n    task: 'Flaky tests: the task, as written by hand.'\n    label: Flaky tests\n    visibility: private\n    tags:\n      - ci\n    adopt: ${id}\n`
		);
		await appendFile(join(dir.path, file), missing.stdout.replace(/^sessions:\n/, ''));

		const imported = await cli(hub, ['import', id, '-f', file, '--auto-approve'], {
			cwd: dir.path,
		});
		expectClean(imported, 0);
		expect(imported.stdout).toContain(`applied  adopt flaky-tests (${id})`);
		expect(await markers(hub, id)).toEqual({ stack: 'ci-team', key: 'flaky-tests' });
		expectClean(await cli(hub, ['plan', '-f', file, '--detailed-exitcode'], { cwd: dir.path }), 0);
		const again = await cli(hub, ['import', id, '-f', file, '--auto-approve'], { cwd: dir.path });
		expectClean(again, 0);
		expect(again.stderr).toContain('is managed by stack ci-team already, as flaky-tests');
	});

	it("imports under --key, refuses another stack's session (exit 3) unless --take-over", async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const id = await seedSession(hub, {
			task: 'Nightly',
			metadata: { [MARKER.stack]: 'night-team', [MARKER.key]: 'n' },
		});
		const file = await writeSpec(dir.path, 'keyed.yaml', {
			stack: 'day-team',
			sessions: { nightly: { task: 'Nightly' } },
		});
		const refused = await cli(
			hub,
			['import', id, '--key', 'nightly', '-f', file, '--auto-approve'],
			{ cwd: dir.path }
		);
		expectClean(refused, 3);
		expect(refused.stderr).toContain(
			`Session ${id} (entry nightly) belongs to stack night-team; re-run with --take-over to adopt it.`
		);
		const taken = await cli(
			hub,
			['import', id, '--key', 'nightly', '-f', file, '--auto-approve', '--take-over'],
			{ cwd: dir.path }
		);
		expectClean(taken, 0);
		expect(await markers(hub, id)).toEqual({ stack: 'day-team', key: 'nightly' });
	});

	it('fails clearly on a session id the Hub does not know (exit 1)', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'none.yaml', { stack: 'x-team', sessions: {} });
		const result = await cli(
			hub,
			['import', 'codesess_doesnotexist', '-f', file, '--auto-approve'],
			{ cwd: dir.path }
		);
		expectClean(result, 1);
		expect(result.stderr).toBe(
			'Error: session not found on the Hub: codesess_doesnotexist (check the id, and --org)\n'
		);
	});
});

/**
 * `import --write` and `export --unmanaged --write FILE`: the entries go into the spec file, at
 * the end of `sessions:`, and every other line of the file stays as it was.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MARKER } from '../../src/ownership/markers.js';
import { runCli } from '../support/cli.js';
import { cli, hubForTest, seedSession, useTempDir } from '../support/local-hub.js';

const COMMENTED = `# Sessions of the write team.
version: 1
stack: write   # one stack per file

sessions:
    # The docs pipeline.
    docs:
        task: "Keep the docs current"   # quoted on purpose

# end of file
`;

describe.concurrent('writing entries into the spec', () => {
	const dir = useTempDir('write-it-');

	it('import --write adds the missing entry to the spec file, keeps its comments, and imports', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const id = await seedSession(hub, { task: 'Review pull requests', label: 'Review bot' });
		const file = join(dir.path, 'import.yaml');
		await writeFile(file, COMMENTED);
		const result = await cli(
			hub,
			['import', id, '-f', 'import.yaml', '--write', '--auto-approve'],
			{
				cwd: dir.path,
			}
		);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toContain('Wrote 1 entry to import.yaml.');
		const text = await readFile(file, 'utf8');
		// The entry is added after the last one; every other byte is as it was.
		const entry = /\n {4}review-bot:\n(?: {6,}.*\n)+/;
		expect(text).toMatch(/\n {4}review-bot:\n {6}task: Review pull requests\n/);
		expect(text.replace(entry, '')).toBe(COMMENTED);
		expect(parse(text).sessions['review-bot']).toMatchObject({ adopt: id });
		const metadata = (await hub.client.getSession(id)).metadata ?? {};
		expect(metadata[MARKER.stack]).toBe('write');
		expect(metadata[MARKER.key]).toBe('review-bot');

		const plan = await cli(hub, ['plan', '-f', 'import.yaml', '--detailed-exitcode'], {
			cwd: dir.path,
		});
		expect(plan.stdout + plan.stderr).not.toContain('review-bot: create');
		expect(plan.code).not.toBe(1);
	});

	it('import --write FILE writes to another file of the spec; without a file several files are refused', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const id = await seedSession(hub, { task: 'Triage issues', label: 'Triage' });
		await writeFile(join(dir.path, 'main.yaml'), 'version: 1\nstack: split\nsessions: {}\n');
		await writeFile(
			join(dir.path, 'more.yaml'),
			'version: 1\nstack: split\nsessions:\n  more:\n    task: More\n'
		);
		const several = await cli(
			hub,
			['import', id, '-f', 'main.yaml', '-f', 'more.yaml', '--write', '--auto-approve'],
			{ cwd: dir.path }
		);
		expect(several.code).toBe(1);
		expect(several.stderr).toContain('name the one to write to, --write FILE');
		const named = await cli(
			hub,
			['import', id, '-f', 'main.yaml', '--write', 'imported.yaml', '--auto-approve'],
			{ cwd: dir.path }
		);
		expect(named.code, named.stderr).toBe(0);
		const written = parse(await readFile(join(dir.path, 'imported.yaml'), 'utf8'));
		expect(written).toMatchObject({
			version: 1,
			stack: 'split',
			sessions: { triage: { adopt: id } },
		});
		expect(await readFile(join(dir.path, 'main.yaml'), 'utf8')).toBe(
			'version: 1\nstack: split\nsessions: {}\n'
		);
	});

	it('export --unmanaged --write FILE appends the unmarked sessions; a clash or another stack is refused', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const first = await seedSession(hub, { task: 'Nightly build', label: 'Nightly' });
		const second = await seedSession(hub, { task: 'Weekly report', label: 'Weekly' });
		const file = join(dir.path, 'export.yaml');
		await writeFile(file, COMMENTED);
		const args = ['export', '--stack', 'write', '--unmanaged', '--write', 'export.yaml'];
		const result = await cli(hub, args, { cwd: dir.path });
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain('Wrote 2 sessions for stack write to export.yaml.');
		const text = await readFile(file, 'utf8');
		expect(text.startsWith(COMMENTED.split('\n# end of file')[0]!)).toBe(true);
		expect(text).toContain('# end of file');
		const sessions = parse(text).sessions as Record<string, { adopt?: string }>;
		expect(Object.keys(sessions)).toEqual(['docs', 'nightly', 'weekly']);
		expect(sessions.nightly?.adopt).toBe(first);
		expect(sessions.weekly?.adopt).toBe(second);
		const validate = await cli(hub, ['plan', '-f', 'export.yaml'], { cwd: dir.path });
		expect(validate.code, validate.stderr).toBe(0);

		const again = await cli(hub, args, { cwd: dir.path });
		expect(again.code).toBe(1);
		expect(again.stderr).toContain('export.yaml already declares nightly, weekly');
		const other = await cli(
			hub,
			['export', '--stack', 'other', '--unmanaged', '--write', 'export.yaml'],
			{ cwd: dir.path }
		);
		expect(other.code).toBe(1);
		expect(other.stderr).toContain('export.yaml is a spec of stack write, not other');
		expect(await readFile(file, 'utf8')).toBe(text);
	});
});

/** A spec as `fmt` leaves it. */
const FORMATTED = `version: 1
stack: tidy # the team's sessions

defaults:
  tags: [docs, managed]

sessions:
  docs:
    task: Keep the docs current
    tags: [nightly]
`;

describe.concurrent('what export, export --write and import --write write is in fmt layout', () => {
	const dir = useTempDir('write-fmt-');
	const fmtCheck = async (file: string) => {
		const result = await runCli(['fmt', '--check', '--diff', file], { cwd: dir.path });
		expect(result.code, result.stdout + result.stderr).toBe(0);
	};

	it('export (stdout) and export --write', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		await seedSession(hub, {
			task: 'Triage the issues labelled bug.\nPropose a fix for each.\n',
			label: 'Bug triage',
			tags: ['triage', 'bugs'],
			metadata: { owner: '@maria', team: 'docs' },
			repos: [{ owner: 'agentuity', name: 'sdk', branch: 'main' }],
		});
		await seedSession(hub, { task: 'Weekly: write the report', label: 'Weekly' });

		const printed = await cli(hub, ['export', '--stack', 'tidy', '--unmanaged'], {
			cwd: dir.path,
		});
		expect(printed.code, printed.stderr).toBe(0);
		await writeFile(join(dir.path, 'printed.yaml'), printed.stdout);
		await fmtCheck('printed.yaml');

		await writeFile(join(dir.path, 'tidy.yaml'), FORMATTED);
		const written = await cli(
			hub,
			['export', '--stack', 'tidy', '--unmanaged', '--write', 'tidy.yaml'],
			{ cwd: dir.path }
		);
		expect(written.code, written.stderr).toBe(0);
		const text = await readFile(join(dir.path, 'tidy.yaml'), 'utf8');
		expect(text.startsWith(FORMATTED)).toBe(true);
		await fmtCheck('tidy.yaml');
	});

	it('import --write', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const id = await seedSession(hub, {
			task: 'Review: the pull requests',
			label: 'Review bot',
			tags: ['review'],
			metadata: { owner: '@docs' },
		});
		await writeFile(join(dir.path, 'imported.yaml'), FORMATTED);

		const result = await cli(
			hub,
			['import', id, '-f', 'imported.yaml', '--write', '--auto-approve'],
			{ cwd: dir.path }
		);

		expect(result.code, result.stderr).toBe(0);
		const text = await readFile(join(dir.path, 'imported.yaml'), 'utf8');
		expect(text.startsWith(FORMATTED)).toBe(true);
		await fmtCheck('imported.yaml');
	});
});

/** The stack's spec, managing a session and an agent, as a team has it once adopted. */
const MANAGED = `version: 1
stack: kept

sessions:
  docs:
    task: Keep the docs current

agents:
  writer:
    instructions: You write clear docs.

workspaces:
  repo:
    dependencies: [git]
`;

describe.concurrent('export --write once the stack manages records of other kinds', () => {
	const dir = useTempDir('write-kept-');

	it('--unmanaged adds the unmarked sessions only: the stack records stay out of it', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		await writeFile(join(dir.path, 'kept.yaml'), MANAGED);
		const applied = await cli(hub, ['apply', '-f', 'kept.yaml', '--auto-approve'], {
			cwd: dir.path,
		});
		expect(applied.code, applied.stderr).toBe(0);
		const workspace = (await hub.client.listWorkspaces()).workspaces[0]!.id;
		const id = await seedSession(hub, {
			task: 'Nightly build',
			label: 'Nightly',
			workspaceId: workspace,
		});

		const printed = await cli(hub, ['export', '--stack', 'kept', '--unmanaged'], {
			cwd: dir.path,
		});
		expect(printed.code, printed.stderr).toBe(0);
		expect(Object.keys(parse(printed.stdout))).toEqual(['version', 'stack', 'prune', 'sessions']);

		const written = await cli(
			hub,
			['export', '--stack', 'kept', '--unmanaged', '--write', 'kept.yaml'],
			{ cwd: dir.path }
		);
		expect(written.code, written.stderr).toBe(0);
		expect(written.stderr).toContain('Wrote 1 session for stack kept to kept.yaml.');
		const spec = parse(await readFile(join(dir.path, 'kept.yaml'), 'utf8'));
		expect(Object.keys(spec.sessions)).toEqual(['docs', 'nightly']);
		expect(spec.sessions.nightly.adopt).toBe(id);
		// The file the entry is written to may not declare the workspace: it is named by id.
		expect(spec.sessions.nightly.workspaceId).toBe(workspace);
		expect(Object.keys(spec.agents)).toEqual(['writer']);
		const planned = await cli(hub, ['plan', '-f', 'kept.yaml'], { cwd: dir.path });
		expect(planned.code, planned.stderr).toBe(0);
		expect(planned.stdout).toContain(
			'Plan: 0 to create, 1 to adopt, 0 to update, 0 to replace, 0 to archive, 0 to delete.'
		);
	});

	it('a FILE not there yet is written as the printed spec, prune: keep included', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		await writeFile(join(dir.path, 'whole.yaml'), MANAGED.replace('stack: kept', 'stack: whole'));
		const applied = await cli(hub, ['apply', '-f', 'whole.yaml', '--auto-approve'], {
			cwd: dir.path,
		});
		expect(applied.code, applied.stderr).toBe(0);
		await seedSession(hub, { task: 'Weekly report', label: 'Weekly' });
		const args = ['export', '--stack', 'whole', '--unmanaged'];
		const printed = await cli(hub, args, { cwd: dir.path });

		const written = await cli(hub, [...args, '--write', 'part.yaml'], { cwd: dir.path });
		expect(written.code, written.stderr).toBe(0);
		expect(await readFile(join(dir.path, 'part.yaml'), 'utf8')).toBe(printed.stdout);
		const planned = await cli(hub, ['plan', '-f', 'part.yaml'], { cwd: dir.path });
		expect(planned.code, planned.stderr).toBe(0);
		expect(planned.stdout).toContain(
			'Plan: 0 to create, 1 to adopt, 0 to update, 0 to replace, 0 to archive, 0 to delete.'
		);
	});

	it('a key FILE declares in any section is refused before anything is written', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		await writeFile(join(dir.path, 'clash.yaml'), MANAGED.replace('stack: kept', 'stack: clash'));
		const applied = await cli(hub, ['apply', '-f', 'clash.yaml', '--auto-approve'], {
			cwd: dir.path,
		});
		expect(applied.code, applied.stderr).toBe(0);
		await seedSession(hub, { task: 'Weekly report', label: 'Weekly' });
		const other =
			'version: 1\nstack: clash\nsessions: {}\nagents:\n  writer:\n    instructions: x\n';
		await writeFile(join(dir.path, 'other.yaml'), other);

		const written = await cli(
			hub,
			['export', '--stack', 'clash', '--all', '--write', 'other.yaml'],
			{ cwd: dir.path }
		);
		expect(written.code).toBe(1);
		expect(written.stderr).toContain('other.yaml already declares writer');
		expect(await readFile(join(dir.path, 'other.yaml'), 'utf8')).toBe(other);
	});
});

/**
 * The commands that read a stack (`drift`, `status`) know every kind of the kind table: the toy
 * notes and pins of toy-note.ts, through the real CLI against the local Hub.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/index.js';
import type { DriftJsonV1 } from '../../src/render/drift.js';
import type { StatusJsonV1 } from '../../src/render/status.js';
import { cli, useCliDir, useLocalHub } from '../support/local-hub.js';
import { noteKind, TABLE, type Workspace } from './toy-note.js';

/** A kind the Hub cannot change once made (every field `replace`), as saved skills are. */
const { forgetInput: _drops, ...fixedNote } = noteKind;
const stampKind = {
	...fixedNote,
	name: 'stamp',
	section: 'stamps',
	fields: noteKind.fields.map((field) => ({ ...field, onChange: 'replace' as const })),
};
const WITH_STAMPS = [...TABLE, stampKind];

describe('drift and status of other kinds', () => {
	const hub = useLocalHub({}, 'all');
	const dir = useCliDir('toy-commands-');
	const run = (args: readonly string[]) => cli(hub.current, args, { cwd: dir.path, table: TABLE });

	const writeStack = (stack: string, notes: string, pins = '') =>
		writeFile(
			join(dir.path, `${stack}.yaml`),
			`version: 1\nstack: ${stack}\nsessions: {}\nnotes:\n${notes}${pins ? `pins:\n${pins}` : ''}`
		);
	const applied = async (stack: string) => {
		const result = await run(['apply', '--auto-approve', '-f', `${stack}.yaml`]);
		expect(result.code, result.stderr).toBe(ExitCode.Ok);
	};
	const recordOf = async (description: string): Promise<Workspace> =>
		((await hub.current.client.listWorkspaces()).workspaces as Workspace[]).find(
			(w) => w.description === description
		)!;

	it('reports a hand edit of a record as drift, field by field, and exits 6', async () => {
		await writeStack('edited', '  a:\n    text: as written\n  b:\n    text: untouched\n');
		await applied('edited');
		const clean = await run(['drift', '-f', 'edited.yaml']);
		expect(clean.code, clean.stderr).toBe(ExitCode.Ok);

		const a = await recordOf('toy-note edited/a');
		await hub.current.client.updateWorkspace(a.id, { systemPrompt: 'edited by hand' });
		const text = await run(['drift', '-f', 'edited.yaml']);
		expect(text.code, text.stderr).toBe(ExitCode.Drift);
		expect(text.stdout).toContain(
			'Records of other kinds that differ from the spec (changed on the Hub, or the spec changed since):'
		);
		expect(text.stdout).toContain(`  notes.a  ${a.id} (note)`);
		expect(text.stdout).toContain('      ~ text: Hub has "edited by hand", spec says "as written"');
		expect(text.stdout).toContain('Drift: 1 record of another kind differs from the spec: 1 note.');
		expect(text.stdout).not.toContain('notes.b');

		const json = await run(['drift', '-f', 'edited.yaml', '--format', 'json']);
		expect(json.code).toBe(ExitCode.Drift);
		const document = JSON.parse(json.stdout) as DriftJsonV1;
		expect(document.drift).toBe(true);
		expect(document.resources).toEqual([
			{
				kind: 'note',
				qualifiedKey: 'notes.a',
				id: a.id,
				fields: [{ field: 'text', live: 'edited by hand', spec: 'as written', replace: false }],
			},
		]);

		// Out of --only, the edited record is no drift.
		const other = await run(['drift', '-f', 'edited.yaml', '--only', 'notes.b']);
		expect(other.code, other.stdout).toBe(ExitCode.Ok);
	});

	it('lists each record the stack owns in status, with its kind, key, id and status words', async () => {
		await writeStack('listed', '  a:\n    text: four\n    protect: true\n', '  p:\n    note: a\n');
		await applied('listed');
		const a = await recordOf('toy-note listed/a protect');
		const p = await recordOf('toy-pin listed/p');

		const text = await run(['status', '-f', 'listed.yaml']);
		expect(text.code, text.stderr).toBe(ExitCode.Ok);
		const lines = text.stdout.split('\n');
		const table = lines.slice(lines.indexOf('Other kinds:') + 2);
		expect(table[0]).toMatch(/^KIND\s+KEY\s+ID\s+STATUS$/);
		expect(table[1]).toMatch(
			new RegExp(`^note\\s+notes\\.a\\s+${a.id}\\s+4 characters, protected$`)
		);
		expect(table[2]).toMatch(new RegExp(`^pin\\s+pins\\.p\\s+${p.id}\\s+-$`));

		const json = JSON.parse(
			(await run(['status', '-f', 'listed.yaml', '--format', 'json'])).stdout
		);
		expect((json as StatusJsonV1).resources).toEqual([
			{ kind: 'note', qualifiedKey: 'notes.a', id: a.id, status: '4 characters', protect: true },
			{ kind: 'pin', qualifiedKey: 'pins.p', id: p.id, status: null, protect: false },
		]);
	});

	it('shows one record by its qualified key: id, status words and each live value', async () => {
		await writeStack('shown', '  a:\n    text: "line one\\nline two"\n    scope: org\n');
		await applied('shown');
		const a = await recordOf('toy-note shown/a');

		const text = await run(['show', 'notes.a', '-f', 'shown.yaml']);
		expect(text.code, text.stderr).toBe(ExitCode.Ok);
		expect(text.stdout).toBe(
			`notes.a (note) of stack shown\n  id:     ${a.id}\n  status: 17 characters\n  text:\n      line one\n      line two\n  scope:  "org"\n`
		);
		const json = JSON.parse(
			(await run(['show', 'notes.a', '-f', 'shown.yaml', '--format', 'json'])).stdout
		);
		expect(json).toEqual({
			formatVersion: 1,
			stack: 'shown',
			records: [
				{
					kind: 'note',
					qualifiedKey: 'notes.a',
					id: a.id,
					status: '17 characters',
					protect: false,
					fields: { text: 'line one\nline two', scope: 'org' },
				},
			],
		});

		const unknown = await run(['show', 'notes.zz', '-f', 'shown.yaml']);
		expect(unknown.code).toBe(ExitCode.Error);
		expect(unknown.stdout).toBe('');
		expect(unknown.stderr).toContain(
			'show names no record of stack shown: notes.zz (its records of that kind: notes.a)'
		);
		expect(unknown.stderr).not.toContain('    at ');
	});

	it('forgets a record of another kind: the marker goes, the record stays, the plan leaves it', async () => {
		await writeStack('forgetful', '  a:\n    text: kept\n  b:\n    text: let go\n');
		await applied('forgetful');
		const b = await recordOf('toy-note forgetful/b');
		await writeStack('forgetful', '  a:\n    text: kept\n');

		const forgot = await run(['forget', 'notes.b', '-f', 'forgetful.yaml', '--auto-approve']);
		expect(forgot.code, forgot.stderr).toBe(ExitCode.Ok);
		expect(forgot.stdout).toContain(
			`Stack forgetful stops owning these records; they are left as they are (not deleted):\n  notes.b  ${b.id} (note)`
		);
		expect(forgot.stdout).toContain(`  forgotten notes.b  ${b.id}`);
		expect(forgot.stdout).toContain('Forgot 1 record; stack forgetful no longer owns it.');
		const left = ((await hub.current.client.listWorkspaces()).workspaces as Workspace[]).find(
			(w) => w.id === b.id
		);
		expect(left).toMatchObject({ description: 'left by toy-note', systemPrompt: 'let go' });
		const plan = await run(['plan', '-f', 'forgetful.yaml', '--detailed-exitcode']);
		expect(plan.code, plan.stdout).toBe(ExitCode.Ok);
	});

	it('refuses to forget a record still in the spec, an unknown key, or a kind the Hub cannot change', async () => {
		await writeStack('refusing', '  a:\n    text: kept\n');
		await applied('refusing');
		const declared = await run(['forget', 'notes.a', '-f', 'refusing.yaml', '--auto-approve']);
		expect(declared.code).toBe(ExitCode.Error);
		expect(declared.stderr).toContain(
			'still in the spec: notes.a. The next plan would create it again: first delete the entry.'
		);
		const unknown = await run(['forget', 'notes.zz', '-f', 'refusing.yaml', '--auto-approve']);
		expect(unknown.code).toBe(ExitCode.Error);
		expect(unknown.stderr).toContain(
			'forget names no record of stack refusing: notes.zz (its records of that kind: notes.a)'
		);

		const fixed = await cli(
			hub.current,
			['forget', 'stamps.s', '-f', 'refusing.yaml', '--auto-approve'],
			{ cwd: dir.path, table: WITH_STAMPS }
		);
		expect(fixed.code).toBe(ExitCode.Refused);
		expect(fixed.stderr).toContain(
			'stamps cannot be forgotten: the Hub cannot change a stamp once it is made, so the ownership marker of one this stack made stays (stamps.s): keep its entry, or remove the entry and let apply delete the record. One taken in with adopt: carries no marker: remove its entry, and the stack leaves it alone.'
		);
		expect(fixed.stderr).not.toContain('    at ');
		expect(await recordOf('toy-note refusing/a')).toBeDefined();
	});

	it('exports the records of every kind, references as keys; the exported spec plans no change', async () => {
		await writeStack(
			'exported',
			'  a:\n    text: "first line\\nsecond line"\n    scope: org\n    protect: true\n  b:\n    text: short\n',
			'  p:\n    note: a\n'
		);
		await applied('exported');

		const exported = await run(['export', '--stack', 'exported']);
		expect(exported.code, exported.stderr).toBe(ExitCode.Ok);
		expect(exported.stdout).toContain(
			'notes:\n  a:\n    text: |-\n      first line\n      second line\n    scope: org\n    protect: true\n  b:\n    text: short\n    scope: user\npins:\n  p:\n    note: a\n'
		);
		expect(exported.stderr).toContain('Exported 0 sessions, 2 notes, 1 pin for stack exported.');
		await writeFile(join(dir.path, 'exported-out.yaml'), exported.stdout);
		const replanned = await run(['plan', '-f', 'exported-out.yaml', '--detailed-exitcode']);
		expect(replanned.code, replanned.stdout).toBe(ExitCode.Ok);
		expect(replanned.stdout).toContain('No changes');

		const written = await run(['export', '--stack', 'exported', '--write', 'written.yaml']);
		expect(written.code, written.stderr).toBe(ExitCode.Ok);
		expect(written.stderr).toContain(
			'Wrote 0 sessions, 2 notes, 1 pin for stack exported to written.yaml.'
		);
		const fromFile = await run(['plan', '-f', 'written.yaml', '--detailed-exitcode']);
		expect(fromFile.code, fromFile.stdout + fromFile.stderr).toBe(ExitCode.Ok);
	});

	it('imports a record made by hand: the entry with its values and adopt: ID, then its marker', async () => {
		const made = await hub.current.client.createWorkspace({
			name: 'by-hand',
			description: 'made by hand',
			systemPrompt: 'handmade',
		});
		await writeStack('importer', '  kept:\n    text: already here\n');
		await applied('importer');

		const printed = await run(['import', `notes.h=${made.id}`, '-f', 'importer.yaml']);
		expect(printed.code).toBe(ExitCode.Error);
		expect(printed.stdout).toBe(
			`notes:\n  h:\n    text: handmade\n    scope: user\n    adopt: ${made.id}\n`
		);
		expect(printed.stderr).toContain(
			'importer.yaml lacks the entry to import into: add this entry (printed above) under notes:, then run import again (or give --write)'
		);

		const imported = await run([
			'import',
			`notes.h=${made.id}`,
			'-f',
			'importer.yaml',
			'--write',
			'--auto-approve',
		]);
		expect(imported.code, imported.stdout + imported.stderr).toBe(ExitCode.Ok);
		expect(imported.stderr).toContain('Wrote 1 entry to importer.yaml.');
		expect(await readFile(join(dir.path, 'importer.yaml'), 'utf8')).toContain(
			`  h:\n    text: handmade\n    scope: user\n    adopt: ${made.id}\n`
		);
		const record = ((await hub.current.client.listWorkspaces()).workspaces as Workspace[]).find(
			(w) => w.id === made.id
		);
		expect(record).toMatchObject({ description: 'toy-note importer/h', systemPrompt: 'handmade' });
		const replanned = await run(['plan', '-f', 'importer.yaml', '--detailed-exitcode']);
		expect(replanned.code, replanned.stdout).toBe(ExitCode.Ok);

		const again = await run(['import', `notes.h=${made.id}`, '-f', 'importer.yaml']);
		expect(again.code).toBe(ExitCode.Ok);
		expect(again.stderr).toContain(`${made.id} is managed by stack importer already, as notes.h`);
		const unknown = await run(['import', 'notes.x=ws_nothing', '-f', 'importer.yaml']);
		expect(unknown.code).toBe(ExitCode.Error);
		expect(unknown.stderr).toContain('import notes.x: no note ws_nothing on the Hub');
	});
});

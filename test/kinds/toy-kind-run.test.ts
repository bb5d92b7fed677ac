/**
 * The toy kinds (toy-note.ts) through a whole apply as the CLI shows it: a line per action and
 * its progress, the summary, `--format json|jsonl`, the read-back that checks each record, a
 * failed dependency, a create that lands before its error, two records of one key, the plan's
 * head and `show` of a saved plan. Against the local Hub through the real CoderClient.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carryOutInTerminal, type TerminalApplyOptions } from '../../src/cli/applying.js';
import { streamIo } from '../../src/cli/io.js';
import {
	connectHub,
	ExitCode,
	loadSpec,
	plan,
	renderPlan,
	type ConnectedHub,
	type KindTable,
	type Planned,
} from '../../src/index.js';
import { writeSavedPlan } from '../../src/operations/saved-plan-file.js';
import type { ApplyJsonV1 } from '../../src/render/apply-json.js';
import { hasChanges } from '../../src/plan/types.js';
import { runCli } from '../support/cli.js';
import { startTestHub, type TestHub } from '../support/local-hub.js';
import { TABLE, tableWithNoteStore, type Workspace } from './toy-note.js';

describe('other kinds through a whole apply', () => {
	let dir: string;
	let local: TestHub;
	let hub: ConnectedHub;
	const env = { env: {} };

	/** A spec of stack `stack` with these `notes:` and `pins:` sections (YAML bodies). */
	const planFor = async (
		stack: string,
		sections: { notes?: string; pins?: string },
		table: KindTable = TABLE
	): Promise<Planned> => {
		const section = (name: string, body?: string) => (body ? `${name}:\n${body}` : `${name}: {}\n`);
		await writeFile(
			join(dir, `${stack}.yaml`),
			`version: 1\nstack: ${stack}\nsessions: {}\n${section('notes', sections.notes)}${section('pins', sections.pins)}`
		);
		const spec = await loadSpec([`${stack}.yaml`], { cwd: dir, table });
		return plan(spec, hub, { ...env, table });
	};

	/** Apply as the CLI does on a terminal, with `--auto-approve`. */
	const applyInTerminal = async (planned: Planned, options: Partial<TerminalApplyOptions> = {}) => {
		let out = '';
		let err = '';
		const io = streamIo(
			{ out: (text) => (out += text), err: (text) => (err += text) },
			{ isTTY: true, env: {}, cwd: dir }
		);
		const code = await carryOutInTerminal(planned, hub.hub, io, {
			autoApprove: true,
			color: false,
			table: TABLE,
			...options,
		});
		return { code, out, err };
	};

	const recordsOf = async (marker: string): Promise<Workspace[]> =>
		((await local.client.listWorkspaces()).workspaces as Workspace[]).filter(
			(w) => w.description === marker
		);

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'toy-kind-run-'));
		local = await startTestHub();
		hub = await connectHub({ url: local.url }, env);
	});
	afterAll(async () => {
		await hub.close();
		await local.close();
		await rm(dir, { recursive: true, force: true });
	});

	it('prints a line per action with its progress, and sums the kinds up', async () => {
		const planned = await planFor('lines', {
			notes: '  a:\n    text: first\n',
			pins: '  p:\n    note: a\n',
		});
		const { code, out } = await applyInTerminal(planned);
		expect(code).toBe(ExitCode.Ok);
		const [note] = await recordsOf('toy-note lines/a');
		const [pin] = await recordsOf('toy-pin lines/p');
		// Notes stand below pins: created first.
		expect(out).toContain(`[1/2] applied  create notes.a (note) (${note!.id})`);
		expect(out).toContain(`[2/2] applied  create pins.p (pin) (${pin!.id})`);
		expect(out).toContain('Reading the stack back from the Hub to verify it...');
		expect(out).toContain('Apply finished: 2 applied, 0 failed, 0 skipped, 0 unknown.');
		expect(out).toContain('Applied 2 of 2 on other kinds: 1 created note, 1 created pin.');
		expect(out).not.toContain('Not converged');
	});

	it('reports each action in apply --format json and jsonl, with its kind and resource', async () => {
		await applyInTerminal(
			await planFor('json', { notes: '  a:\n    text: one\n  b:\n    text: two\n' })
		);
		const [a] = await recordsOf('toy-note json/a');
		const [b] = await recordsOf('toy-note json/b');
		const changed = await planFor('json', { notes: '  a:\n    text: three\n' });

		const json = await applyInTerminal(changed, { format: 'json', allowRemovals: 1 });
		expect(json.code).toBe(ExitCode.Ok);
		const document = JSON.parse(json.out) as ApplyJsonV1;
		expect(document).toMatchObject({
			status: 'applied',
			succeeded: true,
			actions: [],
			counts: { applied: 2, failed: 0, 'not-attempted': 0 },
			resourceNotConverged: [],
		});
		expect(document.resources).toEqual([
			{
				resource: 'note',
				key: 'a',
				qualifiedKey: 'notes.a',
				kind: 'update',
				verb: 'update',
				status: 'applied',
				idBefore: a!.id,
				idAfter: a!.id,
			},
			{
				resource: 'note',
				key: 'b',
				qualifiedKey: 'notes.b',
				kind: 'delete',
				verb: 'delete',
				status: 'applied',
				idBefore: b!.id,
				idAfter: null,
			},
		]);
		expect(json.err).toContain('Applied 2 of 2 on other kinds: 1 updated note, 1 deleted note.');

		const lines = await applyInTerminal(
			await planFor('json', { notes: '  a:\n    text: four\n' }),
			{ format: 'jsonl' }
		);
		const events = lines.out
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		expect(events.map((event) => [event.type, event.kind, event.resource])).toEqual([
			['start', 'update', 'note'],
			['finish', 'update', 'note'],
			['result', undefined, undefined],
		]);
		expect(events[0]).toEqual({
			type: 'start',
			resource: 'note',
			key: 'a',
			qualifiedKey: 'notes.a',
			kind: 'update',
		});
		expect(events[1]).toMatchObject({ status: 'applied', idAfter: a!.id });
	});

	it('does not attempt what stands on a failed create, and names it in the summary', async () => {
		const table = tableWithNoteStore(() => ({
			create: async () => {
				throw new Error('refused here');
			},
		}));
		const planned = await planFor(
			'blocked',
			{ notes: '  a:\n    text: x\n', pins: '  p:\n    note: a\n' },
			table
		);
		const { code, out } = await applyInTerminal(planned, { table });
		expect(code).toBe(ExitCode.Partial);
		expect(out).toContain('[1/2] failed   create notes.a (note): create note: refused here');
		expect(out).toContain(
			'Apply finished: 0 applied, 1 failed, 0 skipped, 0 unknown, 1 not attempted.'
		);
		expect(out).toContain('Applied 0 of 2 on other kinds.');
		expect(out).toContain(
			'Not attempted: create pins.p (pin): depends on notes.a, which did not succeed'
		);
		expect(await recordsOf('toy-pin blocked/p')).toEqual([]);
	});

	it('reads each record back: one not changed, or not removed, is reported not converged', async () => {
		await applyInTerminal(
			await planFor('verify', {
				notes: '  a:\n    text: old\n  b:\n    text: b\n  c:\n    text: c\n    scope: user\n',
			})
		);
		const [a] = await recordsOf('toy-note verify/a');
		const [b] = await recordsOf('toy-note verify/b');
		const [c] = await recordsOf('toy-note verify/c');
		// A Hub that answers each write with success and keeps nothing of it.
		const table = tableWithNoteStore(() => ({ update: async () => {}, remove: async () => {} }));
		const wanted = { notes: '  a:\n    text: new\n  c:\n    text: c\n    scope: org\n' };
		const planned = await planFor('verify', wanted, table);
		const { code, out } = await applyInTerminal(planned, { table, allowRemovals: 1 });
		expect(code).toBe(ExitCode.Partial);
		expect(out).toContain(`Not converged: notes.a (note, ${a!.id}) still differs in text`);
		expect(out).toContain(`Not converged: notes.b (note, ${b!.id}) still present after delete`);
		expect(out).toContain(
			`Not converged: notes.c (note, ${c!.id}) the record replaced is still on the Hub`
		);

		// Applied for real, the same plan converges.
		const again = await applyInTerminal(await planFor('verify', wanted), { allowRemovals: 1 });
		expect(again.code).toBe(ExitCode.Ok);
		expect(again.out).not.toContain('Not converged');
	});

	it("reports a created record that does not read back as the stack's", async () => {
		// A Hub that drops the description the ownership marker is written in.
		const table = tableWithNoteStore((store) => ({
			create: (input) => store.create({ ...input, description: 'kept by nobody' }),
		}));
		const planned = await planFor('unowned', { notes: '  a:\n    text: x\n' }, table);
		const { code, out } = await applyInTerminal(planned, { table });
		expect(code).toBe(ExitCode.Partial);
		expect(out).toMatch(
			/Not converged: notes\.a \(note, \S+\) does not read back as a record of the stack for this key/
		);
	});

	it('plans no second create for a create that landed before its error', async () => {
		const table = tableWithNoteStore((store) => ({
			create: async (input) => {
				await store.create(input);
				throw new Error('the response was lost');
			},
		}));
		const first = await applyInTerminal(
			await planFor('landed', { notes: '  a:\n    text: x\n' }, table),
			{ table }
		);
		expect(first.code).toBe(ExitCode.Partial);
		expect(await recordsOf('toy-note landed/a')).toHaveLength(1);

		const again = await planFor('landed', { notes: '  a:\n    text: x\n' });
		expect(again.plan.resources?.actions.map((action) => action.kind)).toEqual(['noop']);
		expect(await applyInTerminal(again)).toMatchObject({ code: ExitCode.Ok });
		expect(await recordsOf('toy-note landed/a')).toHaveLength(1);
	});

	it('reports two records of a key made at once, and the next plan deletes the spare one without a third', async () => {
		// As two applies creating the key at the same time leave it.
		const table = tableWithNoteStore((store) => ({
			create: async (input) => {
				await store.create(input);
				return store.create(input);
			},
		}));
		const first = await applyInTerminal(
			await planFor('twice', { notes: '  a:\n    text: x\n' }, table),
			{ table }
		);
		expect(first.code).toBe(ExitCode.Partial);
		const both = (await recordsOf('toy-note twice/a')).map((w) => w.id).sort();
		expect(both).toHaveLength(2);
		expect(first.out).toContain(
			`2 records of the stack have this key (${both.join(', ')}): another apply created it too; the next plan deletes the spare ones`
		);

		const again = await planFor('twice', { notes: '  a:\n    text: x\n' });
		expect(again.plan.resources?.actions).toMatchObject([
			{ kind: 'noop', id: both[0] },
			{ kind: 'delete', id: both[1], keeps: both[0] },
		]);
		// The key keeps its record: no removal for the rails to weigh.
		expect(again.plan.removals).toBe(0);
		const second = await applyInTerminal(again);
		expect(second.code).toBe(ExitCode.Ok);
		expect(second.out).toContain('Applied 1 of 1 on other kinds: 1 deleted note.');
		expect((await recordsOf('toy-note twice/a')).map((w) => w.id)).toEqual([both[0]]);
	});

	it('heads a plan that changes other kinds only with its changes, and show renders it saved', async () => {
		const planned = await planFor('head', { notes: '  a:\n    text: x\n' });
		const markdown = renderPlan(planned, { format: 'markdown' });
		expect(markdown).not.toContain('No changes');
		expect(markdown).toContain('**1 note to create** · no session changes');
		const text = renderPlan(planned);
		expect(text).not.toContain('No changes');
		expect(text).toContain('Plan: 1 note to create.');
		// What `plan --detailed-exitcode` exits 2 on.
		expect(hasChanges(planned.plan)).toBe(true);

		await writeSavedPlan(planned, hub.target, 'head.plan', { env: {}, cwd: dir });
		const shown = await runCli(['show', 'head.plan', '--no-check'], { cwd: dir });
		expect(shown.code).toBe(ExitCode.Ok);
		expect(shown.stdout).toContain('Plan: 1 note to create.');
		expect(shown.stdout).toContain('  + create   notes.a (note)');
		expect(shown.stdout).toContain('+ text: "x"');
	});
});

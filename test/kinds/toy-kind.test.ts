/**
 * A kind defined in the tests only (toy-note.ts), as a row added to the kind table: `notes:`
 * entries kept as workspaces on the local Hub (through the real CoderClient), recognised by a
 * marker in their description. Driven through the library: validate, plan, render and apply.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	apply,
	connectHub,
	loadSpec,
	plan,
	renderPlan,
	UserError,
	type ConnectedHub,
} from '../../src/index.js';
import { planFiles } from '../../src/operations/plan.js';
import { carryOut } from '../../src/operations/carry-out.js';
import { replanSavedFile } from '../../src/operations/saved-plan.js';
import { startTestHub, type TestHub } from '../support/local-hub.js';
import { NOTES_TABLE as TABLE } from './toy-note.js';

describe('a kind added to the kind table', () => {
	let dir: string;
	let local: TestHub;
	let hub: ConnectedHub;
	let handMade: string;
	let otherStack: string;
	const env = { env: {} };

	const write = (notes: string) =>
		writeFile(
			join(dir, 'spec.yaml'),
			`version: 1\nstack: toy\nsessions: {}\n${notes === '' ? 'notes: {}\n' : `notes:\n${notes}`}`
		);
	const planNow = async () => {
		const spec = await loadSpec(['spec.yaml'], { cwd: dir, table: TABLE });
		return plan(spec, hub, { ...env, table: TABLE });
	};
	const notes = async () => (await local.client.listWorkspaces()).workspaces;

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'toy-kind-'));
		local = await startTestHub();
		hub = await connectHub({ url: local.url }, env);
		handMade = (
			await local.client.createWorkspace({
				name: 'a',
				description: 'by hand',
				systemPrompt: 'kept',
			})
		).id;
		otherStack = (
			await local.client.createWorkspace({
				name: 'a',
				description: 'toy-note other/a',
				systemPrompt: 'theirs',
			})
		).id;
	});
	afterAll(async () => {
		await hub.close();
		await local.close();
		await rm(dir, { recursive: true, force: true });
	});

	it('reports a bad field of its section where it is written, with a suggestion', async () => {
		await write('  a:\n    txt: hello\n');
		const error = await loadSpec(['spec.yaml'], { cwd: dir, table: TABLE }).catch((e) => e);
		expect(error).toBeInstanceOf(UserError);
		expect((error as UserError).message).toContain(
			'spec.yaml:6:5: notes.a.txt: unknown field "txt" (did you mean "text"?)'
		);
	});

	it('is not part of a spec read with the built-in table', async () => {
		await write('  a:\n    text: hello\n');
		const error = await loadSpec(['spec.yaml'], { cwd: dir }).catch((e) => e);
		expect((error as UserError).message).toContain('unknown field "notes"');
	});

	it('names the template of each entry a forEach of its section makes', async () => {
		await write(
			'  day:\n    forEach: [mon, tue]\n    text: Notes of ${each.key}\n  plain:\n    text: p\n'
		);
		const spec = await loadSpec(['spec.yaml'], { cwd: dir, table: TABLE });
		expect(
			spec.resources?.map(({ key, template, values }) => ({ key, template, text: values.text }))
		).toEqual([
			{ key: 'day.mon', template: 'day', text: 'Notes of mon' },
			{ key: 'day.tue', template: 'day', text: 'Notes of tue' },
			{ key: 'plain', template: undefined, text: 'p' },
		]);
		expect(spec.resources?.find((entry) => entry.key === 'plain')).not.toHaveProperty('template');
	});

	it('creates a declared entry, leaving records made by hand or by another stack alone', async () => {
		await write('  a:\n    text: first\n    scope: user\n');
		const planned = await planNow();
		expect(planned.plan.resources?.actions.map((a) => [a.kind, a.qualifiedKey])).toEqual([
			['create', 'notes.a'],
		]);
		expect(planned.plan.resources?.notOwned).toEqual({ note: 2 });
		const text = renderPlan(planned);
		expect(text).toContain('  + create   notes.a (note)');
		expect(text).toContain('+ text: "first"');
		expect(text).toContain('note: 1 to create; 2 records not of this stack left alone.');
		const json = JSON.parse(renderPlan(planned, { format: 'json' }));
		expect(json.resources.actions[0]).toMatchObject({ kind: 'create', resource: 'note', key: 'a' });

		const outcome = await apply(planned, hub, { ...env, table: TABLE });
		expect(outcome).toMatchObject({ status: 'applied', succeeded: true });
		const mine = (await notes()).filter((w) => w.description === 'toy-note toy/a');
		expect(mine).toMatchObject([{ name: 'a', systemPrompt: 'first', scope: 'user' }]);
		expect((await notes()).find((w) => w.id === handMade)?.description).toBe('by hand');

		const again = await planNow();
		expect(again.plan.resources?.actions.map((a) => a.kind)).toEqual(['noop']);
		expect(renderPlan(again)).toContain('No changes');
	});

	it('updates an updatable field in place', async () => {
		const before = (await notes()).find((w) => w.description === 'toy-note toy/a')!;
		await write('  a:\n    text: second\n    scope: user\n');
		const planned = await planNow();
		expect(planned.plan.resources?.actions).toMatchObject([
			{
				kind: 'update',
				id: before.id,
				changes: [{ field: 'text', before: 'first', after: 'second' }],
			},
		]);
		expect(await apply(planned, hub, { ...env, table: TABLE })).toMatchObject({ succeeded: true });
		const after = (await notes()).find((w) => w.id === before.id);
		expect(after?.systemPrompt).toBe('second');
		expect((await planNow()).plan.resources?.actions.map((a) => a.kind)).toEqual(['noop']);
	});

	it('replaces the record when its create-only field changes', async () => {
		const before = (await notes()).find((w) => w.description === 'toy-note toy/a')!;
		await write('  a:\n    text: second\n    scope: org\n');
		const planned = await planNow();
		expect(planned.plan.resources?.actions).toMatchObject([
			{
				kind: 'replace',
				forcedBy: ['scope'],
				reason: 'the Hub cannot change scope after creation',
			},
		]);
		expect(renderPlan(planned)).toContain('-/+ replace  notes.a (note)');
		expect(await apply(planned, hub, { ...env, table: TABLE })).toMatchObject({ succeeded: true });
		const mine = (await notes()).filter((w) => w.description === 'toy-note toy/a');
		expect(mine).toHaveLength(1);
		expect(mine[0]!.id).not.toBe(before.id);
		expect(mine[0]!.scope).toBe('org');
		expect((await planNow()).plan.resources?.actions.map((a) => a.kind)).toEqual(['noop']);
	});

	it('deletes a removed entry behind the removal rail, and only its own record', async () => {
		await write('');
		const planned = await planNow();
		expect(planned.plan.resources?.actions.map((a) => [a.kind, a.qualifiedKey])).toEqual([
			['delete', 'notes.a'],
		]);
		expect(planned.plan.removals).toBe(1);
		expect(await apply(planned, hub, { ...env, table: TABLE })).toMatchObject({
			status: 'refused',
		});
		expect(await apply(planned, hub, { ...env, table: TABLE, allowRemovals: 1 })).toMatchObject({
			succeeded: true,
		});
		expect((await notes()).map((w) => w.id).sort()).toEqual([handMade, otherStack].sort());
		const again = await planNow();
		expect(again.plan.resources?.actions).toEqual([]);
		expect(renderPlan(again)).toContain('No changes');
	});
	describe('with sessions beside it, in scope by qualified keys', () => {
		const sessions =
			'sessions:\n  docs-a:\n    task: Write the docs\n  docs-b:\n    task: Check the docs\n';
		const notesOf = (names: readonly string[]) =>
			`notes:\n${names.map((name) => `  ${name}:\n    text: note ${name}\n`).join('')}`;
		const writeBoth = (names: readonly string[], text = '') =>
			writeFile(
				join(dir, 'spec.yaml'),
				`version: 1\nstack: toy\n${sessions}${notesOf(names).replace(/note (\S+)\n/g, `note $1${text}\n`)}`
			);
		const planWith = async (options: { only?: string[]; replace?: string[] }) => {
			const spec = await loadSpec(['spec.yaml'], { cwd: dir, table: TABLE });
			return plan(spec, hub, { ...env, table: TABLE, ...options });
		};
		const shape = (planned: Awaited<ReturnType<typeof planWith>>) => ({
			sessions: planned.plan.actions.map((a) => `${a.kind}:${a.key}`),
			others: planned.plan.resources?.actions.map((a) => `${a.kind}:${a.qualifiedKey}`) ?? [],
		});
		const operations = () => ({ env: {}, cwd: dir });
		const applyTo = (planfile: string) =>
			replanSavedFile(
				planfile,
				{ files: [], target: { url: local.url }, table: TABLE },
				operations(),
				async (planned, connected, saved) =>
					(
						await carryOut(planned, connected.hub, operations(), {
							approve: 'auto',
							saved,
							table: TABLE,
						})
					).outcome
			);

		it('plans only the notes with --only notes.*, only the sessions with --only docs-*', async () => {
			await writeBoth(['a', 'b']);
			expect(shape(await planWith({}))).toEqual({
				sessions: ['create:docs-a', 'create:docs-b'],
				others: ['create:notes.a', 'create:notes.b'],
			});
			expect(shape(await planWith({ only: ['notes.*'] }))).toEqual({
				sessions: [],
				others: ['create:notes.a', 'create:notes.b'],
			});
			expect(shape(await planWith({ only: ['notes.b'] }))).toEqual({
				sessions: [],
				others: ['create:notes.b'],
			});
			expect(shape(await planWith({ only: ['docs-*'] }))).toEqual({
				sessions: ['create:docs-a', 'create:docs-b'],
				others: [],
			});
			expect(shape(await planWith({ only: ['docs-a', 'notes.a'] }))).toEqual({
				sessions: ['create:docs-a'],
				others: ['create:notes.a'],
			});
		});

		it('refuses an --only that matches nothing of any kind, as it does with sessions alone', async () => {
			await writeBoth(['a']);
			const error = await planWith({ only: ['notes.z*', 'wiki-*'] }).catch((e) => e);
			expect(error).toBeInstanceOf(UserError);
			expect((error as UserError).message).toBe(
				'--only names no entry of the spec nor session of stack toy: notes.z*, wiki-*'
			);
		});

		it('applies a saved plan of notes, and refuses it once the Hub has moved on', async () => {
			await writeBoth(['a', 'b']);
			const planned = await planFiles(
				{
					files: ['spec.yaml'],
					target: { url: local.url },
					only: ['notes.*'],
					table: TABLE,
					out: 'notes.plan',
				},
				operations()
			);
			expect(shape(planned).others).toEqual(['create:notes.a', 'create:notes.b']);
			const applied = await applyTo('notes.plan');
			expect(applied).toMatchObject({
				status: 'current',
				value: { status: 'applied', succeeded: true },
			});
			const mine = (await notes()).filter((w) => w.description?.startsWith('toy-note toy/'));
			expect(mine.map((w) => [w.name, w.systemPrompt]).sort()).toEqual([
				['a', 'note a'],
				['b', 'note b'],
			]);
			// No session was created: the saved plan held the notes alone.
			expect(shape(await planWith({})).sessions).toEqual(['create:docs-a', 'create:docs-b']);

			await writeBoth(['a', 'b'], ' again');
			await planFiles(
				{
					files: ['spec.yaml'],
					target: { url: local.url },
					only: ['notes.*'],
					table: TABLE,
					out: 'update.plan',
				},
				operations()
			);
			const noteA = mine.find((w) => w.name === 'a')!;
			await local.client.updateWorkspace(noteA.id, { systemPrompt: 'changed by hand' });
			const stale = await applyTo('update.plan');
			expect(stale).toMatchObject({ status: 'stale' });
			expect((await notes()).find((w) => w.id === noteA.id)?.systemPrompt).toBe('changed by hand');
		});

		it('recreates a note named by its qualified key with --replace', async () => {
			await writeBoth(['a', 'b'], ' again');
			const before = (await notes()).find((w) => w.description === 'toy-note toy/b')!;
			const planned = await planWith({ only: ['notes.b'], replace: ['notes.b'] });
			expect(shape(planned)).toEqual({ sessions: [], others: ['replace:notes.b'] });
			expect(planned.plan.resources?.actions[0]).toMatchObject({
				id: before.id,
				reason: 'replace requested (--replace)',
			});
			expect(await apply(planned, hub, { ...env, table: TABLE })).toMatchObject({
				succeeded: true,
			});
			const after = (await notes()).filter((w) => w.description === 'toy-note toy/b');
			expect(after).toHaveLength(1);
			expect(after[0]!.id).not.toBe(before.id);
			const unknown = await planWith({ replace: ['notes.zz'] }).catch((e) => e);
			expect((unknown as UserError).message).toBe(
				'--replace names no entry of the spec: notes.zz (its entries: docs-a, docs-b, notes.a, notes.b)'
			);
		});
	});
});

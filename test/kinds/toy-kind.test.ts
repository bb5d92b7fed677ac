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
		expect(text).toContain(
			'note: 1 to create, 0 to update, 0 to replace, 0 to delete; 2 records not of this stack left alone.'
		);
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
});

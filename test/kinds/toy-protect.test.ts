/**
 * `protect: true` on an entry of another kind (the toy notes of toy-note.ts): written into the
 * record's marker; a plan that would delete or replace the record is refused like one that would
 * archive a protected session, `--destroy` and `--allow-removals` included. The removal rail
 * counts the removals of every kind and names the kinds. Against the local Hub.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, connectHub, loadSpec, plan, type ConnectedHub } from '../../src/index.js';
import { refusalReasons } from '../../src/operations/refusal.js';
import { startTestHub, type TestHub } from '../support/local-hub.js';
import { NOTES_TABLE as TABLE, type Workspace } from './toy-note.js';

describe('protected records and the removal rail of other kinds', () => {
	let dir: string;
	let local: TestHub;
	let hub: ConnectedHub;
	const env = { env: {} };

	const planFor = async (stack: string, notes: string, options: { destroy?: boolean } = {}) => {
		await writeFile(
			join(dir, `${stack}.yaml`),
			`version: 1\nstack: ${stack}\nsessions: {}\n${notes === '' ? 'notes: {}\n' : `notes:\n${notes}`}`
		);
		const spec = await loadSpec([`${stack}.yaml`], { cwd: dir, table: TABLE });
		return plan(spec, hub, { ...env, table: TABLE, ...options });
	};
	const descriptions = async (stack: string) =>
		((await local.client.listWorkspaces()).workspaces as Workspace[])
			.map((w) => w.description ?? '')
			.filter((d) => d.includes(` ${stack}/`))
			.sort();

	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'toy-protect-'));
		local = await startTestHub();
		hub = await connectHub({ url: local.url }, env);
	});
	afterAll(async () => {
		await hub.close();
		await local.close();
		await rm(dir, { recursive: true, force: true });
	});

	it('writes protect into the marker, and refuses to delete, destroy or replace the record', async () => {
		const created = await planFor('guarded', '  a:\n    text: keep me\n    protect: true\n');
		expect(await apply(created, hub, { ...env, table: TABLE })).toMatchObject({ succeeded: true });
		expect(await descriptions('guarded')).toEqual(['toy-note guarded/a protect']);

		const removed = await planFor('guarded', '');
		expect(removed.plan.hazards).toContainEqual({ kind: 'protected', keys: ['notes.a'] });
		expect(refusalReasons(removed.plan, 1)).toContain(
			'Protected note notes.a would be deleted; first apply its entry with `protect: false` (add the entry back if it was removed).'
		);
		expect(await apply(removed, hub, { ...env, table: TABLE, allowRemovals: 1 })).toMatchObject({
			status: 'refused',
		});

		const destroyed = await planFor('guarded', '  a:\n    text: keep me\n    protect: true\n', {
			destroy: true,
		});
		expect(refusalReasons(destroyed.plan, 1)).toContain(
			'Protected note notes.a would be deleted; first apply its entry with `protect: false` (add the entry back if it was removed).'
		);
		expect(await apply(destroyed, hub, { ...env, table: TABLE, allowRemovals: 1 })).toMatchObject({
			status: 'refused',
		});

		const replaced = await planFor(
			'guarded',
			'  a:\n    text: keep me\n    scope: org\n    protect: true\n'
		);
		expect(replaced.plan.resources?.actions.map((a) => a.kind)).toEqual(['replace']);
		expect(refusalReasons(replaced.plan, 1)).toContain(
			'Protected note notes.a would be replaced (its record deleted); first apply its entry with `protect: false` (add the entry back if it was removed).'
		);
		expect(await apply(replaced, hub, { ...env, table: TABLE, allowRemovals: 1 })).toMatchObject({
			status: 'refused',
		});
		expect(await descriptions('guarded')).toEqual(['toy-note guarded/a protect']);
	});

	it('takes protect off the marker by an update, after which the record may go', async () => {
		const unprotected = await planFor('guarded', '  a:\n    text: keep me\n');
		expect(unprotected.plan.resources?.actions).toMatchObject([
			{ kind: 'update', reason: 'protect is taken off the ownership marker' },
		]);
		expect(await apply(unprotected, hub, { ...env, table: TABLE })).toMatchObject({
			succeeded: true,
		});
		expect(await descriptions('guarded')).toEqual(['toy-note guarded/a']);
		const removed = await planFor('guarded', '');
		expect(removed.plan.hazards).not.toContainEqual(expect.objectContaining({ kind: 'protected' }));
		expect(await apply(removed, hub, { ...env, table: TABLE, allowRemovals: 1 })).toMatchObject({
			succeeded: true,
		});
		expect(await descriptions('guarded')).toEqual([]);
	});

	it('counts removals and replaces of every kind on the removal rail, and names the kinds', async () => {
		const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
		const entries = (keep: readonly string[], scope = (_name: string) => '') =>
			keep.map((name) => `  ${name}:\n    text: note ${name}\n${scope(name)}`).join('');
		expect(
			await apply(await planFor('many', entries(names)), hub, { ...env, table: TABLE })
		).toMatchObject({ succeeded: true });

		// Two deleted, one replaced (its record deleted): three of eight, over the 25% rail.
		const shrunk = await planFor(
			'many',
			entries(names.slice(2), (name) => (name === 'c' ? '    scope: org\n' : ''))
		);
		expect(shrunk.plan.removals).toBe(3);
		expect(shrunk.plan.removalsByKind).toEqual({ archive: 0, delete: 2, replace: 1 });
		expect(refusalReasons(shrunk.plan)[0]).toBe(
			'This plan makes 3 removals (2 deletes, 1 replace; 3 notes) of 8 managed records, over 25%; apply refuses unless --allow-removals 3.'
		);
		expect(await apply(shrunk, hub, { ...env, table: TABLE })).toMatchObject({
			status: 'refused',
		});

		const destroyed = await planFor('many', entries(names), { destroy: true });
		expect(refusalReasons(destroyed.plan)[0]).toBe(
			'This plan destroys stack many: it removes 8 records (8 notes); apply refuses unless --allow-removals 8.'
		);
	});
});

import { describe, expect, it } from 'vitest';
import { compareWithStamp } from '../../src/plan/compare.js';
import type { DesiredSession } from '../../src/kinds/session/desired.js';
import { desired, liveFor } from '../support/session-builders.js';
import type { LiveSession } from '../../src/kinds/session/live.js';

/** The live session apply left for `applied`, edited by `edits`; read against the spec entry `now`. */
async function drift(
	applied: DesiredSession,
	edits: Partial<LiveSession> = {},
	now: DesiredSession = applied
) {
	const base = await liveFor(applied, { env: { API_TOKEN: 's3cr3t' } });
	const session = { ...base, ...edits, metadata: { ...base.metadata, ...edits.metadata } };
	const { outside, pending } = compareWithStamp(session, now);
	return { outside, pending };
}

const entry = desired('a', {
	label: 'Architecture review',
	tags: ['docs', 'managed'],
	visibility: 'organization',
	metadata: { team: 'docs', ticket: 'DOCS-1' },
	env: { API_TOKEN: '${API_TOKEN}' },
	repo: { owner: 'agentuity', name: 'sdk', branch: 'main' },
});

describe('compareWithStamp: drift of one session', () => {
	it('finds nothing right after apply', async () => {
		expect(await drift(entry)).toEqual({ outside: [], pending: [] });
	});

	it('reports a hand edit of an echoed field as outside, with the applied value the spec still holds', async () => {
		const { outside, pending } = await drift(entry, {
			label: 'Renamed',
			tags: ['docs', 'hotfix', 'managed'],
		});
		expect(outside).toEqual([
			{ field: 'label', live: 'Renamed', applied: 'Architecture review' },
			{ field: 'tags', live: ['docs', 'hotfix', 'managed'], applied: ['docs', 'managed'] },
		]);
		expect(pending).toEqual([]);
	});

	it('reports a spec edit as pending, not as outside', async () => {
		const edited = { ...entry, label: 'Architecture walkthrough', tags: ['docs'] };
		const { outside, pending } = await drift(entry, {}, edited);
		expect(outside).toEqual([]);
		expect(pending).toEqual([
			{ field: 'label', spec: 'Architecture walkthrough', replace: false },
			{ field: 'tags', spec: ['docs'], replace: false },
		]);
	});

	it('reports both sides when both moved; the applied value is then unknown', async () => {
		const edited = { ...entry, label: 'Spec label' };
		const { outside, pending } = await drift(entry, { label: 'Hub label' }, edited);
		expect(outside).toEqual([{ field: 'label', live: 'Hub label' }]);
		expect(pending.map((c) => c.field)).toEqual(['label']);
	});

	it('marks pending changes of create-time fields as forcing a replace, found through the stamp', async () => {
		const edited = { ...entry, task: 'A new task', repo: { owner: 'agentuity', name: 'docs' } };
		const { outside, pending } = await drift(entry, {}, edited);
		expect(outside).toEqual([]);
		expect(pending).toEqual([
			{ field: 'task', spec: 'A new task', replace: true },
			{ field: 'repo', spec: { owner: 'agentuity', name: 'docs' }, replace: true },
		]);
	});

	it('leaves fields the spec does not set, fields the Hub does not echo, and ignored fields alone', async () => {
		const bare = desired('b', { defaultAgent: 'scout' });
		// No label in the spec: the Hub derives one; defaultAgent not echoed by this Hub.
		expect(await drift(bare, { label: 'Derived by the Hub', defaultAgent: undefined })).toEqual({
			outside: [],
			pending: [],
		});
		const ignoring = { ...entry, ignoreChanges: ['label' as const], label: 'Spec moved too' };
		expect(await drift(ignoring, { label: 'Renamed by a person' }, ignoring)).toEqual({
			outside: [],
			pending: [],
		});
	});

	it('reports hand-edited metadata values by key, and ignores keys other apps add', async () => {
		const { outside } = await drift(entry, { metadata: { ticket: 'DOCS-9', addedByAnApp: 'x' } });
		expect(outside).toEqual([
			{
				field: 'metadata',
				keys: ['ticket'],
				live: { ticket: 'DOCS-9' },
				applied: { ticket: 'DOCS-1' },
			},
		]);
		expect((await drift(entry, { metadata: { addedByAnApp: 'x' } })).outside).toEqual([]);
	});

	it('does not mistake spec metadata edits for hand edits', async () => {
		const added = { ...entry, metadata: { ...entry.metadata, owner: '@docs' } };
		expect(await drift(entry, {}, added)).toEqual({
			outside: [],
			pending: [{ field: 'metadata', spec: added.metadata, replace: false }],
		});
		const removed = { ...entry, metadata: { team: 'docs' } };
		expect((await drift(entry, {}, removed)).outside).toEqual([]);
	});

	it('reports protect and env as pending, env by key only', async () => {
		const edited = {
			...entry,
			protect: true,
			env: { API_TOKEN: 'Bearer ${API_TOKEN}', NEW_KEY: '${NEW_KEY}' },
		};
		const { pending } = await drift(entry, {}, edited);
		expect(pending).toEqual([
			{ field: 'protect', spec: true, replace: false },
			{
				field: 'env',
				envKeys: [
					{ key: 'API_TOKEN', change: 'changed' },
					{ key: 'NEW_KEY', change: 'added' },
				],
				replace: true,
			},
		]);
		expect(JSON.stringify(pending)).not.toContain('s3cr3t');
		const dropped = { ...entry, env: {} };
		expect((await drift(entry, {}, dropped)).pending).toEqual([
			{ field: 'env', envKeys: [{ key: 'API_TOKEN', change: 'removed' }], replace: true },
		]);
	});

	it('compares what it can of a session whose key left the spec', async () => {
		const session = await liveFor(entry, { fields: { label: 'Renamed' } });
		expect(compareWithStamp(session, undefined)).toEqual({
			changes: [],
			stamp: 'applied',
			outside: [{ field: 'label', live: 'Renamed' }],
			pending: [],
		});
	});
});

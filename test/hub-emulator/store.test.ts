/** The store: a write is visible to readers only once it is valid and durable, and a failed one leaves no trace. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredSession } from '../../src/hub-emulator/session-record.js';
import { SessionStore } from '../../src/hub-emulator/store.js';
import { tempDir } from './support.js';

function session(id: string, metadata: Record<string, unknown> = {}): StoredSession {
	return {
		id,
		org: 'org_a',
		createdAt: '2026-01-01T00:00:00.000Z',
		updatedAt: '2026-01-01T00:00:00.000Z',
		task: 't',
		label: id,
		visibility: 'private',
		workflowMode: 'standard',
		tags: [],
		enabledAgents: [],
		skills: [],
		metadata,
		envKeys: [],
		sandbox: {},
	};
}

const everything = { includeArchived: true, offset: 0 };

async function openStore(): Promise<SessionStore> {
	return SessionStore.open(join(await tempDir(), 'state.json'), () => {});
}

describe('SessionStore', () => {
	it('shows a write to readers only once it is on disk, and to writers at once', async () => {
		const store = await openStore();
		const written = store.put(session('s1'));
		expect(store.get('org_a', 's1')).toBeUndefined();
		expect(store.list('org_a', everything).total).toBe(0);
		expect(store.latest('org_a', 's1')).toMatchObject({ id: 's1' });
		expect(store.latest('org_b', 's1')).toBeUndefined();
		expect(store.hasId('s1')).toBe(true);
		await written;
		expect(store.get('org_a', 's1')).toMatchObject({ id: 's1' });
		expect(store.list('org_a', everything).total).toBe(1);

		const deleted = store.delete('org_a', 's1');
		expect(store.get('org_a', 's1')).toBeDefined();
		expect(store.latest('org_a', 's1')).toBeUndefined();
		await deleted;
		expect(store.get('org_a', 's1')).toBeUndefined();
		expect(store.hasId('s1')).toBe(false);
		await store.close();
	});

	it('refuses a session it could not store or replay, and keeps nothing of it', async () => {
		for (const store of [await openStore(), await SessionStore.open(undefined, () => {})]) {
			const circular: Record<string, unknown> = {};
			circular.self = circular;
			expect(() => store.put(session('bad', circular))).toThrow();
			const notReplayable = { ...session('bad'), workflowMode: 'sideways' } as never;
			expect(() => store.put(notReplayable)).toThrow(/cannot store this session/);
			expect(store.get('org_a', 'bad')).toBeUndefined();
			expect(store.latest('org_a', 'bad')).toBeUndefined();
			expect(store.hasId('bad')).toBe(false);
			expect(store.size).toBe(0);
			await store.close();
		}
	});

	it('leaves no trace of a write the journal could not take', async () => {
		const store = await openStore();
		await store.put(session('kept'));
		await store.close();
		await expect(store.put(session('lost'))).rejects.toThrow(/closed/);
		expect(store.get('org_a', 'lost')).toBeUndefined();
		expect(store.latest('org_a', 'lost')).toBeUndefined();
		expect(store.hasId('lost')).toBe(false);
		expect(store.list('org_a', everything).sessions.map((stored) => stored.id)).toEqual(['kept']);
	});
});

/** Library records in the journal: replayed on start, kept through snapshots and compaction. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/hub-emulator/journal.js';
import type { SkillRecord } from '../../src/hub-emulator/library-record.js';
import type { StoredSession } from '../../src/hub-emulator/session-record.js';
import { SessionStore } from '../../src/hub-emulator/store.js';
import { tempDir } from './support.js';

function session(id: string): StoredSession {
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
		metadata: {},
		envKeys: [],
		sandbox: {},
	};
}

function skill(id: string, name: string): SkillRecord {
	return {
		kind: 'skill',
		id,
		org: 'org_a',
		createdAt: '2026-01-01T00:00:00.000Z',
		updatedAt: '2026-01-01T00:00:00.000Z',
		source: 'registry',
		repo: 'r',
		skillId: id,
		name,
	};
}

describe('library records in the journal', () => {
	it('replays puts and deletes, and rewrites a redundant file as one line per record', async () => {
		const file = join(await tempDir(), 'state.json');
		const { journal } = await Journal.open(file, () => {});
		await journal.append({ op: 'putRecord', record: skill('a', 'first') });
		await journal.append({ op: 'putRecord', record: skill('a', 'second') });
		await journal.append({ op: 'putRecord', record: skill('b', 'gone') });
		await journal.append({ op: 'deleteRecord', kind: 'skill', org: 'org_a', id: 'b' });
		await journal.close();

		const reopened = await Journal.open(file, () => {});
		expect(reopened.records.map((record) => [record.id, 'name' in record && record.name])).toEqual([
			['a', 'second'],
		]);
		await reopened.journal.close();
		expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2);
	});

	it('keeps records through compaction while running', async () => {
		const file = join(await tempDir(), 'state.json');
		const store = await SessionStore.open(file, () => {});
		await store.putRecord(skill('keep', 'Keep'));
		// Far more journal lines than live entries: the journal compacts while running.
		const writes: Promise<void>[] = [];
		for (let index = 0; index <= 10_000; index++) {
			writes.push(store.put({ ...session('s1'), label: `v${index}` }));
		}
		await Promise.all(writes);
		// Compaction runs once that flush is done: the next write waits for it.
		await store.put({ ...session('s1'), label: 'after compaction' });
		expect(store.journalStats.compactions).toBe(1);
		await store.close();
		const reopened = await SessionStore.open(file, () => {});
		expect(reopened.getRecord('skill', 'org_a', 'keep')).toMatchObject({ name: 'Keep' });
		expect(reopened.get('org_a', 's1')?.label).toBe('after compaction');
		await reopened.close();
	});
});

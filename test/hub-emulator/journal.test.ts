/** The journal on its own: group commit and compaction while running. */
import { lstat, mkdir, readFile, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/hub-emulator/journal.js';
import type { StoredSession } from '../../src/hub-emulator/session-record.js';
import { tempDir } from './support.js';

function session(id: string, label = id): StoredSession {
	return {
		id,
		org: 'org_a',
		createdAt: '2026-01-01T00:00:00.000Z',
		updatedAt: '2026-01-01T00:00:00.000Z',
		task: 't',
		label,
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

describe('Journal', () => {
	it('batches concurrent appends into few syncs', async () => {
		const file = join(await tempDir(), 'state.json');
		const { journal } = await Journal.open(file, () => {});
		await Promise.all(
			Array.from({ length: 500 }, (_, index) =>
				journal.append({ op: 'put', session: session(`s${index}`) })
			)
		);
		expect(journal.stats.appends).toBe(500);
		expect(journal.stats.flushes).toBeLessThan(10);
		await journal.close();
		const reopened = await Journal.open(file, () => {});
		expect(reopened.sessions).toHaveLength(500);
		await reopened.journal.close();
	});

	it('compacts a journal that has grown far past the live sessions', async () => {
		const file = join(await tempDir(), 'state.json');
		const { journal } = await Journal.open(file, () => {});
		const live = new Map<string, StoredSession>();
		journal.attach({
			get size() {
				return live.size;
			},
			values: () => live.values(),
		});
		// 10,001 rewrites of the same two sessions: far more lines than live sessions.
		const writes: Promise<void>[] = [];
		for (let index = 0; index <= 10_000; index++) {
			const changed = session(index % 2 === 0 ? 'a' : 'b', `v${index}`);
			live.set(changed.id, changed);
			writes.push(journal.append({ op: 'put', session: changed }));
		}
		await Promise.all(writes);
		const last = session('a', 'after compaction');
		live.set('a', last);
		await journal.append({ op: 'put', session: last });
		expect(journal.stats.compactions).toBe(1);
		await journal.close();

		expect((await readFile(file, 'utf8')).trim().split('\n').length).toBeLessThan(10);
		const reopened = await Journal.open(file, () => {});
		const labels = Object.fromEntries(reopened.sessions.map((stored) => [stored.id, stored.label]));
		expect(labels).toEqual({ a: 'after compaction', b: 'v9999' });
		await reopened.journal.close();
	});

	it('follows a symlinked state file: appends and compactions write the file it points at, the link stays', async () => {
		const dir = await tempDir();
		const target = join(dir, 'kept', 'state.json');
		const link = join(dir, 'state.json');
		await mkdir(join(dir, 'kept'));
		// Two links in a chain, the last to a file not made yet: made on open, through the links.
		await symlink(join('kept', 'state.json'), join(dir, 'middle.json'));
		await symlink('middle.json', link);
		const { journal } = await Journal.open(link, () => {});
		const live = new Map<string, StoredSession>();
		journal.attach({
			get size() {
				return live.size;
			},
			values: () => live.values(),
		});
		const writes: Promise<void>[] = [];
		for (let index = 0; index <= 10_000; index++) {
			const changed = session(index % 2 === 0 ? 'a' : 'b', `v${index}`);
			live.set(changed.id, changed);
			writes.push(journal.append({ op: 'put', session: changed }));
		}
		await Promise.all(writes);
		const last = session('a', 'after compaction');
		live.set('a', last);
		await journal.append({ op: 'put', session: last });
		expect(journal.stats.compactions).toBe(1);
		await journal.close();

		expect((await lstat(link)).isSymbolicLink()).toBe(true);
		expect(await readlink(link)).toBe('middle.json');
		expect((await lstat(join(dir, 'middle.json'))).isSymbolicLink()).toBe(true);
		expect((await lstat(target)).isFile()).toBe(true);
		const reopened = await Journal.open(link, () => {});
		const labels = Object.fromEntries(reopened.sessions.map((stored) => [stored.id, stored.label]));
		expect(labels).toEqual({ a: 'after compaction', b: 'v9999' });
		await reopened.journal.close();
	});
});

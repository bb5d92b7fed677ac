/** The journal: restarts, corruption, torn tails, concurrency, and a 10,000-session state. */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalHubStateError, startLocalHub } from '../../src/hub-emulator/index.js';
import { client, raw, hubForThisTest, tempDir } from './support.js';

describe('local Hub durability', () => {
	it('serves the same sessions after a restart', async () => {
		const stateFile = join(await tempDir(), 'nested', 'state.json');
		const first = await hubForThisTest({ stateFile });
		const coder = client(first);
		const kept = await coder.createSession({
			task: 'kept',
			tags: ['a'],
			metadata: { k: '1' },
			env: { SECRET: 'hush' },
		});
		const updated = await coder.createSession({ task: 'updated' });
		const archived = await coder.createSession({ task: 'archived' });
		const deleted = await coder.createSession({ task: 'deleted' });
		await coder.updateSession(updated.sessionId, { metadata: { m: 'x' }, tags: ['t'] });
		await coder.archiveSession(archived.sessionId);
		await coder.deleteSession(deleted.sessionId);
		const before = await coder.listSessions({ includeArchived: true });
		const detailBefore = await coder.getSession(updated.sessionId);
		await first.close();

		// Env values never reach the disk.
		expect(await readFile(stateFile, 'utf8')).not.toContain('hush');

		const second = await hubForThisTest({ stateFile });
		const again = client(second);
		expect(await again.listSessions({ includeArchived: true })).toEqual(before);
		expect(await again.getSession(updated.sessionId)).toEqual(detailBefore);
		expect((await again.listSessions()).sessions.map((session) => session.sessionId)).toEqual([
			kept.sessionId,
			updated.sessionId,
		]);
		await expect(again.getSession(deleted.sessionId)).rejects.toMatchObject({ status: 404 });
	});

	it('refuses to start over a corrupt state file, naming the file and line, and leaves it alone', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		const hub = await hubForThisTest({ stateFile });
		await client(hub).createSession({ task: 'one' });
		await client(hub).createSession({ task: 'two' });
		await hub.close();
		const lines = (await readFile(stateFile, 'utf8')).split('\n');
		lines[1] = '{"op":"put","session":{"id":';
		const corrupt = lines.join('\n');
		await writeFile(stateFile, corrupt);

		const error = await startLocalHub({ stateFile }).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(LocalHubStateError);
		expect(error).toMatchObject({ file: stateFile, line: 2 });
		expect((error as Error).message).toContain(`${stateFile}:2`);
		expect(await readFile(stateFile, 'utf8')).toBe(corrupt);
	});

	it('refuses files that are not a journal, or entries that are not sessions', async () => {
		const dir = await tempDir();
		const notJournal = join(dir, 'other.json');
		await writeFile(notJournal, JSON.stringify({ sessions: [] }, null, 2));
		await expect(startLocalHub({ stateFile: notJournal })).rejects.toThrow(LocalHubStateError);

		const badEntry = join(dir, 'bad-entry.json');
		await writeFile(
			badEntry,
			'{"kind":"coder-sessions/local-hub","version":1}\n{"op":"put","session":{"id":"x"}}\n'
		);
		await expect(startLocalHub({ stateFile: badEntry })).rejects.toThrow(
			/bad-entry\.json:2: invalid journal entry/
		);
	});

	it('drops a torn last line with a warning, and keeps appending cleanly', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		const first = await hubForThisTest({ stateFile });
		const { sessionId } = await client(first).createSession({ task: 'survivor' });
		await first.close();
		await appendFile(stateFile, '{"op":"put","session":{"id":"codesess_');

		const warnings: string[] = [];
		const second = await hubForThisTest({
			stateFile,
			onWarning: (message) => warnings.push(message),
		});
		expect(warnings).toEqual([expect.stringContaining('dropped an unfinished last entry')]);
		expect((await client(second).getSession(sessionId)).task).toBe('survivor');
		const added = await client(second).createSession({ task: 'after recovery' });
		await second.close();

		const third = await hubForThisTest({
			stateFile,
			onWarning: (message) => warnings.push(message),
		});
		expect(warnings).toHaveLength(1);
		expect(
			(await client(third).listSessions()).sessions.map((session) => session.sessionId)
		).toEqual([sessionId, added.sessionId]);
	});

	it('loses no write under 200 concurrent creates and concurrent metadata patches', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		const first = await hubForThisTest({ stateFile });
		const coder = client(first);
		const created = await Promise.all(
			Array.from({ length: 200 }, (_, index) => coder.createSession({ task: `task ${index}` }))
		);
		const target = created[0]!.sessionId;
		await Promise.all(
			Array.from({ length: 50 }, (_, index) =>
				coder.updateSession(target, { metadata: { [`k${index}`]: 'v' } })
			)
		);
		await first.close();

		const second = await hubForThisTest({ stateFile });
		const list = await client(second).listSessions();
		expect(list.total).toBe(200);
		expect(new Set(list.sessions.map((session) => session.sessionId))).toEqual(
			new Set(created.map((session) => session.sessionId))
		);
		expect(Object.keys((await client(second).getSession(target)).metadata ?? {})).toHaveLength(50);
	});

	it('loads 10,000 sessions and pages through them quickly', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		const lines = ['{"kind":"coder-sessions/local-hub","version":1}'];
		for (let index = 0; index < 10_000; index++) {
			const at = new Date(Date.UTC(2026, 0, 1, 0, 0, 0, index)).toISOString();
			const session = {
				id: `codesess_${index.toString(16).padStart(12, '0')}`,
				org: index % 2 === 0 ? 'org_a' : 'org_b',
				createdAt: at,
				updatedAt: at,
				...(index % 10 === 0 ? { archivedAt: at } : {}),
				task: `task ${index}`,
				label: `label ${index}`,
				visibility: 'private',
				workflowMode: 'standard',
				tags: ['managed'],
				enabledAgents: [],
				skills: [],
				metadata: { key: `k${index}` },
				envKeys: [],
				sandbox: {},
			};
			lines.push(JSON.stringify({ op: 'put', session }));
		}
		await writeFile(stateFile, `${lines.join('\n')}\n`);

		const hub = await hubForThisTest({ stateFile });
		const page = await raw(
			hub,
			'GET',
			'/api/hub/sessions?includeArchived=true&limit=100&offset=4900'
		);
		expect(page.body).toMatchObject({ total: 5000 });
		const visible = await raw(hub, 'GET', '/api/hub/sessions?limit=1');
		// Every tenth session is archived, and all of those are even, so in org_a.
		expect(visible.body).toMatchObject({ total: 4000 });
		const found = await raw(hub, 'GET', '/api/hub/sessions?search=K9998');
		expect(found.body).toMatchObject({ total: 1 });
		expect((await raw(hub, 'GET', '/api/hub/sessions?search=k9999')).body).toMatchObject({
			total: 0,
		});

		let seen = 0;
		for (let offset = 0; offset < 5000; offset += 500) {
			const response = await raw(
				hub,
				'GET',
				`/api/hub/sessions?includeArchived=true&limit=500&offset=${offset}`
			);
			seen += (response.body as { sessions: { websocket: unknown[] } }).sessions.websocket.length;
		}
		expect(seen).toBe(5000);
	});
});

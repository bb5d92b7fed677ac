/** discover() against an in-process local Hub through the real client: choices, listing, progress. */
import { describe, expect, it } from 'vitest';
import { discover, SMALL_ORG } from '../../../src/hub/discovery/discover.js';
import type { DiscoveryRequest } from '../../../src/hub/discovery/types.js';
import type { HubReader } from '../../../src/hub/types.js';
import { connect, readOnly } from '../../../src/hub/client.js';
import { UserError } from '../../../src/core/errors.js';
import { MARKER } from '../../../src/ownership/markers.js';
import { stackToken } from '../../../src/ownership/search-token.js';
import { hubForTest, seedMarked, seedUnmarked, type TestHub } from '../../support/local-hub.js';

const request = (fields: Partial<DiscoveryRequest> = {}): DiscoveryRequest => ({
	stack: 'orbit',
	mode: 'auto',
	parallelism: 4,
	needsArchived: () => false,
	...fields,
});

describe('discover', () => {
	it('reads a small org in full, telling progress per session, and lists archived ones too', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		await seedMarked(hub, 'orbit', 'a');
		const archived = await seedUnmarked(hub);
		await hub.client.archiveSession(archived);
		const progress: string[] = [];
		const reader = readOnly(connect({ url: hub.url, apiKey: 'test' }));
		const found = await discover(reader, request({ onProgress: (text) => progress.push(text) }));
		expect(found.live).toHaveLength(2);
		expect(found.listing).toEqual({
			ids: new Set(found.live.map((s) => s.id)),
			includeArchived: true,
		});
		expect(found.note).toBe(
			'Discovery: full read (a small org: 2 sessions); 2 sessions read in detail.'
		);
		expect(progress.sort()).toEqual(['read 1 of 2 sessions', 'read 2 of 2 sessions']);
		expect(reader.calls).toMatchObject({ list: 1, get: 2 });
	});

	it('with search, sees only the stack and what is named by id, and lists active sessions only', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const ours = await seedMarked(hub, 'orbit', 'a', { task: 'Task a', label: 'A' });
		const named = await seedUnmarked(hub, 'To adopt');
		const other = await seedUnmarked(hub, 'Someone else');
		const reader = readOnly(connect({ url: hub.url, apiKey: 'test' }));
		const found = await discover(reader, request({ mode: 'search', byId: [named] }));
		expect(found.live.map((s) => s.id).sort()).toEqual([ours, named].sort());
		expect(found.listing).toEqual({ ids: new Set([ours, named, other]), includeArchived: false });
		expect(found.note).toMatch(
			/^Discovery: search verified \(it matches stack orbit in metadata\); 1 session of the stack found/
		);
		// The session named by id is listed as active: counted among the listing's reads.
		expect(found.note).not.toContain('not listed');
	});

	it('with search, counts archived history apart from the active sessions listed', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		for (const key of ['a', 'b']) await seedMarked(hub, 'orbit', key, { task: `Task ${key}` });
		for (const key of ['c', 'd', 'e', 'f', 'g']) {
			const id = await seedMarked(hub, 'orbit', key, { task: `Task ${key}` });
			await hub.client.archiveSession(id);
		}
		const reader = readOnly(connect({ url: hub.url, apiKey: 'test' }));
		const found = await discover(reader, request({ mode: 'search', needsArchived: () => true }));
		expect(found.live).toHaveLength(7);
		// Each session read once: the 2 hits and the 5 archived ones, nothing else.
		expect(reader.calls.get).toBe(7);
		// It once said "7 of 2 active sessions read in detail".
		expect(found.note).toMatch(
			/; 7 sessions of the stack found, 2 of 2 active sessions read in detail \(\d+ created or active within 15 minutes of the newest listed\), and 5 more not listed as active \(archived history the plan needs\)\.$/
		);
	});

	it('with search, counts apart only the sessions named by id that the active listing lacks', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		await seedMarked(hub, 'orbit', 'a', { task: 'Task a' });
		const active = await seedUnmarked(hub, 'To adopt');
		const archived = await seedUnmarked(hub, 'To adopt, archived');
		await hub.client.archiveSession(archived);
		const reader = readOnly(connect({ url: hub.url, apiKey: 'test' }));
		const found = await discover(reader, request({ mode: 'search', byId: [active, archived] }));
		expect(found.live).toHaveLength(3);
		expect(found.note).toMatch(
			/, 2 of 2 active sessions read in detail \(\d+ created or active within 15 minutes of the newest listed\), and 1 more not listed as active \(adopt: targets\)\.$/
		);
	});

	it('with search, leaves out a session deleted between its listing and its detail read', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const kept = await seedMarked(hub, 'orbit', 'a', { task: 'Task a' });
		// A search hit, and listed as active (recent): deleted as its detail is about to be read.
		const deleted = await seedMarked(hub, 'orbit', 'b', { task: 'Task b' });
		const reader = readOnly(connect({ url: hub.url, apiKey: 'test' }));
		const deleting: HubReader = new Proxy(reader, {
			get(target, name) {
				if (name !== 'getSession') return Reflect.get(target, name, target) as unknown;
				return async (id: string) => {
					if (id === deleted) await hub.client.deleteSession(id).catch(() => {});
					return target.getSession(id);
				};
			},
		});
		const found = await discover(deleting, request({ mode: 'search' }));
		expect(found.live.map((s) => s.id)).toEqual([kept]);
		expect(found.note).toMatch(/; 1 session of the stack found, /);
	});

	it('refuses --discovery search when the search cannot be verified', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { searchIgnoresMetadata: true });
		await seedMarked(hub, 'orbit', 'a', { task: 'Task a', label: 'A' });
		const reader = readOnly(connect({ url: hub.url, apiKey: 'test' }));
		const attempt = discover(reader, request({ mode: 'search' }));
		await expect(attempt).rejects.toBeInstanceOf(UserError);
		await expect(attempt).rejects.toThrow('it found no session of stack orbit');
	});

	it('falls back on a full read in auto without reading the search hits twice', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		// Beyond a small org; the stack's name in the label leaves nothing to verify the search by.
		await seedMarked(hub, 'orbit', 'a', { task: 'Task a', label: 'Orbit a' });
		for (let i = 0; i < SMALL_ORG; i++) await seedUnmarked(hub, `Crowd ${i}`);
		const reader = readOnly(connect({ url: hub.url, apiKey: 'test' }));
		const found = await discover(reader, request());
		expect(found.note).toBe(
			"Discovery: full read (search unverified: each session of stack orbit it found also names the stack outside its markers, and a search for the stack's token (written on each session's next apply) found none of them); 101 sessions read in detail."
		);
		expect(reader.calls.get).toBe(SMALL_ORG + 1);
	});

	it('with search, reads archived history only when the plan needs it, and keeps of it only the stack', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const ours = await seedMarked(hub, 'orbit', 'a', { task: 'Task a' });
		const gone = await seedMarked(hub, 'orbit', 'b', { task: 'Task b' });
		await hub.client.archiveSession(gone);
		// Found by a search for the stack's name, archived, and no session of the stack.
		const notes = await seedUnmarked(hub, 'Notes on orbit');
		await hub.client.archiveSession(notes);
		// Named by id (an adopt: target), archived: read, though the active listing lacks it.
		const named = await seedUnmarked(hub, 'To adopt');
		await hub.client.archiveSession(named);
		const reader = () => readOnly(connect({ url: hub.url, apiKey: 'test' }));
		const progress: string[] = [];
		const without = await discover(
			reader(),
			request({ mode: 'search', byId: [named], onProgress: (text) => progress.push(text) })
		);
		expect(without.live.map((s) => s.id).sort()).toEqual([ours, named].sort());
		expect(without.note).toMatch(/, and 1 more not listed as active \(adopt: targets\)\.$/);
		// Each session read once: the named one and the stack's hit.
		expect(progress.at(-1)).toBe('read 2 of 2 sessions');
		progress.length = 0;

		const asked: string[][] = [];
		const found = await discover(
			reader(),
			request({
				mode: 'search',
				byId: [named],
				needsArchived: (active) => {
					asked.push(active.map((s) => s.id));
					return true;
				},
				onProgress: (text) => progress.push(text),
			})
		);
		expect(asked).toEqual([[ours]]);
		expect(found.live.map((s) => s.id).sort()).toEqual([ours, gone, named].sort());
		expect(found.note).toMatch(
			/, and 3 more not listed as active \(archived history the plan needs, adopt: targets\)\.$/
		);
		// Then the two archived sessions the search with history finds: 4 reads in all.
		expect(progress.at(-1)).toBe('read 4 of 4 sessions');
	});
	it('with search, counts an adopt: target the active listing holds among the listed sessions, not beside them', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const ours = await seedMarked(hub, 'orbit', 'a', { task: 'Task a' });
		const gone = await seedMarked(hub, 'orbit', 'b', { task: 'Task b' });
		await hub.client.archiveSession(gone);
		// Named by id, and active: the listing holds it.
		const named = await seedUnmarked(hub, 'To adopt');
		const found = await discover(
			readOnly(connect({ url: hub.url, apiKey: 'test' })),
			request({ mode: 'search', byId: [named], needsArchived: () => true })
		);
		expect(found.live.map((s) => s.id).sort()).toEqual([ours, gone, named].sort());
		expect(found.note).toMatch(
			/, and 1 more not listed as active \(archived history the plan needs\)\.$/
		);
	});
});

describe('discover, with search, when every session of the stack names it in its task', () => {
	const TOKEN = { [MARKER.searchToken]: stackToken('orbit') };
	/** A session of the stack whose task names the stack: its stack marker verifies nothing. */
	const named = (hub: TestHub, key: string, metadata: Record<string, string> = {}) =>
		seedMarked(hub, 'orbit', key, { task: `Work on ${key} for orbit`, metadata });
	const reader = (hub: TestHub) => readOnly(connect({ url: hub.url, apiKey: 'test' }));

	it("is verified by the stack's token, and reads and keeps each session once", async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const ours = await named(hub, 'a', TOKEN);
		// A hit of no stack beside it: the token is still searched for.
		await seedUnmarked(hub, 'Notes on orbit');
		const counted = reader(hub);
		const found = await discover(counted, request({ mode: 'search' }));
		expect(found.live.map((s) => s.id)).toEqual([ours]);
		expect(found.note).toMatch(
			/^Discovery: search verified \(it matches the token of stack orbit in metadata\); 1 session of the stack found, 2 of 2 active sessions read in detail/
		);
		expect(counted.calls.get).toBe(2);
	});

	it("is not verified by an archived session's token: only active sessions witness", async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		await named(hub, 'a');
		await hub.client.archiveSession(await named(hub, 'b', TOKEN));
		await expect(discover(reader(hub), request({ mode: 'search' }))).rejects.toThrow(
			"each session of stack orbit it found also names the stack outside its markers, and a search for the stack's token (written on each session's next apply) found none of them"
		);
	});

	it('reads a token hit the search for its name did not find, and takes it as witness', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const before = await named(hub, 'a');
		// Made between the two searches: a hit of the token search alone.
		let between = '';
		const base = reader(hub);
		const late: HubReader = new Proxy(base, {
			get(target, name) {
				if (name !== 'listSummaries') return Reflect.get(target, name, target) as unknown;
				return (query: Parameters<HubReader['listSummaries']>[0]) => {
					if (query.search !== stackToken('orbit')) return target.listSummaries(query);
					return (async function* () {
						if (!between) between = await named(hub, 'b', TOKEN);
						yield* target.listSummaries(query);
					})();
				};
			},
		});
		const found = await discover(late, request({ mode: 'search' }));
		expect(found.note).toMatch(/^Discovery: search verified \(it matches the token of stack orbit/);
		expect(found.live.map((s) => s.id).sort()).toEqual([before, between].sort());
	});

	it('is not verified by a search that ignores metadata, whatever tokens its hits hold', async ({
		onTestFinished,
	}) => {
		// The search for the stack's name finds the session by its task; the one for its token,
		// only in metadata, finds nothing: the token the hit holds proves nothing of the search.
		const hub = await hubForTest(onTestFinished, { searchIgnoresMetadata: true });
		await named(hub, 'a', TOKEN);
		await expect(discover(reader(hub), request({ mode: 'search' }))).rejects.toThrow(
			"a search for the stack's token (written on each session's next apply) found none of them"
		);
	});

	it('takes no session of another stack holding the token, and counts its read once', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const ours = await named(hub, 'a', TOKEN);
		// Markers of another stack, the token of this one (copied by hand, say): a token hit only.
		await seedMarked(hub, 'elsewhere', 'x', { task: 'Unrelated', metadata: TOKEN });
		const counted = reader(hub);
		const found = await discover(counted, request({ mode: 'search' }));
		expect(found.live.map((s) => s.id)).toEqual([ours]);
		expect(found.note).toMatch(
			/; 1 session of the stack found, 2 of 2 active sessions read in detail \(2 created or active within 15 minutes of the newest listed\)\.$/
		);
		expect(counted.calls.get).toBe(2);
	});
});

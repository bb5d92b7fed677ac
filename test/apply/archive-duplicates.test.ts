/**
 * How apply archives its own duplicates, against a local Hub on 127.0.0.1: each copy and the
 * session that stays are read again just before, and a copy is archived only while it is still
 * what the read-back saw and the session that stays is still the key's active one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { archiveDuplicates } from '../../src/apply/duplicates.js';
import type { DuplicateArchived } from '../../src/apply/events.js';
import type { ReadBack } from '../../src/apply/read-back.js';
import { connect } from '../../src/hub/client.js';
import type { HubWriter } from '../../src/hub/types.js';
import type { LiveSession } from '../../src/kinds/session/live.js';
import { MARKER } from '../../src/ownership/markers.js';
import { startProxy, type HubProxy } from '../support/apply-helpers.js';
import { editLive, seedMarked, startTestHub, type TestHub } from '../support/local-hub.js';

const STACK = 'docs-team';
const RUN = 'run_ours';

const hubs: TestHub[] = [];
const proxies: HubProxy[] = [];
afterEach(async () => {
	await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
	await Promise.all(hubs.splice(0).map((hub) => hub.close()));
});

/** A Hub holding one key's session that stays and this run's copy of it, as read back. */
async function twoOfOneKey(key = 'k') {
	const hub = await startTestHub();
	hubs.push(hub);
	const writer = connect({ url: hub.url });
	const keptId = await seedMarked(hub, STACK, key);
	const copyId = await seedMarked(hub, STACK, key, { metadata: { [MARKER.run]: RUN } });
	const back = await readBackOf(writer, [keptId, copyId], [copyId]);
	const duplicate: DuplicateArchived = { key, id: copyId, kept: keptId, cause: 'resent' };
	return { hub, writer, back, duplicate };
}

async function readBackOf(
	writer: HubWriter,
	ids: readonly string[],
	appeared: readonly string[]
): Promise<ReadBack> {
	const sessions = new Map<string, LiveSession | undefined>();
	for (const id of ids) sessions.set(id, await writer.getSession(id));
	return { sessions, unreadable: new Map(), appeared };
}

const isActive = async (writer: HubWriter, id: string) =>
	(await writer.getSession(id))?.archived === false;

const notArchived = (duplicate: DuplicateArchived, why: string) => ({
	key: duplicate.key,
	sessionId: duplicate.id,
	problem: `is a second session this run created for the key, and was not archived: ${why}`,
});

describe('archiveDuplicates', () => {
	it("archives this run's copy and leaves the session that stays", async () => {
		const { hub, writer, back, duplicate } = await twoOfOneKey();
		const result = await archiveDuplicates([duplicate], back, STACK, writer, 4);
		expect(result).toEqual({ archived: [duplicate], failed: [] });
		expect(await isActive(writer, duplicate.id)).toBe(false);
		expect(await isActive(writer, duplicate.kept)).toBe(true);
		expect(hub.stats()['archive']).toBe(1);
	});

	it('a copy already archived or deleted since counts as archived, with no write', async () => {
		const { hub, writer, back, duplicate } = await twoOfOneKey();
		await hub.client.archiveSession(duplicate.id);
		await hub.resetStats();
		expect(await archiveDuplicates([duplicate], back, STACK, writer, 4)).toEqual({
			archived: [duplicate],
			failed: [],
		});
		await hub.client.deleteSession(duplicate.id);
		expect(await archiveDuplicates([duplicate], back, STACK, writer, 4)).toEqual({
			archived: [duplicate],
			failed: [],
		});
		expect(hub.stats()['archive'] ?? 0).toBe(0);
	});

	it('a copy another writer changed after the read-back is left, and said so', async () => {
		const { hub, writer, back, duplicate } = await twoOfOneKey();
		// Adopted meanwhile as another key (its markers moved): no longer this run's copy.
		const copy = back.sessions.get(duplicate.id)!;
		await editLive(hub, duplicate.id, { metadata: { ...copy.metadata, [MARKER.key]: 'other' } });
		expect(await archiveDuplicates([duplicate], back, STACK, writer, 4)).toEqual({
			archived: [],
			failed: [notArchived(duplicate, 'another writer changed it after the read-back')],
		});
		expect(await isActive(writer, duplicate.id)).toBe(true);
	});

	it('a copy whose session that stays is archived, moved to another key or stack, is left', async () => {
		const edits: Record<string, (hub: TestHub, kept: LiveSession) => Promise<void>> = {
			archived: (hub, kept) => hub.client.archiveSession(kept.id).then(() => {}),
			deleted: (hub, kept) => hub.client.deleteSession(kept.id).then(() => {}),
			'another key': (hub, kept) =>
				editLive(hub, kept.id, { metadata: { ...kept.metadata, [MARKER.key]: 'other' } }),
			'another stack': (hub, kept) =>
				editLive(hub, kept.id, { metadata: { ...kept.metadata, [MARKER.stack]: 'other' } }),
		};
		for (const [what, edit] of Object.entries(edits)) {
			const { hub, writer, back, duplicate } = await twoOfOneKey();
			await edit(hub, back.sessions.get(duplicate.kept)!);
			expect(await archiveDuplicates([duplicate], back, STACK, writer, 4), what).toEqual({
				archived: [],
				failed: [
					notArchived(duplicate, `${duplicate.kept}, which was to stay, is no longer active`),
				],
			});
			expect(await isActive(writer, duplicate.id), what).toBe(true);
		}
	});

	it("a copy the Hub refuses to archive is reported with the Hub's reason", async () => {
		const { hub, back, duplicate } = await twoOfOneKey();
		const proxy = await startProxy(hub.url, (request) =>
			request.method === 'POST' && request.path.endsWith('/archive')
				? { status: 409, body: { success: false, message: 'session is busy' } }
				: undefined
		);
		proxies.push(proxy);
		const { archived, failed } = await archiveDuplicates(
			[duplicate],
			back,
			STACK,
			connect({ url: proxy.url }),
			4
		);
		expect(archived).toEqual([]);
		expect(failed).toHaveLength(1);
		expect(failed[0]!.problem).toMatch(/was not archived: .*session is busy/);
	});

	it('a copy the Hub no longer has when it is archived counts as archived', async () => {
		const { hub, back, duplicate } = await twoOfOneKey();
		const proxy = await startProxy(hub.url, (request) =>
			request.method === 'POST' && request.path.endsWith('/archive')
				? { status: 404, body: { success: false, message: 'Session not found' } }
				: undefined
		);
		proxies.push(proxy);
		expect(
			await archiveDuplicates([duplicate], back, STACK, connect({ url: proxy.url }), 4)
		).toEqual({ archived: [duplicate], failed: [] });
	});
});

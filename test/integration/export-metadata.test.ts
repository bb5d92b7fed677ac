/**
 * `export` keeps every user metadata key of a session, including keys the spec never named (a
 * plan of the exported spec compares only the keys it names, so the round trip alone would not
 * see one lost): the exported entry's metadata is the live session's, less the coder-sessions
 * markers.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MARKER_PREFIX } from '../../src/kinds/session/marker-prefix.js';
import {
	applySpec,
	cli,
	editLive,
	hubForTest,
	liveIdsByKey,
	seedSession,
	useTempDir,
	writeSpec,
	type TestHub,
} from '../support/local-hub.js';
import { expectExit } from '../support/plan-output.js';

const RUN = { timeoutMs: 90_000 };

async function userMetadataOf(hub: TestHub, id: string): Promise<Record<string, unknown>> {
	const metadata = ((await hub.client.getSession(id)).metadata ?? {}) as Record<string, unknown>;
	return Object.fromEntries(
		Object.entries(metadata).filter(([key]) => !key.startsWith(MARKER_PREFIX))
	);
}

interface ExportedSpec {
	readonly sessions: Record<string, { metadata?: Record<string, string>; adopt?: string }>;
}

describe.concurrent('export keeps user metadata', { timeout: 240_000 }, () => {
	const dir = useTempDir('export-metadata-it-');

	it("writes every user metadata key of a stack's sessions, named in the spec or not", async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const file = await writeSpec(dir.path, 'kept-meta.yaml', {
			stack: 'kept-meta',
			sessions: {
				a: { task: 'Task for a', metadata: { team: 'docs', 'example.com/tier': '1' } },
				b: { task: 'Task for b' },
			},
		});
		await applySpec(hub, file, { ...RUN, cwd: dir.path });
		const ids = await liveIdsByKey(hub, 'kept-meta');
		// Keys another app or a person added on the Hub, which the spec does not name.
		await editLive(hub, ids.a!, { metadata: { 'example.com/owner': 'maria', ticket: 'T-9' } });
		await editLive(hub, ids.b!, { metadata: { 'ops/rota': 'week 3' } });

		const exported = await cli(hub, ['export', '--stack', 'kept-meta'], { ...RUN, cwd: dir.path });
		expectExit(exported, 0);
		const spec = parse(exported.stdout) as ExportedSpec;
		expect(Object.keys(spec.sessions).sort()).toEqual(['a', 'b']);
		for (const [key, id] of Object.entries(ids)) {
			const live = await userMetadataOf(hub, id);
			expect(Object.keys(live).length, key).toBeGreaterThan(0);
			expect(spec.sessions[key]!.metadata ?? {}, key).toEqual(live);
		}
		expect(spec.sessions.a!.metadata).toMatchObject({ 'example.com/owner': 'maria', team: 'docs' });
	});

	it('writes every user metadata key of unmarked sessions it exports with adopt:', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const id = await seedSession(hub, {
			task: 'Hand-made task',
			label: 'Hand made',
			metadata: { owner: 'maria', 'example.com/cost-centre': 'cc-7' },
		});
		const exported = await cli(hub, ['export', '--stack', 'adopted-meta', '--unmanaged'], {
			...RUN,
			cwd: dir.path,
		});
		expectExit(exported, 0);
		const spec = parse(exported.stdout) as ExportedSpec;
		const entry = Object.values(spec.sessions).find((session) => session.adopt === id);
		expect(entry?.metadata).toEqual(await userMetadataOf(hub, id));
	});
});

/** The local Hub spawns sessions from another, as the Hub spawns workers and derived sessions. */
import {
	CoderClient,
	CoderSessionListResponseSchema,
	CoderSessionSchema,
} from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import { spawnChildren } from '../support/spawn.js';
import { hubForThisTest, raw } from './support.js';

const META = { 'coder-sessions/stack': 'web', 'coder-sessions/key': 'lead', ticket: 'T-1' };

describe('spawned sessions', () => {
	it('copies the parent and its metadata, and names where they came from in list and detail', async () => {
		const hub = await hubForThisTest();
		const coder = new CoderClient({ url: hub.url });
		const { sessionId: parent } = await coder.createSession({ task: 'Lead', metadata: META });
		const [worker] = await spawnChildren(hub, parent);
		const [derived] = await spawnChildren(hub, parent, {
			sessionKind: null,
			parent: false,
			coordinationJobId: 'job_1',
			task: 'Step two',
		});
		const [kindOnly] = await spawnChildren(hub, parent, { sessionKind: 'reviewer', parent: false });
		const list = CoderSessionListResponseSchema.parse(
			await coder.listSessions({ includeArchived: true })
		);
		const item = (id: string) => list.sessions.find((session) => session.sessionId === id)!;
		expect(item(parent)).not.toHaveProperty('parentSessionId');
		expect(item(parent)).not.toHaveProperty('sessionKind');
		expect(item(worker!)).toMatchObject({ parentSessionId: parent, sessionKind: 'worker' });
		expect(item(worker!)).not.toHaveProperty('coordinationJobId');
		expect(item(derived!)).toMatchObject({ coordinationJobId: 'job_1' });
		expect(item(derived!)).not.toHaveProperty('parentSessionId');
		expect(item(derived!)).not.toHaveProperty('sessionKind');
		expect(item(kindOnly!)).toMatchObject({ sessionKind: 'reviewer' });
		const detail = CoderSessionSchema.parse(await coder.getSession(worker!));
		expect(detail).toMatchObject({ task: 'Lead', metadata: META, parentSessionId: parent });
		expect(CoderSessionSchema.parse(await coder.getSession(derived!)).task).toBe('Step two');
	});

	it('spawns workers with every create under spawnWorkers', async () => {
		const hub = await hubForThisTest({ spawnWorkers: 2 });
		const coder = new CoderClient({ url: hub.url });
		const { sessionId } = await coder.createSession({ task: 'Lead', metadata: META });
		const list = await coder.listSessions({ includeArchived: true });
		const workers = list.sessions.filter((session) => session.parentSessionId === sessionId);
		expect(workers.map((session) => session.sessionKind)).toEqual(['worker', 'worker']);
		expect(list.sessions).toHaveLength(3);
	});

	it('answers 404 for an unknown parent and 400 for a bad body', async () => {
		const hub = await hubForThisTest();
		const coder = new CoderClient({ url: hub.url });
		const { sessionId } = await coder.createSession({ task: 'Lead' });
		const spawn = (id: string, body: unknown) =>
			raw(hub, 'POST', `/_local/sessions/${id}/spawn`, { org: 'default', body });
		expect((await spawn('codesess_nope', {})).status).toBe(404);
		expect((await spawn(sessionId, { count: 0 })).status).toBe(400);
		expect((await spawn(sessionId, { colour: 'red' })).status).toBe(400);
	});
});

import { describe, expect, it } from 'vitest';
import { connect, readOnly } from '../../src/hub/client.js';
import { hubForTest } from '../support/local-hub.js';

describe('readOnly', () => {
	it('passes every read through and has no write method', async ({ onTestFinished }) => {
		const hub = await hubForTest(onTestFinished);
		const { sessionId } = await hub.client.createSession({ task: 'Read me' });
		const writer = connect({ url: hub.url, apiKey: 'test' });
		const reader = readOnly(writer);
		for (const name of ['createSession', 'updateSession', 'archiveSession', 'deleteSession']) {
			expect(name in reader).toBe(false);
			expect((reader as unknown as Record<string, unknown>)[name]).toBeUndefined();
		}
		expect((await reader.getSession(sessionId))?.task).toBe('Read me');
		expect(await reader.listSessionIds()).toEqual([sessionId]);
		expect(reader.calls).toBe(writer.calls);
		expect(reader.calls.get).toBe(1);
		expect(reader.unavailable).toBeUndefined();
	});
});

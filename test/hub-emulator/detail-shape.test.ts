/** The detail's env and workspace in the SDK's shapes: nothing a real Hub would not send. */
import { CoderSessionSchema, CoderSessionWorkspaceSchema } from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import { raw, hubForThisTest } from './support.js';

const DOCS_WORKSPACE = {
	org: 'org_a',
	workspaces: [{ id: 'ws_docs', name: 'Docs', repos: [{ fullName: 'agentuity/docs' }] }],
};

describe('local Hub session detail', () => {
	it('names env variables in the SDK env mapping, never with their values', async () => {
		const hub = await hubForThisTest();
		const body = { task: 'T', env: { B_TOKEN: 'hunter2', A_MODE: 'fast' } };
		const created = await raw(hub, 'POST', '/api/hub/session', { body });
		const id = (created.body as { sessionId: string }).sessionId;
		const detail = (await raw(hub, 'GET', `/api/hub/session/${id}`)).body as Record<
			string,
			unknown
		>;
		expect(CoderSessionSchema.safeParse(detail).error).toBeUndefined();
		expect(detail.env).toEqual({ A_MODE: '', B_TOKEN: '' });
		expect(detail).not.toHaveProperty('envKeys');
		expect(JSON.stringify(detail)).not.toContain('hunter2');
		expect(JSON.stringify(detail)).not.toContain('fast');
	});

	it('leaves env out of the detail of a session created without it', async () => {
		const hub = await hubForThisTest();
		const created = await raw(hub, 'POST', '/api/hub/session', { body: { task: 'T' } });
		const id = (created.body as { sessionId: string }).sessionId;
		const detail = (await raw(hub, 'GET', `/api/hub/session/${id}`)).body;
		expect(detail).not.toHaveProperty('env');
	});

	it('answers the workspace as the SDK workspace object, with its name, not a bare id', async () => {
		const hub = await hubForThisTest({ fixtures: DOCS_WORKSPACE });
		const body = { task: 'T', workspaceId: 'ws_docs' };
		const created = await raw(hub, 'POST', '/api/hub/session', { body });
		const id = (created.body as { sessionId: string }).sessionId;
		const detail = (await raw(hub, 'GET', `/api/hub/session/${id}`)).body as Record<
			string,
			unknown
		>;
		expect(CoderSessionWorkspaceSchema.strict().parse(detail.workspace)).toEqual({
			id: 'ws_docs',
			name: 'Docs',
			scope: 'user',
		});
		expect(detail).not.toHaveProperty('workspaceId');

		// The strict Hub refuses a workspace the org does not hold; the lenient one names it by id.
		const unknown = await raw(hub, 'POST', '/api/hub/session', {
			body: { task: 'T', workspaceId: 'ws_nope' },
		});
		expect(unknown.status).toBe(400);
		expect((unknown.body as { error: string }).error).toContain(
			'workspaceId: no workspace ws_nope'
		);
		const lenient = await hubForThisTest({ strict: false });
		const loose = await raw(lenient, 'POST', '/api/hub/session', {
			body: { task: 'T', workspaceId: 'ws_nope' },
		});
		const looseId = (loose.body as { sessionId: string }).sessionId;
		expect((await raw(lenient, 'GET', `/api/hub/session/${looseId}`)).body).toMatchObject({
			workspace: { id: 'ws_nope', name: 'ws_nope', scope: 'org' },
		});
	});
});

describe('local Hub session detail keys', () => {
	it('are the SDK schema keys, plus the participants the Hub snapshot documents', async () => {
		const hub = await hubForThisTest({ fixtures: DOCS_WORKSPACE });
		const body = {
			task: 'T',
			agent: 'scout',
			workflowMode: 'loop',
			loop: { goal: 'G', maxIterations: 3 },
			runtime: 'bun:1',
			workspaceId: 'ws_docs',
			env: { A: 'x' },
		};
		const created = await raw(hub, 'POST', '/api/hub/session', { body });
		const id = (created.body as { sessionId: string }).sessionId;
		await raw(hub, 'POST', `/api/hub/session/${id}/archive`);
		const detail = (await raw(hub, 'GET', `/api/hub/session/${id}`)).body as Record<
			string,
			unknown
		>;
		const known = new Set([...Object.keys(CoderSessionSchema.shape), 'participants']);
		expect(Object.keys(detail).filter((key) => !known.has(key))).toEqual([]);
	});
});

/** The wire itself, with plain fetch: shapes, nulls, error bodies, routing edge cases. */
import { CoderSessionListItemSchema, CoderSessionSchema } from '@agentuity/core/coder';
import { describe, expect, it } from 'vitest';
import { nullPaths, raw, hubForThisTest } from './support.js';

const create = {
	task: 'Explain the code',
	metadata: { ticket: 'T-1', n: 1 },
	env: { KEY: 'value' },
	tags: ['x'],
};

describe('local Hub wire format', () => {
	it('answers create with 201 and the documented body', async () => {
		const hub = await hubForThisTest();
		const response = await raw(hub, 'POST', '/api/hub/session', { body: create });
		expect(response.status).toBe(201);
		expect(response.headers.get('content-type')).toContain('application/json');
		expect(response.body).toEqual({
			sessionId: expect.stringMatching(/^codesess_[0-9a-f]{12}$/),
			status: 'creating',
			sandboxId: null,
			mode: 'sandbox',
			visibility: 'private',
		});
	});

	it('never sends null, and keeps task/metadata/env off list items', async () => {
		const hub = await hubForThisTest();
		const { body } = await raw(hub, 'POST', '/api/hub/session', { body: create });
		const id = (body as { sessionId: string }).sessionId;
		await raw(hub, 'POST', '/api/hub/session', { body: { task: 'bare' } });
		await raw(hub, 'POST', `/api/hub/session/${id}/archive`);

		const list = await raw(hub, 'GET', '/api/hub/sessions?includeArchived=true');
		expect(list.status).toBe(200);
		expect(nullPaths(list.body)).toEqual([]);
		const payload = list.body as {
			sessions: { websocket: Record<string, unknown>[]; sandbox: unknown[] };
			total: number;
		};
		expect(payload.sessions.sandbox).toEqual([]);
		expect(payload.total).toBe(2);
		for (const item of payload.sessions.websocket) {
			// Strict: every required field present with the right type, no unknown keys needed.
			expect(CoderSessionListItemSchema.strict().safeParse(item).error).toBeUndefined();
			expect(item).not.toHaveProperty('task');
			expect(item).not.toHaveProperty('metadata');
			expect(item).not.toHaveProperty('env');
			expect(item).not.toHaveProperty('envKeys');
		}

		const detail = await raw(hub, 'GET', `/api/hub/session/${id}`);
		expect(nullPaths(detail.body)).toEqual([]);
		expect(CoderSessionSchema.safeParse(detail.body).error).toBeUndefined();
		expect(detail.body).toMatchObject({
			task: create.task,
			metadata: create.metadata,
			env: { KEY: '' },
			participants: [],
		});
		expect(detail.body).not.toHaveProperty('envKeys');
		expect(JSON.stringify(detail.body)).not.toContain('"value"');
	});

	it('answers unknown sessions with the 404 error body', async () => {
		const hub = await hubForThisTest();
		for (const [method, path] of [
			['GET', '/api/hub/session/codesess_000000000000'],
			['PATCH', '/api/hub/session/codesess_000000000000'],
			['DELETE', '/api/hub/session/codesess_000000000000'],
			['POST', '/api/hub/session/codesess_000000000000/archive'],
			['POST', '/api/hub/session/codesess_000000000000/resume'],
			['GET', '/api/hub/session/codesess_000000000000/participants'],
		] as const) {
			const response = await raw(hub, method, path, method === 'PATCH' ? { body: {} } : {});
			expect(response.status, `${method} ${path}`).toBe(404);
			expect(response.body).toEqual({
				success: false,
				code: 'CODER_SESSION_NOT_FOUND',
				message: 'Session not found',
				error: 'Session codesess_000000000000 not found',
			});
		}
	});

	it('decodes encoded path ids', async () => {
		const hub = await hubForThisTest();
		const response = await raw(
			hub,
			'GET',
			`/api/hub/session/${encodeURIComponent('codesess_a/b')}`
		);
		expect(response.status).toBe(404);
		expect((response.body as { error: string }).error).toBe('Session codesess_a/b not found');
		expect((await raw(hub, 'GET', '/api/hub/session/%E0%A4%A')).status).toBe(400);
	});

	it('rejects invalid bodies and invalid JSON with 400 CODER_INVALID_REQUEST', async () => {
		const hub = await hubForThisTest();
		const cases = [
			{ text: '{not json' },
			{ body: { label: 'no task' } },
			{ body: { task: 1 } },
			{ body: { task: 't', visibility: 'org' } },
			{ body: { task: 't', env: { A: 1 } } },
			{ text: '' },
		];
		for (const options of cases) {
			const response = await raw(hub, 'POST', '/api/hub/session', options);
			expect(response.status, JSON.stringify(options)).toBe(400);
			expect(response.body).toMatchObject({
				success: false,
				code: 'CODER_INVALID_REQUEST',
				message: 'Invalid request',
			});
		}
		const created = await raw(hub, 'POST', '/api/hub/session', { body: { task: 't' } });
		const id = (created.body as { sessionId: string }).sessionId;
		const badPatch = await raw(hub, 'PATCH', `/api/hub/session/${id}`, {
			body: { metadata: { n: 1 } },
		});
		expect(badPatch.status).toBe(400);
		expect((badPatch.body as { error: string }).error).toContain('metadata.n');
		expect((await raw(hub, 'GET', '/api/hub/sessions?limit=-1')).status).toBe(400);
		expect((await raw(hub, 'GET', '/api/hub/sessions?includeArchived=yes')).status).toBe(400);
		// Nothing invalid was stored.
		expect((await raw(hub, 'GET', '/api/hub/sessions')).body).toMatchObject({ total: 1 });
	});

	it('refuses PATCH keys the REST reference does not document, such as task or loop', async () => {
		const hub = await hubForThisTest();
		const { body } = await raw(hub, 'POST', '/api/hub/session', { body: { task: 'original' } });
		const id = (body as { sessionId: string }).sessionId;
		for (const patch of [
			{ task: 'changed', label: 'L' },
			{ workflowMode: 'loop' },
			{ loop: { goal: 'g' }, label: 'L' },
		]) {
			const refused = await raw(hub, 'PATCH', `/api/hub/session/${id}`, { body: patch });
			expect(refused.status, JSON.stringify(patch)).toBe(400);
			expect(refused.body).toMatchObject({ code: 'CODER_INVALID_REQUEST' });
			expect((refused.body as { error: string }).error).toContain(
				'PATCH takes only the documented keys label, agent, defaultAgent, enabledAgents, visibility, tags, skills, metadata, savedSkillIds, skillBucketIds; not '
			);
		}
		expect((await raw(hub, 'GET', `/api/hub/session/${id}`)).body).toMatchObject({
			task: 'original',
			label: 'original',
			workflowMode: 'standard',
		});
	});

	it('ignores (lenient) PATCH keys the SDK cannot update, such as task', async () => {
		const hub = await hubForThisTest({ strict: false });
		const { body } = await raw(hub, 'POST', '/api/hub/session', { body: { task: 'original' } });
		const id = (body as { sessionId: string }).sessionId;
		const patched = await raw(hub, 'PATCH', `/api/hub/session/${id}`, {
			body: { task: 'changed', label: 'L' },
		});
		expect(patched.status).toBe(200);
		expect((await raw(hub, 'GET', `/api/hub/session/${id}`)).body).toMatchObject({
			task: 'original',
			label: 'L',
		});
		expect(hub.stats()['ignoredPatchKey:task']).toBe(1);
	});

	it('answers delete and archive with their documented bodies', async () => {
		const hub = await hubForThisTest();
		const { body } = await raw(hub, 'POST', '/api/hub/session', { body: { task: 't' } });
		const id = (body as { sessionId: string }).sessionId;
		expect((await raw(hub, 'POST', `/api/hub/session/${id}/archive`)).body).toEqual({
			sessionId: id,
			status: 'archived',
		});
		const resume = await raw(hub, 'POST', `/api/hub/session/${id}/resume`);
		expect(resume.status).toBe(409);
		expect(resume.body).toMatchObject({ code: 'CODER_SESSION_ARCHIVED' });
		const deleted = await raw(hub, 'DELETE', `/api/hub/session/${id}`);
		expect(deleted).toMatchObject({ status: 200, body: { sessionId: id, status: 'deleted' } });
	});

	it('answers unknown routes with JSON 404s and wrong methods with 405', async () => {
		const hub = await hubForThisTest();
		const unknown = await raw(hub, 'GET', '/api/hub/nothing-here');
		expect(unknown.status).toBe(404);
		expect(unknown.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
		expect((await raw(hub, 'GET', '/hub/sessions')).status).toBe(404);
		const wrong = await raw(hub, 'PUT', '/api/hub/sessions');
		expect(wrong.status).toBe(405);
		expect(wrong.headers.get('allow')).toBe('GET');
	});

	it('caps an explicit limit at maxPageSize and returns everything without one', async () => {
		const hub = await hubForThisTest({ maxPageSize: 2 });
		for (let index = 0; index < 3; index++)
			await raw(hub, 'POST', '/api/hub/session', { body: { task: `t${index}` } });
		const capped = (await raw(hub, 'GET', '/api/hub/sessions?limit=10')).body as {
			sessions: { websocket: unknown[] };
			total: number;
		};
		expect(capped.sessions.websocket).toHaveLength(2);
		expect(capped.total).toBe(3);
		const all = (await raw(hub, 'GET', '/api/hub/sessions')).body as {
			sessions: { websocket: unknown[] };
		};
		expect(all.sessions.websocket).toHaveLength(3);
	});

	it('orders by createdAt, then id, whatever order the clock gave', async () => {
		const times = [
			'2026-01-01T00:00:02.000Z',
			'2026-01-01T00:00:01.000Z',
			'2026-01-01T00:00:01.000Z',
		];
		let tick = 0;
		const hub = await hubForThisTest({
			now: () => new Date(times[Math.min(tick++, times.length - 1)]!),
		});
		for (let index = 0; index < 3; index++)
			await raw(hub, 'POST', '/api/hub/session', { body: { task: `t${index}` } });
		const list = (await raw(hub, 'GET', '/api/hub/sessions')).body as {
			sessions: { websocket: { sessionId: string; createdAt: string }[] };
		};
		const keys = list.sessions.websocket.map((item) => `${item.createdAt} ${item.sessionId}`);
		expect(keys).toEqual([...keys].sort());
		expect(keys[2]).toContain('00:00:02');
	});
});

describe('an oversized request body', () => {
	it('is refused without taking the Hub down', async () => {
		const hub = await hubForThisTest();
		const body = Buffer.alloc(12 * 1024 * 1024, 0x20);
		const status = await fetch(`${hub.url}/api/hub/session`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body,
		}).then(
			(response) => response.status,
			() => 'connection closed'
		);
		expect([413, 'connection closed']).toContain(status);
		const list = await fetch(`${hub.url}/api/hub/sessions`);
		expect(list.status).toBe(200);
	});
});

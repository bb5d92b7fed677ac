/**
 * A web page cannot write to the local Hub (issue 18, part 8): a cross-site POST with no
 * Content-Type and a foreign Origin used to create a session (201). Writes now need a JSON
 * content type and no foreign Origin, and every request a Host the Hub listens on (DNS
 * rebinding). The SDK's own requests pass, with a token or without.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { LocalHub } from '../../src/hub-emulator/index.js';
import { requestGuard } from '../../src/hub-emulator/request-guard.js';
import { HttpError } from '../../src/hub-emulator/errors.js';
import { client } from './support.js';
import { hubForTest } from '../support/local-hub.js';

interface Sent {
	readonly status: number;
	readonly body: { code?: string; error?: string; sessionId?: string } | undefined;
}

/** One request exactly as given: no header is added but Content-Length (and Host, unless given). */
function send(
	hub: LocalHub,
	method: string,
	path: string,
	headers: Record<string, string> = {},
	body?: string
): Promise<Sent> {
	return new Promise((resolve, reject) => {
		const request = httpRequest(
			{
				host: '127.0.0.1',
				port: hub.port,
				method,
				path,
				headers: {
					...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
					...headers,
				},
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
				response.on('end', () =>
					resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : undefined })
				);
			}
		);
		request.on('error', reject);
		request.end(body);
	});
}

const TASK = JSON.stringify({ task: 'planted by a web page' });
const sessionsOf = async (hub: LocalHub) =>
	(await client(hub).listSessions({ includeArchived: true })).sessions.length;

describe.concurrent('the local Hub and web pages', () => {
	it('refuses the cross-site create that used to get 201: no Content-Type, a foreign Origin', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);

		const sent = await send(
			hub,
			'POST',
			'/api/hub/session',
			{ origin: 'https://evil.example', 'x-agentuity-orgid': 'org_a' },
			TASK
		);

		expect(sent.status).toBe(403);
		expect(sent.body?.code).toBe('LOCAL_HUB_FORBIDDEN_ORIGIN');
		expect(await sessionsOf(hub)).toBe(0);
		expect(hub.stats().create ?? 0).toBe(0);
	});

	it('refuses writes without a JSON content type, whatever else they carry', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const { sessionId } = await client(hub).createSession({ task: 'kept' });
		const org = { 'x-agentuity-orgid': 'org_a' };

		const cases: [string, string, Record<string, string>, string | undefined][] = [
			['POST', '/api/hub/session', org, TASK],
			['POST', '/api/hub/session', { ...org, 'content-type': 'text/plain' }, TASK],
			['POST', '/api/hub/session', { ...org, 'content-type': 'multipart/form-data' }, TASK],
			['POST', `/api/hub/session/${sessionId}/archive`, org, undefined],
			['DELETE', `/api/hub/session/${sessionId}`, org, undefined],
			['PATCH', `/api/hub/session/${sessionId}`, org, JSON.stringify({ label: 'x' })],
			['POST', '/_local/stats/reset', {}, undefined],
			['POST', `/_local/sessions/${sessionId}/status`, org, '{"status":"archived"}'],
		];
		for (const [method, path, headers, body] of cases) {
			const sent = await send(hub, method, path, headers, body);
			expect(sent.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(415);
		}
		// Neither archived, deleted nor relabelled, and nothing created.
		const session = await client(hub).getSession(sessionId);
		expect(session.label).toBe('kept');
		const active = await client(hub).listSessions({ includeArchived: false });
		expect(active.sessions.map((listed) => listed.sessionId)).toEqual([sessionId]);
		expect(await sessionsOf(hub)).toBe(1);
	});

	it('refuses JSON writes from another origin, or from a cross-site page', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const json = { 'content-type': 'application/json', 'x-agentuity-orgid': 'org_a' };
		const port = hub.port;
		for (const origin of [
			'https://evil.example',
			'null',
			`http://localhost:${port + 1}`,
			`https://127.0.0.1:${port}`,
		]) {
			const sent = await send(hub, 'POST', '/api/hub/session', { ...json, origin }, TASK);
			expect(sent.status, origin).toBe(403);
		}
		const crossSite = { ...json, 'sec-fetch-site': 'cross-site' };
		expect((await send(hub, 'POST', '/api/hub/session', crossSite, TASK)).status).toBe(403);
		expect(await sessionsOf(hub)).toBe(0);

		// The Hub's own origin, as a page it served would send it, is no other origin.
		const own = { ...json, origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' };
		expect((await send(hub, 'POST', '/api/hub/session', own, TASK)).status).toBe(201);
	});

	it('refuses a Host that is not an address it listens on (DNS rebinding), reads too', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished);
		const json = { 'content-type': 'application/json', 'x-agentuity-orgid': 'org_a' };
		for (const host of [`rebind.evil.example:${hub.port}`, 'rebind.evil.example', '10.0.0.7']) {
			// After rebinding, the page's origin is its own name: same-origin, as far as it goes.
			const page = { ...json, host, origin: `http://${host}` };
			const write = await send(hub, 'POST', '/api/hub/session', page, TASK);
			expect(write.status, host).toBe(403);
			expect(write.body?.code).toBe('LOCAL_HUB_FORBIDDEN_HOST');
			expect((await send(hub, 'GET', '/api/hub/sessions', { host })).status, host).toBe(403);
			expect((await send(hub, 'GET', '/_local/stats', { host })).status, host).toBe(403);
		}
		expect(await sessionsOf(hub)).toBe(0);

		for (const host of [`127.0.0.1:${hub.port}`, `localhost:${hub.port}`, `[::1]:${hub.port}`]) {
			const sent = await send(hub, 'POST', '/api/hub/session', { ...json, host }, TASK);
			expect(sent.status, host).toBe(201);
		}
		expect(await sessionsOf(hub)).toBe(3);
	});

	it('serves the SDK as before, with a token too, and refuses a page that has none', async ({
		onTestFinished,
	}) => {
		const hub = await hubForTest(onTestFinished, { token: 'sekret' });
		const coder = client(hub, 'org_a', 'sekret');
		const { sessionId } = await coder.createSession({ task: 'from the SDK' });
		await coder.updateSession(sessionId, { label: 'updated' });
		await coder.archiveSession(sessionId);
		await coder.deleteSession(sessionId);
		expect(await coder.listSessions({ includeArchived: true })).toMatchObject({ total: 0 });

		const page = await send(
			hub,
			'POST',
			'/api/hub/session',
			{ origin: 'https://evil.example', authorization: 'Bearer sekret' },
			TASK
		);
		expect(page.status).toBe(403);
	});
});

describe('requestGuard: the addresses a Hub listens on', () => {
	const request = (headers: Record<string, string>, method = 'GET') =>
		({ method, headers }) as unknown as IncomingMessage;
	const refusal = (bound: string, host: string): number | undefined => {
		try {
			requestGuard(bound)(request({ host }));
			return undefined;
		} catch (error) {
			return (error as HttpError).status;
		}
	};

	it('bound to one address: loopback names and that address, any port', () => {
		expect(refusal('127.0.0.1', '127.0.0.1:4100')).toBeUndefined();
		expect(refusal('127.0.0.1', 'LOCALHOST:8080')).toBeUndefined();
		expect(refusal('127.0.0.1', '[::1]:4100')).toBeUndefined();
		expect(refusal('192.168.1.5', '192.168.1.5:4100')).toBeUndefined();
		expect(refusal('hub', 'hub:4100')).toBeUndefined();
		expect(refusal('::1', '[::1]')).toBeUndefined();
		expect(refusal('127.0.0.1', '192.168.1.5:4100')).toBe(403);
		expect(refusal('127.0.0.1', 'localhost.evil.example:4100')).toBe(403);
		expect(refusal('127.0.0.1', '')).toBe(403);
		expect(refusal('127.0.0.1', 'user@127.0.0.1')).toBe(403);
	});

	it('bound to every address: any IP literal too, never a name', () => {
		for (const bound of ['0.0.0.0', '::']) {
			expect(refusal(bound, '10.1.2.3:4100'), bound).toBeUndefined();
			expect(refusal(bound, '[fd00::5]:4100'), bound).toBeUndefined();
			expect(refusal(bound, 'localhost:4100'), bound).toBeUndefined();
			expect(refusal(bound, 'rebind.evil.example:4100'), bound).toBe(403);
		}
	});
});

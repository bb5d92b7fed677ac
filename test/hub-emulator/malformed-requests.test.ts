/**
 * One malformed request, however broken, gets a clear answer (or none, when the client hangs
 * up) and leaves no trace: every session still lists and reads through the real CoderClient,
 * before and after a restart.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LocalHub } from '../../src/hub-emulator/index.js';
import { client, raw, hubForThisTest, tempDir } from './support.js';

function nested(depth: number, open: string, close: string, inner = '1'): string {
	return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

/** A create whose metadata value nests `depth` levels (the body itself adds two). */
function deepCreate(depth: number, kind: 'object' | 'array' = 'object'): string {
	const value = kind === 'object' ? nested(depth, '{"a":', '}') : nested(depth, '[', ']');
	return `{"task":"deep","metadata":{"x":${value}}}`;
}

/** Lists every session and reads each one through the SDK; returns the ids. */
async function readEverything(hub: LocalHub): Promise<string[]> {
	const coder = client(hub);
	const list = await coder.listSessions({ includeArchived: true });
	for (const item of list.sessions) {
		expect((await coder.getSession(item.sessionId)).sessionId).toBe(item.sessionId);
	}
	return list.sessions.map((item) => item.sessionId);
}

async function stat(hub: LocalHub, key: string): Promise<number> {
	const response = await fetch(`${hub.url}/_local/stats`);
	return ((await response.json()) as Record<string, number>)[key] ?? 0;
}

/** Sends raw bytes on a fresh connection and returns the status line ('' if none came). */
function sendRaw(hub: LocalHub, bytes: string | Buffer): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect(hub.port, '127.0.0.1');
		let received = '';
		socket.setEncoding('latin1');
		socket.on('data', (chunk: string) => (received += chunk));
		socket.on('error', () => resolve(received.split('\r\n')[0] ?? ''));
		socket.on('close', () => resolve(received.split('\r\n')[0] ?? ''));
		socket.on('connect', () => socket.end(bytes));
		socket.setTimeout(20_000, () => {
			socket.destroy();
			reject(new Error('no answer within 20 s'));
		});
	});
}

/** Starts a create, sends part of its body, waits until the Hub is reading it, then hangs up. */
async function abandonBody(hub: LocalHub): Promise<string> {
	const before = await stat(hub, 'create');
	const socket = connect(hub.port, '127.0.0.1');
	await new Promise<void>((resolve) => socket.on('connect', resolve));
	socket.write(
		'POST /api/hub/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
			'x-agentuity-orgid: org_a\r\nContent-Length: 1000\r\n\r\n{"task":"never fin'
	);
	for (let attempt = 0; attempt < 400 && (await stat(hub, 'create')) === before; attempt++) {
		await new Promise((resolve) => setTimeout(resolve, 25));
	}
	expect(await stat(hub, 'create')).toBe(before + 1);
	socket.destroy();
	return '';
}

const create = (body: string, headers = 'Content-Type: application/json\r\n'): string =>
	`POST /api/hub/session HTTP/1.1\r\nHost: 127.0.0.1\r\nx-agentuity-orgid: org_a\r\n${headers}` +
	`Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;

interface Case {
	readonly name: string;
	readonly send: (hub: LocalHub, existing: string) => Promise<string>;
	/** The expected status line, or '' for no answer at all. */
	readonly answer: string;
}

const CASES: readonly Case[] = [
	{ name: 'bad JSON', send: (hub) => sendRaw(hub, create('{"task":')), answer: '400' },
	{
		name: 'JSON nested 20,000 deep (objects)',
		send: (hub) => sendRaw(hub, create(deepCreate(20_000))),
		answer: '400',
	},
	{
		name: 'JSON nested 20,000 deep (arrays)',
		send: (hub) => sendRaw(hub, create(deepCreate(20_000, 'array'))),
		answer: '400',
	},
	{
		name: 'JSON one level deeper than allowed',
		send: (hub) => sendRaw(hub, create(deepCreate(63))),
		answer: '400',
	},
	{
		name: 'a deep PATCH of an existing session',
		send: (hub, existing) =>
			sendRaw(
				hub,
				create(`{"metadata":{"k":${nested(20_000, '[', ']', '"v"')}}}`).replace(
					'POST /api/hub/session ',
					`PATCH /api/hub/session/${existing} `
				)
			),
		answer: '400',
	},
	{
		name: 'wrong content type',
		send: (hub) => sendRaw(hub, create('{"task":"t"}', 'Content-Type: text/plain\r\n')),
		answer: '415',
	},
	{
		name: 'a form body',
		send: (hub) =>
			sendRaw(hub, create('task=t', 'Content-Type: application/x-www-form-urlencoded\r\n')),
		answer: '415',
	},
	{
		name: 'invalid UTF-8',
		send: (hub) =>
			sendRaw(
				hub,
				Buffer.concat([
					Buffer.from(create('{"task":"XX"}').slice(0, -4), 'latin1'),
					Buffer.from([0xc3, 0x28]),
					Buffer.from('"}'),
				])
			),
		answer: '400',
	},
	{ name: 'a JSON array body', send: (hub) => sendRaw(hub, create('[]')), answer: '400' },
	{ name: 'a JSON null body', send: (hub) => sendRaw(hub, create('null')), answer: '400' },
	{
		name: 'a declared body over the size limit',
		send: (hub) =>
			sendRaw(
				hub,
				'POST /api/hub/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
					'Content-Length: 20000000\r\n\r\n{"task":'
			),
		answer: '413',
	},
	{
		name: 'huge headers',
		send: (hub) => sendRaw(hub, create('{"task":"t"}', `X-Filler: ${'x'.repeat(64 * 1024)}\r\n`)),
		answer: '431',
	},
	{ name: 'a slow body, then a disconnect', send: abandonBody, answer: '' },
];

describe('local Hub under malformed requests', () => {
	it('refuses a create nested 20,000 deep with a 400 error body, and stays readable', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		const hub = await hubForThisTest({ stateFile });
		const kept = await client(hub).createSession({ task: 'kept', metadata: { k: 'v' } });

		for (const kind of ['object', 'array'] as const) {
			const response = await raw(hub, 'POST', '/api/hub/session', {
				text: deepCreate(20_000, kind),
			});
			expect(response.status).toBe(400);
			expect(response.body).toEqual({
				success: false,
				code: 'CODER_INVALID_REQUEST',
				message: 'Invalid request',
				error: 'Invalid JSON body: nested deeper than 64 levels',
			});
		}
		expect(await readEverything(hub)).toEqual([kept.sessionId]);
		await hub.close();

		const restarted = await hubForThisTest({ stateFile });
		expect(await readEverything(restarted)).toEqual([kept.sessionId]);
	});

	it('accepts nesting up to the limit', async () => {
		const hub = await hubForThisTest();
		const { sessionId } = await client(hub).createSession({ task: 'keep' });
		const response = await raw(hub, 'POST', '/api/hub/session', { text: deepCreate(62) });
		expect(response.status).toBe(201);
		expect(await readEverything(hub)).toEqual([
			sessionId,
			(response.body as { sessionId: string }).sessionId,
		]);
	});

	it('answers each malformed request alone and keeps every session readable', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		const hub = await hubForThisTest({ stateFile });
		const coder = client(hub);
		const existing = await coder.createSession({ task: 'existing', metadata: { k: 'v' } });
		const before = await coder.getSession(existing.sessionId);
		for (const testCase of CASES) {
			const statusLine = await testCase.send(hub, existing.sessionId);
			if (testCase.answer === '') expect(statusLine, testCase.name).toBe('');
			else expect(statusLine, testCase.name).toMatch(new RegExp(`^HTTP/1\\.1 ${testCase.answer} `));
			expect(await readEverything(hub), testCase.name).toEqual([existing.sessionId]);
		}
		expect(await coder.getSession(existing.sessionId)).toEqual(before);
		// A good request still works on the same Hub.
		const after = await coder.createSession({ task: 'after' });
		await hub.close();

		const restarted = await hubForThisTest({ stateFile });
		expect(await readEverything(restarted)).toEqual([existing.sessionId, after.sessionId]);
	});
});

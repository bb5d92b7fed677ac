import { describe, expect, it } from 'vitest';
import { describeRequest, logHubCalls, withCallLog } from '../../src/hub/call-log.js';

describe('describeRequest', () => {
	it('names the method and path, and only paging values of the query', () => {
		expect(
			describeRequest(
				'http://127.0.0.1:4100/api/hub/sessions?includeArchived=true&limit=100&offset=0&search=tok-123'
			)
		).toBe('GET /api/hub/sessions?includeArchived=true&limit=100&offset=0&search=…');
		expect(
			describeRequest(new URL('https://hub.example/api/hub/session'), { method: 'post' })
		).toBe('POST /api/hub/session');
		expect(
			describeRequest(new Request('https://hub.example/x?apiKey=abc', { method: 'PATCH' }))
		).toBe('PATCH /x?apiKey=…');
	});
});

describe('withCallLog', () => {
	it('logs status and elapsed milliseconds, never the body or headers', async () => {
		const lines: string[] = [];
		let clock = 1000;
		const fetch = withCallLog(
			async () => {
				clock += 42;
				return new Response('{"env":{"T":"secret-body"}}', { status: 201 });
			},
			() => clock
		);
		await logHubCalls(
			(line) => lines.push(line),
			() =>
				fetch('http://127.0.0.1/api/hub/session', {
					method: 'POST',
					body: '{"env":{"T":"secret-body"}}',
					headers: { authorization: 'Bearer secret-key' },
				})
		);
		expect(lines).toEqual(['hub: POST /api/hub/session 201 42ms']);
	});

	it('logs a network failure and passes the error on', async () => {
		const lines: string[] = [];
		const refused = Object.assign(new TypeError('fetch failed'), {
			cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
		});
		const fetch = withCallLog(
			async () => {
				throw refused;
			},
			() => 0
		);
		await expect(
			logHubCalls(
				(line) => lines.push(line),
				() => fetch('http://127.0.0.1:9/api/hub/sessions')
			)
		).rejects.toBe(refused);
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^hub: GET \/api\/hub\/sessions failed \(.+\) 0ms$/);
	});

	it('logs each call chain to its own sink, side by side', async () => {
		const fetch = withCallLog(async () => new Response('ok'));
		const first: string[] = [];
		const second: string[] = [];
		await Promise.all([
			logHubCalls(
				(line) => first.push(line),
				() => fetch('http://127.0.0.1/a')
			),
			logHubCalls(
				(line) => second.push(line),
				() => fetch('http://127.0.0.1/b')
			),
		]);
		expect(first).toEqual([expect.stringMatching(/^hub: GET \/a 200 /)]);
		expect(second).toEqual([expect.stringMatching(/^hub: GET \/b 200 /)]);
	});

	it('logs nothing without a sink', async () => {
		const fetch = withCallLog(async () => new Response('ok'));
		await expect(fetch('http://127.0.0.1/x')).resolves.toBeInstanceOf(Response);
	});
});

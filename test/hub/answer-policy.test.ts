/** What the breaker accepts of an answer: its size, its redirects, an HTML page. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
	MAX_REDIRECTS,
	isHtmlPage,
	judgeRedirect,
	readCapped,
} from '../../src/hub/answer-policy.js';
import { CircuitBreaker } from '../../src/hub/breaker.js';
import { HubUnavailableError } from '../../src/hub/errors.js';

const HUB = 'http://127.0.0.1:4100';
const from = new URL(`${HUB}/api/hub/sessions?limit=100`);

function redirect(status: number, location: string): Response {
	return new Response(null, { status, headers: { location } });
}

describe('redirects', () => {
	it('follows a GET within the same origin, a few times at most', () => {
		expect(judgeRedirect(redirect(301, '/api/hub/sessions/'), from, 'GET', 0)).toEqual({
			follow: new URL(`${HUB}/api/hub/sessions/`),
		});
		const loop = judgeRedirect(redirect(302, '/api/hub/sessions'), from, 'GET', MAX_REDIRECTS);
		expect(loop).toEqual({
			refuse: `redirects GET /api/hub/sessions more than ${MAX_REDIRECTS} times (a redirect loop)`,
		});
	});

	it('never sends a write again, even within the same origin', () => {
		for (const status of [301, 302, 303, 307, 308]) {
			const verdict = judgeRedirect(redirect(status, '/elsewhere'), from, 'POST', 0);
			expect(verdict).toEqual({
				refuse: `redirects POST /api/hub/sessions to /elsewhere (HTTP ${status}); a write is not sent again elsewhere`,
			});
		}
	});

	it('refuses another origin, naming it without user, password, query or fragment', () => {
		const verdict = judgeRedirect(
			redirect(308, 'https://user:pw@hub.example:8443/api/hub/sessions?token=t#f'),
			from,
			'GET',
			0
		);
		expect('refuse' in verdict && verdict.refuse).toMatch(
			/^redirects to https:\/\/hub\.example:8443\/api\/hub\/sessions \(HTTP 308\); /
		);
		expect(JSON.stringify(verdict)).not.toMatch(/user|pw|token|#f/);
	});

	it('refuses a non-HTTP scheme by its scheme alone', () => {
		const verdict = judgeRedirect(redirect(302, 'javascript:alert(1)'), from, 'GET', 0);
		expect('refuse' in verdict && verdict.refuse).toMatch(
			/^redirects to a non-HTTP address \(javascript:\) \(HTTP 302\)/
		);
	});

	it('hands on every other answer, a 3xx without a Location too', () => {
		expect(judgeRedirect(new Response('{}', { status: 200 }), from, 'GET', 0)).toEqual({
			answer: true,
		});
		expect(judgeRedirect(new Response(null, { status: 304 }), from, 'GET', 0)).toEqual({
			answer: true,
		});
		expect(judgeRedirect(new Response(null, { status: 302 }), from, 'GET', 0)).toEqual({
			answer: true,
		});
	});
});

describe('the size of an answer', () => {
	it('reads a body up to the cap, and stops reading an endless one past it', async () => {
		expect(await readCapped(new Response('x'.repeat(100)), 100)).toHaveLength(100);
		let pulls = 0;
		let cancelled = false;
		const endless = new ReadableStream<Uint8Array>({
			// Bounded, so that a reader with no cap ends too: 100 chunks of 64 bytes.
			pull: (controller) => {
				pulls += 1;
				if (pulls > 100) controller.close();
				else controller.enqueue(new Uint8Array(64));
			},
			cancel: () => {
				cancelled = true;
			},
		});
		expect(await readCapped(new Response(endless), 1000)).toBeUndefined();
		expect(cancelled).toBe(true);
		expect(pulls).toBeLessThan(20);
	});

	it('refuses an announced length past the cap without reading a byte', async () => {
		let pulls = 0;
		const body = new ReadableStream<Uint8Array>({
			pull: (controller) => {
				pulls += 1;
				if (pulls > 2000) controller.close();
				else controller.enqueue(new Uint8Array(1));
			},
		});
		const response = new Response(body, { headers: { 'content-length': String(2 ** 31) } });
		expect(await readCapped(response, 1000)).toBeUndefined();
		expect(pulls).toBeLessThanOrEqual(1);
	});
});

describe('the breaker, with a hostile gateway', () => {
	function breakerOver(answer: (url: string, init?: RequestInit) => Response) {
		const calls: { url: string; redirect?: RequestInit['redirect'] }[] = [];
		const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
			const url = String(input);
			calls.push({ url, redirect: init?.redirect });
			return answer(url, init);
		}) as typeof globalThis.fetch;
		return { fetch: new CircuitBreaker({ probe: async () => undefined }).wrap(fetch), calls };
	}

	it('never lets fetch follow a redirect itself, and follows a same-origin GET', async () => {
		const hub = breakerOver((url) =>
			url.endsWith('/old') ? redirect(301, '/new') : new Response('{"ok":true}')
		);
		const response = await hub.fetch(`${HUB}/old`);
		expect(await response.json()).toEqual({ ok: true });
		expect(hub.calls).toEqual([
			{ url: `${HUB}/old`, redirect: 'manual' },
			{ url: `${HUB}/new`, redirect: 'manual' },
		]);
	});

	it('trips on a redirect to another origin: every later request fails without being sent', async () => {
		const hub = breakerOver(() => redirect(307, 'http://127.0.0.1:9999/api/hub/session'));
		const first = await hub.fetch(`${HUB}/api/hub/session`, { method: 'POST', body: '{}' }).then(
			() => undefined,
			(error: unknown) => error
		);
		expect(first).toBeInstanceOf(HubUnavailableError);
		expect((first as Error).message).toMatch(
			new RegExp(
				`^the Hub at ${HUB} redirects to http://127.0.0.1:9999/api/hub/session \\(HTTP 307\\)`
			)
		);
		// Something answered: what to do is about the proxy or the URL, not waiting for the Hub.
		expect((first as HubUnavailableError).answerRefused).toBe(true);
		await expect(hub.fetch(`${HUB}/api/hub/sessions`)).rejects.toBe(first);
		expect(hub.calls).toHaveLength(1);
	});

	it('trips on a compressed answer that unpacks past the cap', async () => {
		const bomb = gzipSync(Buffer.alloc(40 * 1024 * 1024));
		const hub = breakerOver(
			() =>
				new Response(new Blob([bomb]).stream().pipeThrough(new DecompressionStream('gzip')), {
					headers: { 'content-type': 'application/json', 'content-length': String(bomb.length) },
				})
		);
		// A message either way: a failing run prints this, never the 40 MiB body.
		const outcome = await hub.fetch(`${HUB}/api/hub/agents`).then(
			(response) => `answered HTTP ${response.status}`,
			(error: unknown) => (error as Error).message
		);
		expect(outcome).toBe(
			`the Hub at ${HUB} sent more than 32 MiB in answer to GET /api/hub/agents (the most one answer may hold)`
		);
	});

	it('trips on an HTML page in a 2xx answer, as an answer refused', async () => {
		const hub = breakerOver(
			() => new Response('<html>sign in</html>', { headers: { 'content-type': 'text/html' } })
		);
		const error = await hub
			.fetch(`${HUB}/api/hub/session/s1`, { method: 'PATCH', body: '{}' })
			.then(
				() => undefined,
				(error: unknown) => error
			);
		expect(error).toBeInstanceOf(HubUnavailableError);
		expect((error as HubUnavailableError).answerRefused).toBe(true);
		expect((error as Error).message).not.toContain('sign in');
	});

	it('takes an HTML page in a 2xx answer for a portal, not the Hub', async () => {
		expect(isHtmlPage(new Response('<html>', { headers: { 'content-type': 'text/html' } }))).toBe(
			true
		);
		expect(
			isHtmlPage(new Response('<html>', { status: 502, headers: { 'content-type': 'text/html' } }))
		).toBe(false);
		expect(
			isHtmlPage(new Response('{}', { headers: { 'content-type': 'application/json' } }))
		).toBe(false);
	});
});

/** The circuit breaker in front of fetch, with a scripted fetch, probe and clock. */
import { describe, expect, it } from 'vitest';
import {
	CircuitBreaker,
	RETRY_TRIPPED_AFTER_MS,
	SDK_UNAVAILABLE_WINDOW_MS,
} from '../../src/hub/breaker.js';
import { HubUnavailableError } from '../../src/hub/errors.js';

const HUB = 'http://127.0.0.1:4100';

/** What fetch does on each call: answer with a status, or fail like undici does. */
type Step = number | 'refused' | 'reset' | 'tls';

function networkError(code: string): TypeError {
	return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
}

function scripted(steps: Step[]) {
	let clock = 0;
	const probes: string[] = [];
	let probeAnswer: string | undefined;
	let calls = 0;
	const fetch = (async () => {
		calls += 1;
		const step = steps.shift() ?? 200;
		if (step === 'refused') throw networkError('ECONNREFUSED');
		if (step === 'reset') throw networkError('UND_ERR_SOCKET');
		if (step === 'tls') throw networkError('ERR_SSL_WRONG_VERSION_NUMBER');
		return new Response(null, { status: step });
	}) as typeof globalThis.fetch;
	const breaker = new CircuitBreaker({
		now: () => clock,
		probe: async (url) => {
			probes.push(url);
			return probeAnswer;
		},
	});
	return {
		fetch: breaker.wrap(fetch),
		breaker,
		probes,
		calls: () => calls,
		hubDown: (reason: string | undefined) => (probeAnswer = reason),
		advance: (ms: number) => (clock += ms),
	};
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a failure');
}

describe('the circuit breaker', () => {
	it('fails at once, naming the Hub, when a Hub that never answered cannot be reached', async () => {
		const hub = scripted(['refused']);
		const error = await failure(hub.fetch(`${HUB}/api/hub/sessions`));
		expect(error).toBeInstanceOf(HubUnavailableError);
		expect((error as Error).message).toBe(`cannot reach the Hub at ${HUB} (connection refused)`);
		// Every later request fails the same way without touching the network.
		expect(await failure(hub.fetch(`${HUB}/api/hub/sessions`))).toBe(error);
		expect(hub.calls()).toBe(1);
	});

	it('says an https URL names a plain HTTP Hub', async () => {
		const hub = scripted(['tls']);
		const error = await failure(hub.fetch('https://127.0.0.1:4100/api/hub/sessions'));
		expect((error as Error).message).toBe(
			'the Hub at https://127.0.0.1:4100 does not speak TLS: is it http://127.0.0.1:4100?'
		);
	});

	it('names a discovery endpoint as such', async () => {
		const hub = scripted(['refused']);
		hub.breaker.name(
			'http://127.0.0.1:9/',
			(reason) => `could not discover the Hub for region usc at http://127.0.0.1:9: ${reason}`
		);
		const error = await failure(hub.fetch('http://127.0.0.1:9/coder'));
		expect((error as Error).message).toBe(
			'could not discover the Hub for region usc at http://127.0.0.1:9: connection refused'
		);
	});

	it('trips when a Hub that answered before refuses connections, then throws without fetching', async () => {
		const hub = scripted([200, 'reset']);
		await hub.fetch(`${HUB}/api/hub/sessions`);
		hub.hubDown('connection refused');
		const error = await failure(hub.fetch(`${HUB}/api/hub/session`));
		expect((error as Error).message).toBe(
			`the Hub at ${HUB} stopped answering (connection refused)`
		);
		// An outage: nothing answered, so apply's advice is to wait for the Hub.
		expect((error as HubUnavailableError).answerRefused).toBe(false);
		expect(hub.probes).toEqual([`${HUB}/api/hub/session`]);
		const calls = hub.calls();
		for (let i = 0; i < 5; i += 1) expect(await failure(hub.fetch(`${HUB}/x`))).toBe(error);
		expect(hub.calls()).toBe(calls);
		expect(hub.probes).toHaveLength(1);
	});

	it('leaves a reset from a Hub that still accepts connections to the SDK to retry', async () => {
		const hub = scripted([200, 'reset', 201]);
		await hub.fetch(`${HUB}/api/hub/sessions`);
		const error = await failure(hub.fetch(`${HUB}/api/hub/session`));
		expect(error).toBeInstanceOf(TypeError);
		expect((await hub.fetch(`${HUB}/api/hub/session`)).status).toBe(201);
	});

	it('trips after 503s with no other answer for the SDK whole window', async () => {
		const hub = scripted([200, ...Array<Step>(20).fill(503)]);
		await hub.fetch(`${HUB}/a`);
		for (let i = 0; i < 5; i += 1) {
			if (i > 0) hub.advance(SDK_UNAVAILABLE_WINDOW_MS / 5);
			expect((await hub.fetch(`${HUB}/a`)).status).toBe(503);
		}
		// The 503 that ends the window is not handed on: the SDK would give up with it as an
		// HTTP 503 of one request, and nothing would say the Hub stopped answering.
		hub.advance(SDK_UNAVAILABLE_WINDOW_MS / 5);
		const stopped = `the Hub at ${HUB} stopped answering (HTTP 503 for 30 s, no other answer)`;
		expect(((await failure(hub.fetch(`${HUB}/a`))) as Error).message).toBe(stopped);
		const calls = hub.calls();
		const error = await failure(hub.fetch(`${HUB}/a`));
		expect((error as Error).message).toBe(stopped);
		expect(hub.calls()).toBe(calls);
	});

	it('does not trip on 503s and 429s interleaved with successes', async () => {
		const steps: Step[] = [];
		for (let i = 0; i < 40; i += 1) steps.push(503, 503, 429, 200);
		const hub = scripted(steps);
		for (let i = 0; i < 160; i += 1) {
			await hub.fetch(`${HUB}/a`);
			hub.advance(1000);
		}
		expect(hub.calls()).toBe(160);
	});

	it('after a pause, lets one request through to see whether the Hub is back', async () => {
		const hub = scripted([200, 'reset', 'refused', 200]);
		await hub.fetch(`${HUB}/a`);
		hub.hubDown('connection refused');
		const error = await failure(hub.fetch(`${HUB}/a`));
		expect(await failure(hub.fetch(`${HUB}/a`))).toBe(error);
		expect(hub.calls()).toBe(2);
		hub.advance(RETRY_TRIPPED_AFTER_MS);
		// Still down: the trial fails, and the breaker stays open for another pause.
		expect(await failure(hub.fetch(`${HUB}/a`))).toBe(error);
		expect(await failure(hub.fetch(`${HUB}/a`))).toBe(error);
		expect(hub.calls()).toBe(3);
		hub.advance(RETRY_TRIPPED_AFTER_MS);
		expect((await hub.fetch(`${HUB}/a`)).status).toBe(200);
		expect((await hub.fetch(`${HUB}/a`)).status).toBe(200);
	});

	it('keeps origins apart', async () => {
		const hub = scripted(['refused', 200]);
		await failure(hub.fetch(`${HUB}/a`));
		expect((await hub.fetch('http://127.0.0.1:4200/a')).status).toBe(200);
	});
});

describe('request deadlines', () => {
	/** A fetch that answers nothing until its request is aborted (a Hub that went silent). */
	function silent() {
		const sent: string[] = [];
		const fetch = ((input: string, init?: RequestInit) => {
			sent.push(input);
			return new Promise<Response>((_, reject) => {
				init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
			});
		}) as unknown as typeof globalThis.fetch;
		return { fetch, sent };
	}

	it('a request past its deadline trips the Hub, and its other requests in flight end with it', async () => {
		const { fetch, sent } = silent();
		let clock = 0;
		// The first request's deadline is short; the second would wait for weeks on its own.
		const deadlines = [100, 2 ** 31 - 1];
		const breaker = new CircuitBreaker({ now: () => clock, timeoutMs: () => deadlines.shift()! });
		const guarded = breaker.wrap(fetch);
		const first = failure(guarded(`${HUB}/api/hub/sessions`));
		clock += 5;
		const second = failure(guarded(`${HUB}/api/hub/session/a`));
		expect(breaker.oldestWaiting()).toEqual({ origin: HUB, sinceMs: 5, timeoutMs: 100 });
		clock += 5;

		const bound = new Promise((resolve) =>
			setTimeout(() => resolve('still waiting'), 30_000).unref()
		);
		const [one, two] = await Promise.all([first, Promise.race([second, bound])]);
		expect(one).toBeInstanceOf(HubUnavailableError);
		expect((one as Error).message).toBe(
			`the Hub at ${HUB} stopped answering (no answer within 0.1 s)`
		);
		expect(two).toBe(one);
		expect(breaker.oldestWaiting()).toBeUndefined();
		// Tripped: the next request fails at once, without being sent.
		expect(await failure(guarded(`${HUB}/api/hub/sessions`))).toBe(one);
		expect(sent).toHaveLength(2);
	});

	it('a Hub that answers in time is never cut off, and its body is read within the deadline', async () => {
		const breaker = new CircuitBreaker({ timeoutMs: () => 1000 });
		const fetch = (async () =>
			new Response(JSON.stringify({ ok: true }), {
				status: 200,
				headers: { 'content-type': 'application/json' },
			})) as typeof globalThis.fetch;
		const response = await breaker.wrap(fetch)(`${HUB}/api/hub/sessions`);
		expect(await response.json()).toEqual({ ok: true });
		const empty = await breaker.wrap(
			(async () => new Response(null, { status: 204 })) as typeof globalThis.fetch
		)(`${HUB}/api/hub/session/a`, { method: 'DELETE' });
		expect(empty.status).toBe(204);
	});

	it("a caller's own abort is the caller's, not a silent Hub", async () => {
		const { fetch } = silent();
		const breaker = new CircuitBreaker({ timeoutMs: () => 60_000 });
		const controller = new AbortController();
		const request = failure(
			breaker.wrap(fetch)(`${HUB}/api/hub/sessions`, { signal: controller.signal })
		);
		controller.abort();
		expect(((await request) as Error).name).toBe('AbortError');
		expect(breaker.oldestWaiting()).toBeUndefined();
	});
});

describe('the circuit breaker, once tripped', () => {
	async function tripped(steps: Step[]) {
		const hub = scripted([200, 'reset', ...steps]);
		await hub.fetch(`${HUB}/a`);
		hub.hubDown('connection refused');
		const error = await failure(hub.fetch(`${HUB}/a`));
		hub.advance(RETRY_TRIPPED_AFTER_MS);
		return { hub, error };
	}

	it('stays open when the trial request gets a 502 or 503 from a gateway in front of the Hub', async () => {
		for (const status of [502, 503]) {
			const { hub, error } = await tripped([status, 200]);
			expect(await failure(hub.fetch(`${HUB}/a`))).toBe(error);
			// The next trial waits for another pause.
			expect(await failure(hub.fetch(`${HUB}/a`))).toBe(error);
			hub.advance(RETRY_TRIPPED_AFTER_MS);
			expect((await hub.fetch(`${HUB}/a`)).status).toBe(200);
		}
	});

	it('lets one trial request through at a time: the others fail at once', async () => {
		let release: (response: Response) => void = () => undefined;
		const held = new Promise<Response>((resolve) => (release = resolve));
		const steps: Array<Step | 'held'> = [200, 'reset', 'held'];
		let clock = 0;
		let calls = 0;
		const fetch = (async () => {
			calls += 1;
			const step = steps.shift() ?? 200;
			if (step === 'held') return held;
			if (step === 'reset') throw networkError('UND_ERR_SOCKET');
			return new Response(null, { status: step as number });
		}) as typeof globalThis.fetch;
		const breaker = new CircuitBreaker({
			now: () => clock,
			probe: async () => 'connection refused',
		});
		const guarded = breaker.wrap(fetch);
		await guarded(`${HUB}/a`);
		const error = await failure(guarded(`${HUB}/a`));
		clock += RETRY_TRIPPED_AFTER_MS;
		const trial = guarded(`${HUB}/a`);
		expect(await failure(guarded(`${HUB}/b`))).toBe(error);
		expect(calls).toBe(3);
		release(new Response(null, { status: 200 }));
		expect((await trial).status).toBe(200);
	});

	it("a caller's own abort of the trial request is the caller's", async () => {
		const steps: Step[] = [200, 'reset'];
		let clock = 0;
		const fetch = ((_input: string, init?: RequestInit) => {
			const step = steps.shift();
			if (step === 'reset') return Promise.reject(networkError('UND_ERR_SOCKET'));
			if (step !== undefined)
				return Promise.resolve(new Response(null, { status: step as number }));
			return new Promise<Response>((_, reject) =>
				init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))
			);
		}) as unknown as typeof globalThis.fetch;
		const breaker = new CircuitBreaker({
			now: () => clock,
			probe: async () => 'connection refused',
			timeoutMs: () => 60_000,
		});
		const guarded = breaker.wrap(fetch);
		await guarded(`${HUB}/a`);
		await failure(guarded(`${HUB}/a`));
		clock += RETRY_TRIPPED_AFTER_MS;
		const controller = new AbortController();
		const trial = failure(guarded(`${HUB}/a`, { signal: controller.signal }));
		controller.abort();
		expect(((await trial) as Error).name).toBe('AbortError');
	});
});

describe('the circuit breaker, before it trips', () => {
	it('trips after 502s from a gateway with no other answer for the SDK whole window', async () => {
		const hub = scripted([200, ...Array<Step>(20).fill(502)]);
		await hub.fetch(`${HUB}/a`);
		for (let i = 0; i < 5; i += 1) {
			if (i > 0) hub.advance(SDK_UNAVAILABLE_WINDOW_MS / 5);
			expect((await hub.fetch(`${HUB}/a`)).status).toBe(502);
		}
		hub.advance(SDK_UNAVAILABLE_WINDOW_MS / 5);
		expect(((await failure(hub.fetch(`${HUB}/a`))) as Error).message).toBe(
			`the Hub at ${HUB} stopped answering (HTTP 502 for 30 s, no other answer)`
		);
	});

	it('checks the connection again on each later reset: a Hub that went down since trips', async () => {
		const hub = scripted([200, 'reset', 200, 'reset']);
		await hub.fetch(`${HUB}/a`);
		expect(await failure(hub.fetch(`${HUB}/a`))).toBeInstanceOf(TypeError);
		await hub.fetch(`${HUB}/a`);
		hub.hubDown('connection refused');
		expect(((await failure(hub.fetch(`${HUB}/a`))) as Error).message).toBe(
			`the Hub at ${HUB} stopped answering (connection refused)`
		);
		expect(hub.probes).toHaveLength(2);
	});
});

describe('request deadlines, and what waits', () => {
	it('names the request that has waited longest, of every Hub, and for how long', async () => {
		let clock = 1_000;
		const pending: Array<() => void> = [];
		const fetch = (() =>
			new Promise<Response>((resolve) =>
				pending.push(() => resolve(new Response(null, { status: 200 })))
			)) as unknown as typeof globalThis.fetch;
		const breaker = new CircuitBreaker({ now: () => clock, timeoutMs: () => 60_000 });
		const guarded = breaker.wrap(fetch);
		const other = 'http://127.0.0.1:4200';
		// The first Hub is known first, but its request in flight is the younger one.
		const first = guarded(`${HUB}/a`);
		pending.shift()!();
		await first;
		clock += 10;
		const older = guarded(`${other}/a`);
		clock += 10;
		const younger = guarded(`${HUB}/b`);
		clock += 5;
		expect(breaker.oldestWaiting()).toEqual({ origin: other, sinceMs: 15, timeoutMs: 60_000 });
		for (const answer of pending.splice(0)) answer();
		await Promise.all([older, younger]);
		expect(breaker.oldestWaiting()).toBeUndefined();
	});

	it('reads a body within the deadline: a Hub that stalls after the headers trips it', async () => {
		// Like undici, an abort of the request ends its body too.
		const stalled = (async (_input: string, init?: RequestInit) =>
			new Response(
				new ReadableStream({
					start: (body) =>
						init?.signal?.addEventListener('abort', () => body.error(init.signal!.reason)),
				}),
				{
					status: 200,
					headers: { 'content-type': 'application/json' },
				}
			)) as unknown as typeof globalThis.fetch;
		const breaker = new CircuitBreaker({ timeoutMs: () => 100 });
		const error = await failure(breaker.wrap(stalled)(`${HUB}/api/hub/sessions`));
		expect((error as Error).message).toBe(
			`the Hub at ${HUB} stopped answering (answer unfinished after 0.1 s)`
		);
	});

	it('hands an event stream over at once: its body never ends', async () => {
		const stream = (async () =>
			new Response(new ReadableStream({ start: () => undefined }), {
				status: 200,
				headers: { 'content-type': 'text/event-stream' },
			})) as typeof globalThis.fetch;
		const breaker = new CircuitBreaker({ timeoutMs: () => 60_000 });
		const bound = new Promise((resolve) =>
			setTimeout(() => resolve('still reading'), 30_000).unref()
		);
		const response = await Promise.race([breaker.wrap(stream)(`${HUB}/api/hub/events`), bound]);
		expect(response).toBeInstanceOf(Response);
		expect((response as Response).headers.get('content-type')).toBe('text/event-stream');
	});
});

/** Auth, org isolation, stats, and each fault flag doing what it says (raw fetch: no SDK retries). */
import { describe, expect, it, vi } from 'vitest';
import { seededRandom } from '../support/seeded-random.js';
import { client, raw, hubForThisTest } from './support.js';

interface HeldSleep {
	readonly ms: number;
	readonly release: () => void;
}

/**
 * The Hub's injected latency is a `node:timers/promises` sleep. Once a test asks for the next
 * one, that sleep is held until the test releases it, so the test sees a request being held
 * without measuring time.
 */
const latency = vi.hoisted(() => {
	let waiting: ((sleep: HeldSleep) => void) | undefined;
	return {
		next: () => new Promise<HeldSleep>((resolve) => (waiting = resolve)),
		take: () => {
			const notify = waiting;
			waiting = undefined;
			return notify;
		},
	};
});

vi.mock('node:timers/promises', async (importOriginal) => {
	const real = await importOriginal<typeof import('node:timers/promises')>();
	const setTimeout = <T>(
		ms?: number,
		value?: T,
		options?: Parameters<typeof real.setTimeout>[2]
	) => {
		const notify = latency.take();
		if (!notify) return real.setTimeout(ms, value, options);
		return new Promise<T>((resolve) => notify({ ms: ms ?? 0, release: () => resolve(value as T) }));
	};
	return { ...real, setTimeout, default: { ...real, setTimeout } };
});

/** Token buckets refill from performance.now(): frozen, a bucket holds exactly its capacity. */
function freezeClock(onTestFinished: (fn: () => void) => void): void {
	const spy = vi.spyOn(performance, 'now').mockReturnValue(1_000);
	onTestFinished(() => spy.mockRestore());
}

const createBody = { body: { task: 't' } };

describe('local Hub auth and orgs', () => {
	it('requires the token when one is set', async () => {
		const hub = await hubForThisTest({ token: 'sekret' });
		const denied = await raw(hub, 'GET', '/api/hub/sessions');
		expect(denied.status).toBe(401);
		expect(denied.body).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
		expect(
			(await raw(hub, 'GET', '/api/hub/sessions', { headers: { authorization: 'Bearer wrong' } }))
				.status
		).toBe(401);
		expect((await raw(hub, 'GET', '/_local/stats')).status).toBe(401);
		expect(
			(await raw(hub, 'GET', '/api/hub/sessions', { headers: { authorization: 'Bearer sekret' } }))
				.status
		).toBe(200);
		expect(
			(
				await raw(hub, 'GET', '/api/hub/sessions', {
					headers: { 'x-agentuity-auth-api-key': 'sekret' },
				})
			).status
		).toBe(200);
		await expect(
			client(hub, 'org_a', 'sekret').createSession({ task: 't' })
		).resolves.toMatchObject({ status: 'creating' });
		await expect(client(hub, 'org_a', 'nope').listSessions()).rejects.toMatchObject({
			status: 401,
		});
	});

	it('keeps orgs apart', async () => {
		const hub = await hubForThisTest();
		const a = client(hub, 'org_a');
		const b = client(hub, 'org_b');
		const { sessionId } = await a.createSession({ task: 'a only' });
		await b.createSession({ task: 'b only' });
		expect((await a.listSessions()).total).toBe(1);
		expect((await b.listSessions()).total).toBe(1);
		await expect(b.getSession(sessionId)).rejects.toMatchObject({ status: 404 });
		await expect(b.deleteSession(sessionId)).rejects.toMatchObject({ status: 404 });
		await expect(b.archiveSession(sessionId)).rejects.toMatchObject({ status: 404 });
		expect((await a.getSession(sessionId)).task).toBe('a only');

		// No header: the default org; ?orgId= also selects an org.
		const none = await raw(hub, 'GET', '/api/hub/sessions', {
			headers: { 'x-agentuity-orgid': '' },
		});
		expect(none.body).toMatchObject({ total: 0 });
		const byQuery = await raw(hub, 'GET', `/api/hub/session/${sessionId}?orgId=org_a`, {
			headers: { 'x-agentuity-orgid': '' },
		});
		expect(byQuery.status).toBe(200);
	});
});

describe('local Hub stats', () => {
	it('counts requests by route, faults separately, and resets', async ({ onTestFinished }) => {
		freezeClock(onTestFinished);
		const hub = await hubForThisTest({ rateLimitPerSec: 3 });
		const { body } = await raw(hub, 'POST', '/api/hub/session', createBody);
		const id = (body as { sessionId: string }).sessionId;
		await raw(hub, 'GET', `/api/hub/session/${id}`);
		await raw(hub, 'GET', '/api/hub/sessions');
		const limited = await raw(hub, 'GET', '/api/hub/sessions');
		expect(limited.status).toBe(429);
		const stats = await raw(hub, 'GET', '/_local/stats');
		expect(stats.body).toEqual({ create: 1, get: 1, list: 2, total: 4, 'fault:429': 1 });
		expect(hub.stats()).toEqual(stats.body);
		expect((await raw(hub, 'POST', '/_local/stats/reset')).status).toBe(200);
		expect(hub.stats()).toEqual({});
	});
});

describe('local Hub fault injection', () => {
	it('adds latency to every /api request', async () => {
		const hub = await hubForThisTest({ latencyMs: 150 });
		const held = latency.next();
		let answered = false;
		const response = raw(hub, 'GET', '/api/hub/sessions').then((result) => {
			answered = true;
			return result;
		});
		const sleep = await Promise.race([
			held,
			response.then(() => {
				throw new Error('answered without waiting the latency');
			}),
		]);
		expect(sleep.ms).toBe(150);
		// Held: counted on arrival, unanswered; /_local routes are not delayed meanwhile.
		const stats = await raw(hub, 'GET', '/_local/stats');
		expect(stats.body).toEqual({ list: 1, total: 1, 'fault:latency': 1 });
		expect(answered).toBe(false);
		sleep.release();
		expect((await response).status).toBe(200);
		expect(hub.stats()['fault:latency']).toBe(1);
	});

	it('answers 503 at failRate 1 without writing anything, but never on /_local', async () => {
		const hub = await hubForThisTest({ failRate: 1 });
		const response = await raw(hub, 'POST', '/api/hub/session', createBody);
		expect(response.status).toBe(503);
		expect(response.body).toMatchObject({ success: false, code: 'SERVICE_UNAVAILABLE' });
		const health = await raw(hub, 'GET', '/_local/health');
		expect(health).toMatchObject({ status: 200, body: { sessions: 0 } });
		expect(hub.stats()).toMatchObject({ create: 1, total: 1, 'fault:503': 1 });
	});

	it('lets the SDK retry through a seeded 503', async () => {
		// Seed 8: the first draw fails the request, the next passes.
		const hub = await hubForThisTest({ failRate: 0.5, random: seededRandom(8) });
		await expect(client(hub).createSession({ task: 't' })).resolves.toMatchObject({
			status: 'creating',
		});
		expect(hub.stats()).toMatchObject({ create: 2, 'fault:503': 1 });
	});

	it('rate-limits with 429 and Retry-After', async ({ onTestFinished }) => {
		freezeClock(onTestFinished);
		const hub = await hubForThisTest({ rateLimitPerSec: 2 });
		const statuses: number[] = [];
		let retryAfter: string | null = null;
		for (let index = 0; index < 5; index++) {
			const response = await raw(hub, 'GET', '/api/hub/sessions');
			statuses.push(response.status);
			if (response.status === 429) retryAfter ??= response.headers.get('retry-after');
		}
		expect(statuses).toEqual([200, 200, 429, 429, 429]);
		expect(retryAfter).toBe('1');
		expect((await raw(hub, 'GET', '/_local/stats')).status).toBe(200);
	});

	it('commits a create, then drops the connection unanswered', async () => {
		const hub = await hubForThisTest({ resetAfterCommitRate: 1 });
		await expect(
			fetch(`${hub.url}/api/hub/session`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-agentuity-orgid': 'org_a' },
				body: JSON.stringify({ task: 'ghost' }),
			})
		).rejects.toThrow();
		const list = await raw(hub, 'GET', '/api/hub/sessions');
		expect(list.body).toMatchObject({ total: 1 });
		expect(hub.stats()['fault:reset']).toBe(1);
	});

	it('produces the duplicate create the SDK retry causes', async () => {
		// Seed 1: the first create is reset after commit, the SDK re-sends, the second is answered.
		const hub = await hubForThisTest({ resetAfterCommitRate: 0.5, random: seededRandom(1) });
		const coder = client(hub);
		const created = await coder.createSession({ task: 'once, I thought' });
		const list = await coder.listSessions();
		expect(list.total).toBe(2);
		expect(list.sessions.map((session) => session.sessionId)).toContain(created.sessionId);
		expect(hub.stats()).toMatchObject({ create: 2, 'fault:reset': 1 });
	});
});

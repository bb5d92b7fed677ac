/** Each Hub's request deadline travels with its calls, even with several Hubs in one process. */
import { describe, expect, it } from 'vitest';
import {
	DEFAULT_REQUEST_TIMEOUT_MS,
	requestTimeout,
	withDeadlines,
} from '../../src/hub-client/deadline.js';

/** Stands in for the SDK client: its method sends a "request" after some awaits. */
class FakeClient {
	readonly #name: string;
	constructor(name: string) {
		this.#name = name;
	}
	async read(): Promise<string> {
		await new Promise((resolve) => setTimeout(resolve, 5));
		await Promise.resolve();
		return `${this.#name}:${requestTimeout()}`;
	}
}

describe('request deadlines per Hub', () => {
	it("a call's requests get its own Hub's deadline, concurrently with another Hub's", async () => {
		const slow = withDeadlines(new FakeClient('slow'), 120_000);
		const quick = withDeadlines(new FakeClient('quick'), 2_000);
		expect(await Promise.all([slow.read(), quick.read(), slow.read()])).toEqual([
			'slow:120000',
			'quick:2000',
			'slow:120000',
		]);
	});

	it('outside any Hub call, a request has the default deadline', () => {
		expect(requestTimeout()).toBe(DEFAULT_REQUEST_TIMEOUT_MS);
		expect(DEFAULT_REQUEST_TIMEOUT_MS).toBe(30_000);
	});
});

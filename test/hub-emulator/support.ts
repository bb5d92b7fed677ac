import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoderClient } from '@agentuity/core/coder';
import { afterEach } from 'vitest';
import type { LocalHub, LocalHubOptions } from '../../src/hub-emulator/index.js';
import { startTestHub, type TestHub } from '../support/local-hub.js';

const running: TestHub[] = [];
const directories: string[] = [];

/** Hubs and temp directories made in a test are closed and removed after it. */
afterEach(async () => {
	await Promise.all(running.splice(0).map((hub) => hub.close()));
	await Promise.all(directories.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A test Hub (see startTestHub) that is closed after the test. */
export async function hubForThisTest(options: LocalHubOptions = {}): Promise<TestHub> {
	const hub = await startTestHub(options);
	running.push(hub);
	return hub;
}

export async function tempDir(): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'local-hub-'));
	directories.push(dir);
	return dir;
}

export function client(hub: LocalHub, orgId = 'org_a', apiKey = 'test'): CoderClient {
	return new CoderClient({ url: hub.url, apiKey, orgId });
}

export interface RawResponse {
	readonly status: number;
	readonly headers: Headers;
	readonly body: unknown;
}

/** A plain fetch (no SDK retries), JSON in and out. */
export async function raw(
	hub: LocalHub,
	method: string,
	path: string,
	options: { body?: unknown; text?: string; headers?: Record<string, string>; org?: string } = {}
): Promise<RawResponse> {
	const headers: Record<string, string> = {
		'content-type': 'application/json',
		'x-agentuity-orgid': options.org ?? 'org_a',
		...options.headers,
	};
	const response = await fetch(`${hub.url}${path}`, {
		method,
		headers,
		body: options.text ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
	});
	const text = await response.text();
	return {
		status: response.status,
		headers: response.headers,
		body: text === '' ? undefined : JSON.parse(text),
	};
}

/** Every path in `value` whose value is null. */
export function nullPaths(value: unknown, path = '$'): string[] {
	if (value === null) return [path];
	if (Array.isArray(value))
		return value.flatMap((item, index) => nullPaths(item, `${path}[${index}]`));
	if (typeof value === 'object' && value !== undefined) {
		return Object.entries(value).flatMap(([key, item]) => nullPaths(item, `${path}.${key}`));
	}
	return [];
}

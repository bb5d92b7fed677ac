/**
 * The state lock names its owner by nonce, pid, start time, boot and host, so a lock left by a
 * killed process is taken over even when its pid now belongs to us (a container's pid 1) or to
 * an unrelated live process; a running Hub's lock is refused; racing starters never both win.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalHub, type LocalHub } from '../../src/hub-emulator/index.js';
import { processStartTicks } from '../../src/hub-emulator/lock-owner.js';
import { startHubProcess, type HubProcess } from '../support/hub-process.js';
import { client, hubForThisTest, tempDir } from './support.js';

const onLinux = process.platform === 'linux';
const children: ChildProcess[] = [];
const hubProcesses: HubProcess[] = [];

afterEach(async () => {
	for (const child of children.splice(0)) child.kill('SIGKILL');
	await Promise.all(hubProcesses.splice(0).map((hub) => hub.stop()));
});

function bootId(): string | undefined {
	try {
		return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
	} catch {
		return undefined;
	}
}

/** A lock as a Hub on this machine writes it, for `pid`, with the given nonce and start time. */
function lockOf(pid: number, nonce: string, startTicks: string | undefined): string {
	const id = bootId();
	return `${JSON.stringify({
		pid,
		nonce,
		host: hostname(),
		...(id ? { bootId: id } : {}),
		...(startTicks ? { startTicks } : {}),
		since: '2026-01-01T00:00:00.000Z',
	})}\n`;
}

async function lockHolder(stateFile: string): Promise<Record<string, unknown>> {
	return JSON.parse(await readFile(`${stateFile}.lock`, 'utf8')) as Record<string, unknown>;
}

/** A live process that is certainly no Hub. */
async function sleeper(): Promise<number> {
	const child = spawn('sleep', ['60'], { stdio: 'ignore' });
	children.push(child);
	await new Promise<void>((resolve, reject) => {
		child.once('spawn', resolve);
		child.once('error', reject);
	});
	return child.pid!;
}

/** Starts Hubs on one state file at once; returns the started ones and the refusals. */
async function race(stateFile: string, count: number) {
	const results = await Promise.allSettled(
		Array.from({ length: count }, () => startLocalHub({ stateFile, onWarning: () => {} }))
	);
	const started = results.flatMap((result) =>
		result.status === 'fulfilled' ? [result.value] : []
	);
	const refused = results.flatMap((result) =>
		result.status === 'rejected' ? [String((result.reason as Error).message)] : []
	);
	return { started, refused };
}

describe('local Hub state lock take-over', () => {
	it('takes over a lock naming our own pid that this process does not hold', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		// Exactly what a previous Hub with our pid would have written, down to the start time.
		await writeFile(
			`${stateFile}.lock`,
			lockOf(process.pid, 'f'.repeat(32), processStartTicks(process.pid))
		);
		const hub = await hubForThisTest({ stateFile });
		const holder = await lockHolder(stateFile);
		expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
		expect(holder.nonce).toMatch(/^[0-9a-f]{32}$/);
		expect(holder.nonce).not.toBe('f'.repeat(32));
		await client(hub).createSession({ task: 'works' });
		await hub.close();

		// The bare-pid lock of earlier versions, naming our pid, too.
		await writeFile(`${stateFile}.lock`, `${process.pid}\n`);
		await (await hubForThisTest({ stateFile })).close();
	});

	it.runIf(onLinux)(
		'takes over a lock naming a live process that started at another time',
		async () => {
			const stateFile = join(await tempDir(), 'state.json');
			const pid = await sleeper();
			expect(processStartTicks(pid)).toBeDefined();
			await writeFile(`${stateFile}.lock`, lockOf(pid, 'a'.repeat(32), '1'));
			await (await hubForThisTest({ stateFile })).close();

			// An earlier version's bare pid, written before that process started.
			await writeFile(`${stateFile}.lock`, `${pid}\n`);
			const anHourAgo = new Date(Date.now() - 3_600_000);
			await utimes(`${stateFile}.lock`, anHourAgo, anHourAgo);
			const hub = await hubForThisTest({ stateFile });
			expect(await lockHolder(stateFile)).toMatchObject({ pid: process.pid });
			await hub.close();
		}
	);

	it.runIf(onLinux)('refuses a lock whose live owner matches its start time', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		const pid = await sleeper();
		const lock = lockOf(pid, 'b'.repeat(32), processStartTicks(pid));
		await writeFile(`${stateFile}.lock`, lock);
		await expect(startLocalHub({ stateFile, onWarning: () => {} })).rejects.toThrow(
			`is in use by another local Hub (process ${pid})`
		);
		expect(await readFile(`${stateFile}.lock`, 'utf8')).toBe(lock);
	});

	it('takes over an empty or garbled lock, as a crash mid-write leaves it', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		for (const garbled of ['', '{"pid":', 'not a lock']) {
			await writeFile(`${stateFile}.lock`, garbled);
			const hub = await hubForThisTest({ stateFile });
			// The lock now names this Hub, and the Hub serves.
			const holder = await lockHolder(stateFile);
			expect(holder, JSON.stringify(garbled)).toMatchObject({ pid: process.pid, host: hostname() });
			expect(holder.nonce).toMatch(/^[0-9a-f]{32}$/);
			await expect(client(hub).createSession({ task: 'works' })).resolves.toMatchObject({
				sessionId: expect.any(String),
			});
			await hub.close();
			await expect(readFile(`${stateFile}.lock`, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
		}
	});

	it('refuses the lock of a Hub running in another process, naming it', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		const other = await startHubProcess(['--port', '0', '--state', stateFile]);
		hubProcesses.push(other);
		await expect(startLocalHub({ stateFile, onWarning: () => {} })).rejects.toThrow(
			`local Hub state file ${stateFile}: is in use by another local Hub (process ${other.child.pid})`
		);
		expect(await lockHolder(stateFile)).toMatchObject({ pid: other.child.pid });
	});

	it('lets exactly one of several Hubs starting at once on a fresh state file win', async () => {
		const dir = await tempDir();
		for (let trial = 0; trial < 10; trial++) {
			const stateFile = join(dir, `fresh-${trial}.json`);
			const { started, refused } = await race(stateFile, 3);
			await Promise.all(started.map((hub: LocalHub) => hub.close()));
			expect(started, `trial ${trial}`).toHaveLength(1);
			expect(refused).toEqual([
				expect.stringContaining('is in use'),
				expect.stringContaining('is in use'),
			]);
		}
	});

	it('lets exactly one of several Hubs taking over one stale lock at once win', async () => {
		const dir = await tempDir();
		for (let trial = 0; trial < 10; trial++) {
			const stateFile = join(dir, `stale-${trial}.json`);
			await writeFile(`${stateFile}.lock`, lockOf(process.pid, `${trial}`.repeat(32), undefined));
			const { started, refused } = await race(stateFile, 3);
			await Promise.all(started.map((hub: LocalHub) => hub.close()));
			expect(started, `trial ${trial}`).toHaveLength(1);
			expect(refused).toHaveLength(2);
		}
		// Nothing is left behind: no temp files, no take-over markers, no lock once closed.
		const left = (await readdir(dir)).filter((name) => !name.endsWith('.json'));
		expect(left).toEqual([]);
	});

	it('lets exactly one of two Hub processes starting at once on a fresh state file win', async () => {
		const dir = await tempDir();
		for (let trial = 0; trial < 3; trial++) {
			const stateFile = join(dir, `process-${trial}.json`);
			const results = await Promise.allSettled([
				startHubProcess(['--port', '0', '--state', stateFile], { timeoutMs: 30_000 }),
				startHubProcess(['--port', '0', '--state', stateFile], { timeoutMs: 30_000 }),
			]);
			const started = results.flatMap((result) =>
				result.status === 'fulfilled' ? [result.value] : []
			);
			hubProcesses.push(...started);
			expect(started, `trial ${trial}`).toHaveLength(1);
			const refusal = results.find(
				(result) => result.status === 'rejected'
			) as PromiseRejectedResult;
			expect(String(refusal.reason)).toContain(
				`is in use by another local Hub (process ${started[0]!.child.pid})`
			);
			await Promise.all(hubProcesses.splice(0).map((hub) => hub.stop()));
		}
	}, 120_000);
});

/** One local Hub per state file, so two processes never interleave their journals. */
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalHub } from '../../src/hub-emulator/index.js';
import { hubForThisTest, tempDir } from './support.js';

/** The pid of a process that has exited. */
function deadPid(): number {
	const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
	return Number(child.stdout.toString());
}

describe('local Hub state lock', () => {
	it('refuses a second Hub on a state file in use, and frees it on close', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		const first = await hubForThisTest({ stateFile });
		await expect(startLocalHub({ stateFile, onWarning: () => {} })).rejects.toThrow(
			`local Hub state file ${stateFile}: is in use by another local Hub (process ${process.pid})`
		);
		await first.close();
		const second = await hubForThisTest({ stateFile });
		await second.close();
	});

	it('takes over the lock of a process that is gone', async () => {
		const stateFile = join(await tempDir(), 'state.json');
		await writeFile(`${stateFile}.lock`, `${deadPid()}\n`);
		const hub = await hubForThisTest({ stateFile });
		expect(JSON.parse(await readFile(`${stateFile}.lock`, 'utf8'))).toMatchObject({
			pid: process.pid,
		});
		await hub.close();
	});
});

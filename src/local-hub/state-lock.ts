/**
 * One local Hub per state file: two processes appending to one journal would each serve their
 * own view and interleave writes. A `<state>.lock` file holds the owner's pid; a lock whose
 * process is gone (killed, crashed) is stale and taken over.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LocalHubStateError } from './errors.js';

export type ReleaseLock = () => Promise<void>;

export async function lockStateFile(file: string): Promise<ReleaseLock> {
	const lockFile = `${file}.lock`;
	await mkdir(dirname(file), { recursive: true });
	for (let attempt = 0; attempt < 2; attempt += 1) {
		try {
			const handle = await open(lockFile, 'wx');
			await handle.writeFile(`${process.pid}\n`);
			await handle.close();
			return () => unlink(lockFile).catch(() => {});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				throw new LocalHubStateError(
					file,
					undefined,
					`cannot be locked (${(error as Error).message})`
				);
			}
		}
		const owner = await lockOwner(lockFile);
		if (owner !== undefined && isAlive(owner)) {
			throw new LocalHubStateError(
				file,
				undefined,
				`is in use by another local Hub (process ${owner}). Stop it, or share one Hub: run \`coder-sessions hub serve\` and pass --url to the other commands`
			);
		}
		await unlink(lockFile).catch(() => {});
	}
	throw new LocalHubStateError(
		file,
		undefined,
		'cannot be locked (the lock file keeps reappearing)'
	);
}

async function lockOwner(lockFile: string): Promise<number | undefined> {
	const text = await readFile(lockFile, 'utf8').catch(() => '');
	const pid = Number.parseInt(text, 10);
	return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
	if (pid === process.pid) return true;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

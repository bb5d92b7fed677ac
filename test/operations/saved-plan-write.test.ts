/**
 * `plan --out` when the file system says no: the error names the cause in words about the path
 * the user gave (never the temp file written first), and leaves no temp file behind. Causes no
 * test machine can produce on demand (a read-only file system, a full disk, a write refused by
 * the system) come from a file system that fails as told.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { readSavedPlan, writeSavedPlan } from '../../src/operations/saved-plan-file.js';
import { planOf } from '../support/plan-builders.js';
import { desired, spec } from '../support/session-builders.js';

/** What the next `open` (or the write through the handle it opens) fails with. */
const faults = vi.hoisted(() => ({
	open: undefined as unknown,
	/** What the next read (`readFile`, or `open` for reading) fails with. */
	read: undefined as unknown,
	write: undefined as unknown,
	/** Files opened, and closed, through `open`. */
	opened: 0,
	closed: 0,
}));

vi.mock('node:fs/promises', async (importOriginal) => {
	const real = await importOriginal<typeof import('node:fs/promises')>();
	const open: typeof real.open = async (...args) => {
		// A plan is read through a handle opened read-only (flags as a number), written through 'wx'.
		if (faults.read !== undefined && typeof args[1] === 'number') throw faults.read;
		if (faults.open !== undefined) throw faults.open;
		const handle = await real.open(...args);
		faults.opened += 1;
		const failure = faults.write;
		return Object.assign(Object.create(handle) as typeof handle, {
			writeFile: async (...data: Parameters<typeof handle.writeFile>) => {
				if (failure !== undefined) throw failure;
				return handle.writeFile(...data);
			},
			sync: () => handle.sync(),
			close: () => {
				faults.closed += 1;
				return handle.close();
			},
		});
	};
	const readFile = (async (...args: Parameters<typeof real.readFile>) => {
		if (faults.read !== undefined) throw faults.read;
		return real.readFile(...args);
	}) as typeof real.readFile;
	return { ...real, open, readFile };
});

const failure = (code: string | undefined, message = `${code}: failed, '/x/.p.plan.0a1b.tmp'`) =>
	Object.assign(new Error(message), code === undefined ? {} : { code });

describe('a plan that cannot be written', () => {
	let dir = '';
	beforeAll(async () => {
		dir = await mkdtemp(join(tmpdir(), 'saved-plan-write-'));
	});
	afterAll(() => rm(dir, { recursive: true, force: true }));
	afterEach(() => {
		Object.assign(faults, {
			open: undefined,
			read: undefined,
			write: undefined,
			opened: 0,
			closed: 0,
		});
	});

	const write = () =>
		writeSavedPlan(
			{ spec: spec([desired('a')]), plan: { ...planOf([]), prior: [] } },
			{ local: true },
			'team.plan',
			{
				env: {},
				cwd: dir,
			}
		);

	async function refusal(): Promise<UserError> {
		const error = await write().then(
			() => undefined,
			(thrown: unknown) => thrown
		);
		expect(error).toBeInstanceOf(UserError);
		return error as UserError;
	}

	it.each([
		['ENOENT', 'its folder does not exist'],
		['ENOTDIR', 'its folder does not exist'],
		['EACCES', 'permission denied'],
		['EPERM', 'permission denied'],
		['EISDIR', 'it is a directory'],
		['EROFS', 'the file system is read-only'],
		['ENOSPC', 'no space left on the device'],
		['EMFILE', 'EMFILE'],
	])('names %s in words, not the temp file', async (code, words) => {
		faults.open = failure(code);
		const error = await refusal();
		expect(error.message).toBe(`cannot write the plan to team.plan: ${words}`);
		expect(error.exitCode).toBe(1);
	});

	it('gives the message of a failure with no code', async () => {
		faults.open = failure(undefined, 'the disk went away');
		expect((await refusal()).message).toBe(
			'cannot write the plan to team.plan: the disk went away'
		);
		faults.open = 'a bare reason';
		expect((await refusal()).message).toBe('cannot write the plan to team.plan: a bare reason');
	});

	it('leaves no temp file when the disk fills while writing', async () => {
		faults.write = failure('ENOSPC');
		expect((await refusal()).message).toBe(
			'cannot write the plan to team.plan: no space left on the device'
		);
		expect(await readdir(dir)).toEqual([]);
		expect(faults.closed).toBe(faults.opened);
	});

	it('writes the plan when nothing fails, and closes the file it wrote', async () => {
		await write();
		expect(await readdir(dir)).toEqual(['team.plan']);
		expect([faults.opened, faults.closed]).toEqual([1, 1]);
		await rm(join(dir, 'team.plan'));
	});
});

describe('a plan that cannot be read', () => {
	afterEach(() => {
		faults.read = undefined;
	});

	it.each([
		['ENOENT', 'no such file'],
		['ENOTDIR', 'no such file'],
		['EISDIR', 'it is a directory'],
		['EACCES', 'permission denied'],
		['EPERM', 'permission denied'],
		['EIO', 'EIO'],
	])('names %s in words', async (code, words) => {
		faults.read = failure(code);
		const error = await readSavedPlan('team.plan', { cwd: tmpdir() }).then(
			() => undefined,
			(thrown: unknown) => thrown
		);
		expect(error).toBeInstanceOf(UserError);
		expect((error as UserError).message).toBe(`team.plan: cannot read the saved plan (${words})`);
	});
});

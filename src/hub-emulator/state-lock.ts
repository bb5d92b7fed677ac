/**
 * One local Hub per state file: two processes appending to one journal would each serve their
 * own view and interleave writes. `<state>.lock` names its owner (see lock-owner.ts); a lock
 * whose owner is no longer running is stale and taken over.
 *
 * Race-free between processes: a lock is created whole and atomically (written to a temp file,
 * then hard-linked into place, which fails if one exists). Replacing a stale lock is reserved to
 * whoever creates `<lock>.takeover-<digest of the stale lock>` first; holding it, the taker checks
 * the lock is still that stale one and renames its own over it. Only the holder of that marker
 * may replace that lock, and its dead owner cannot remove it, so two takers never both win.
 */
import { createHash, randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalHubStateError } from './errors.js';
import { makeStateDirectory } from './file-modes.js';
import { createExclusive, readLock, readText, replace } from './lock-files.js';
import {
	currentOwner,
	describeOwner,
	ownerIsElsewhere,
	ownerIsRunning,
	parseLockOwner,
	type LockOwner,
} from './lock-owner.js';

export type ReleaseLock = () => Promise<void>;

/** Nonces of the locks this process holds: a lock naming our pid is ours only if listed here. */
const heldHere = new Set<string>();

const ATTEMPTS = 50;
/** How deep a take-over may go when the previous taker died holding its marker. */
const MAX_TAKEOVER_DEPTH = 3;

export async function lockStateFile(file: string): Promise<ReleaseLock> {
	const lockFile = `${file}.lock`;
	await makeStateDirectory(file);
	const nonce = randomBytes(16).toString('hex');
	const text = `${JSON.stringify(currentOwner(nonce))}\n`;
	heldHere.add(nonce);
	try {
		for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
			if (await acquire(lockFile, text, 0)) {
				// Confirm: nobody may have replaced it, but a lock we do not hold must never be used.
				if ((await readText(lockFile)) === text) return release(lockFile, text, nonce);
				continue;
			}
			// Another starter is between steps (writing, or taking over): give it a moment.
			await sleep(Math.min(200, 10 * (attempt + 1)) + Math.floor(Math.random() * 20));
		}
	} catch (error) {
		heldHere.delete(nonce);
		if (error instanceof LocalHubStateError) throw error;
		throw cannotLock(file, (error as Error).message);
	}
	heldHere.delete(nonce);
	throw cannotLock(file, 'the lock file keeps changing; is another local Hub starting?');

	function cannotLock(path: string, reason: string): LocalHubStateError {
		return new LocalHubStateError(path, undefined, `cannot be locked (${reason})`);
	}

	/** True once `path` holds `text`; false to try again; throws when a live owner holds it. */
	async function acquire(path: string, text: string, depth: number): Promise<boolean> {
		if (await createExclusive(path, text)) return true;
		const current = await readLock(path);
		if (current === undefined) return false;
		const owner = parseLockOwner(current.text);
		if (owner === undefined) return unreadable(path, current.text, text, depth);
		if (ownerIsRunning(owner, heldHere, current.writtenAtMs)) {
			if (depth === 0) throw inUse(owner);
			return false;
		}
		return takeOver(path, current.text, text, depth);
	}

	/** A lock that does not parse: half-written by a starter, or left so by a crash. */
	async function unreadable(
		path: string,
		current: string,
		text: string,
		depth: number
	): Promise<boolean> {
		await sleep(200);
		if ((await readText(path)) !== current) return false;
		return takeOver(path, current, text, depth);
	}

	async function takeOver(
		path: string,
		stale: string,
		text: string,
		depth: number
	): Promise<boolean> {
		if (depth >= MAX_TAKEOVER_DEPTH) return false;
		const marker = `${path}.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
		if (!(await acquire(marker, text, depth + 1))) return false;
		try {
			if ((await readText(path)) !== stale) return false;
			await replace(path, text);
			return true;
		} finally {
			await unlink(marker).catch(() => {});
		}
	}

	function inUse(owner: LockOwner): LocalHubStateError {
		return new LocalHubStateError(
			file,
			undefined,
			`is in use by another local Hub (${describeOwner(owner)}). Stop it, or share one Hub: run \`coder-sessions hub serve\` and pass --url to the other commands` +
				(ownerIsElsewhere(owner) ? `. If no Hub runs there any more, remove ${lockFile}` : '')
		);
	}
}

function release(lockFile: string, text: string, nonce: string): ReleaseLock {
	let released: Promise<void> | undefined;
	return () => {
		released ??= (async () => {
			if ((await readText(lockFile)) === text) await unlink(lockFile).catch(() => {});
			heldHere.delete(nonce);
		})();
		return released;
	};
}

/**
 * Who holds a state lock, and whether that holder is still running. A pid alone is not enough:
 * pids are reused, and in a container the Hub is always pid 1, so the lock of a killed container
 * names the new Hub's own pid. The owner is therefore a random nonce plus pid, process start time
 * (Linux: /proc/<pid>/stat field 22, in clock ticks since boot), boot id and host name.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as z from 'zod';

const LockOwnerSchema = z.object({
	pid: z.number().int().positive(),
	nonce: z.string().min(1).optional(),
	host: z.string().optional(),
	bootId: z.string().optional(),
	startTicks: z.string().optional(),
	since: z.string().optional(),
});
export type LockOwner = z.infer<typeof LockOwnerSchema>;

/** The owner a lock file names; a bare pid is the format of earlier versions. */
export function parseLockOwner(text: string): LockOwner | undefined {
	if (/^\d+\n?$/.test(text)) return { pid: Number.parseInt(text, 10) };
	try {
		const result = LockOwnerSchema.safeParse(JSON.parse(text));
		return result.success ? result.data : undefined;
	} catch {
		return undefined;
	}
}

export function currentOwner(nonce: string): LockOwner {
	const bootId = readBootId();
	const startTicks = processStartTicks(process.pid);
	return {
		pid: process.pid,
		nonce,
		host: hostname(),
		...(bootId !== undefined ? { bootId } : {}),
		...(startTicks !== undefined ? { startTicks } : {}),
		since: new Date().toISOString(),
	};
}

/**
 * Is the lock's owner possibly still running? `heldHere` holds the nonces of locks this process
 * holds. Unknowable cases (another machine, a process whose start time cannot be read) count as
 * running: refusing with a clear message beats two Hubs on one journal.
 */
export function ownerIsRunning(
	owner: LockOwner,
	heldHere: ReadonlySet<string>,
	lockWrittenAtMs: number
): boolean {
	const bootId = readBootId();
	const sameBoot =
		owner.bootId !== undefined && bootId !== undefined
			? owner.bootId === bootId
			: owner.host === undefined || owner.host === hostname();
	// Another boot under our own name: this machine restarted since, so the owner is gone.
	if (!sameBoot) return owner.host !== undefined && owner.host !== hostname();
	if (owner.pid === process.pid) return owner.nonce !== undefined && heldHere.has(owner.nonce);
	if (!processExists(owner.pid)) return false;
	if (owner.startTicks === undefined) {
		// A lock of an earlier version (a bare pid): a process started after it was written is not its owner.
		const startedAtMs = processStartedAtMs(owner.pid);
		return startedAtMs === undefined || startedAtMs <= lockWrittenAtMs + CLOCK_SLACK_MS;
	}
	const startTicks = processStartTicks(owner.pid);
	return startTicks === undefined || startTicks === owner.startTicks;
}

/** Boot time has a resolution of one second, start ticks of 1/CLOCK_TICKS_PER_SECOND. */
const CLOCK_SLACK_MS = 2000;
/** USER_HZ: 100 on every Linux architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

function processStartedAtMs(pid: number): number | undefined {
	const ticks = processStartTicks(pid);
	const bootSeconds = /^btime (\d+)$/m.exec(readSmallFile('/proc/stat') ?? '')?.[1];
	if (ticks === undefined || bootSeconds === undefined) return undefined;
	return Number(bootSeconds) * 1000 + (Number(ticks) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Was the lock taken under another host name (another machine, or another container)? */
export function ownerIsElsewhere(owner: LockOwner): boolean {
	return owner.host !== undefined && owner.host !== hostname();
}

/** For messages: "process 123" or "process 123 on host build-7". */
export function describeOwner(owner: LockOwner): string {
	return `process ${owner.pid}${ownerIsElsewhere(owner) ? ` on host ${owner.host}` : ''}`;
}

function processExists(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: the process exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

let bootIdCache: string | null | undefined;

function readBootId(): string | undefined {
	if (bootIdCache === undefined) {
		bootIdCache = readSmallFile('/proc/sys/kernel/random/boot_id')?.trim() || null;
	}
	return bootIdCache ?? undefined;
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses. */
export function processStartTicks(pid: number): string | undefined {
	const stat = readSmallFile(`/proc/${pid}/stat`);
	if (stat === undefined) return undefined;
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = fields[22 - 3];
	return ticks !== undefined && /^\d+$/.test(ticks) ? ticks : undefined;
}

function readSmallFile(path: string): string | undefined {
	if (process.platform !== 'linux') return undefined;
	try {
		return readFileSync(path, 'utf8');
	} catch {
		return undefined;
	}
}

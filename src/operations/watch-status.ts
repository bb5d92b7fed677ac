/**
 * The `status --watch` loop: refresh, show, wait, until the signal aborts. No process, no clock
 * of its own: the caller passes the refresh, the output and (in tests) the sleep.
 */

export interface WatchOptions<T = string> {
	readonly intervalMs: number;
	/** Aborted on Ctrl-C: the loop returns at once, even in the middle of a refresh. */
	readonly signal: AbortSignal;
	/** Reads the Hub and returns the frame to show. */
	readonly refresh: () => Promise<T>;
	readonly show: (frame: T) => void;
	/**
	 * A refresh after the first failed (the first one's error is thrown: a bad setup should not
	 * spin). Throw to end the loop, return to carry on.
	 */
	readonly onError: (error: unknown) => void;
	readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const ABORTED = Symbol('aborted');

/** Returns the number of frames shown. */
export function watchLoop(options: WatchOptions): Promise<number>;
export function watchLoop<T>(options: WatchOptions<T>): Promise<number>;
export async function watchLoop<T>(options: WatchOptions<T>): Promise<number> {
	const { signal } = options;
	const sleep = options.sleep ?? abortableSleep;
	let shown = 0;
	for (let attempt = 0; !signal.aborted; attempt += 1) {
		try {
			const frame = await untilAborted(options.refresh(), signal);
			if (frame === ABORTED) break;
			options.show(frame);
			shown += 1;
		} catch (error) {
			if (signal.aborted) break;
			if (attempt === 0) throw error;
			options.onError(error);
		}
		await sleep(options.intervalMs, signal);
	}
	return shown;
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
	if (signal.aborted) {
		work.catch(() => {});
		return Promise.resolve(ABORTED);
	}
	return new Promise((resolve, reject) => {
		const onAbort = () => {
			// The abandoned read may still fail later; nobody waits for it any more.
			work.catch(() => {});
			resolve(ABORTED);
		};
		signal.addEventListener('abort', onAbort, { once: true });
		work.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			}
		);
	});
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise((resolve) => {
		if (signal.aborted) return resolve();
		const done = () => {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done, { once: true });
	});
}

const ESC = '\u001b[';

/**
 * A frame drawn over the previous one: cursor home, each line cleared to its end, the rest of
 * the screen cleared below (no flicker from clearing first). The first frame clears the screen.
 */
export function inPlace(frame: string, first: boolean): string {
	const lines = frame.replace(/\n$/, '').split('\n');
	return `${first ? `${ESC}2J` : ''}${ESC}H${lines.map((line) => `${line}${ESC}K`).join('\n')}\n${ESC}J`;
}

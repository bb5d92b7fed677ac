/**
 * Detail reads fanned out over session ids: `parallelism` calls at a time, each told as done, and
 * a session gone between its listing and its read left out. Both a client's whole-org read and a
 * discovery's full read are this, over the pages of a listing as they come.
 */
import pLimit from 'p-limit';
import type { LiveSession } from '../kinds/session/live.js';
import type { SummaryPage } from './types.js';

/** One detail read: undefined when the session is gone. */
export type ReadSession = (id: string) => Promise<LiveSession | undefined>;

export interface DetailReadOptions {
	readonly parallelism: number;
	/** Sessions read in detail a moment ago: not read again. */
	readonly known?: readonly LiveSession[];
	/**
	 * After each read: how many are done, how many ids were given so far, and the listing's own
	 * `total` (a hint of the Hub's) when it gave one.
	 */
	readonly onProgress?: (done: number, given: number, total: number | undefined) => void;
}

/** The details of the sessions the pages list, read while the listing goes on. */
export interface ListedDetails {
	readonly live: LiveSession[];
	/** Every id listed, gone ones included. */
	readonly listed: Set<string>;
}

export async function readListedDetails(
	pages: AsyncIterable<SummaryPage>,
	read: ReadSession,
	options: DetailReadOptions
): Promise<ListedDetails> {
	const listed = new Set<string>();
	let total: number | undefined;
	const reads = detailFanOut(read, options, (done, given) =>
		options.onProgress?.(done, given, total)
	);
	for await (const page of pages) {
		total = page.total;
		for (const { id } of page.sessions) {
			listed.add(id);
			reads.add(id);
		}
	}
	return { live: await reads.settled(), listed };
}

/** The details of these sessions, gone ones left out. */
export function readEachDetail(
	ids: readonly string[],
	read: ReadSession,
	options: DetailReadOptions
): Promise<LiveSession[]> {
	const reads = detailFanOut(read, options, (done, given) =>
		options.onProgress?.(done, given, undefined)
	);
	for (const id of ids) reads.add(id);
	return reads.settled();
}

interface DetailFanOut {
	add(id: string): void;
	/** Every detail read added, once all are done; the first failure fails it. */
	settled(): Promise<LiveSession[]>;
}

function detailFanOut(
	read: ReadSession,
	options: DetailReadOptions,
	onRead: (done: number, given: number) => void
): DetailFanOut {
	const limit = pLimit(options.parallelism);
	const readBefore = new Map((options.known ?? []).map((session) => [session.id, session]));
	const details: Promise<LiveSession | undefined>[] = [];
	let done = 0;
	return {
		add(id) {
			const before = readBefore.get(id);
			const detail = before ? Promise.resolve(before) : limit(() => read(id));
			// Handled in settled(); until then a failure must not go unhandled.
			detail.then(
				() => onRead(++done, details.length),
				() => {}
			);
			details.push(detail);
		},
		async settled() {
			const sessions = await Promise.all(details);
			// A session deleted between the list and the detail read is simply gone.
			return sessions.filter((session): session is LiveSession => session !== undefined);
		},
	};
}

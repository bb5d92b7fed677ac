/**
 * Keeps the heap of a large plan small. Parsing a big spec and reading thousands of sessions
 * allocate fast and briefly; left alone, V8 grows the heap far beyond what is live (a plan over
 * 10,000 sessions peaked at 320 MB with under 30 MB live). A watcher collects once the heap
 * passes a threshold, and raises the threshold with what stays live, so a truly large live set
 * never makes it collect in a loop.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

const FLOOR_BYTES = 48 * 1024 * 1024;
/** The least room left above what stays live before the next collection. */
const MARGIN_BYTES = 24 * 1024 * 1024;
const INTERVAL_MS = 100;

let collect: (() => void) | undefined;

function collector(): () => void {
	if (!collect) {
		// Exposing gc at run time affects only contexts created afterwards, hence the new context.
		v8.setFlagsFromString('--expose-gc');
		collect = vm.runInNewContext('gc') as () => void;
	}
	return collect;
}

const used = () => v8.getHeapStatistics().used_heap_size;

/**
 * Collects now if the heap has passed the floor: between the stages of a step no timer can
 * interrupt (reading a large spec: yaml's syntax tree of the file is garbage once it is read).
 */
export function collectIfLarge(): void {
	if (used() >= FLOOR_BYTES) collector()();
}

/** Runs `body` with the watcher on; the watcher never keeps the process alive. */
export async function withHeapWatch<T>(body: () => Promise<T>): Promise<T> {
	let threshold = FLOOR_BYTES;
	const check = () => {
		if (used() < threshold) return;
		collector()();
		// Half again what stays live, at least MARGIN_BYTES: twice it let a 10,000-session read
		// grow the heap by as much as it holds.
		const live = used();
		threshold = Math.max(FLOOR_BYTES, live + Math.max(MARGIN_BYTES, live / 2));
	};
	check();
	const timer = setInterval(check, INTERVAL_MS);
	timer.unref();
	try {
		return await body();
	} finally {
		clearInterval(timer);
		check();
	}
}

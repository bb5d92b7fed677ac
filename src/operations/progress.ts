/**
 * Progress of a long read, where the caller shows it (the CLI: stderr, on a terminal only): one
 * line rewritten in place ("read 12,000 of 20,000 sessions"), shown once the read has taken a
 * second, cleared when it ends.
 */
const SHOW_AFTER_MS = 1000;
const EVERY_MS = 100;

export interface Progress {
	/** Undefined when nothing is shown: readers then skip the counting. */
	readonly report?: (text: string) => void;
	readonly end: () => void;
}

/** `write` shows one transient line ('' clears it); absent, nothing is shown. */
export function startProgress(
	write: ((text: string) => void) | undefined,
	now: () => number = Date.now
): Progress {
	if (!write) return { end: () => {} };
	const started = now();
	let last = 0;
	let shown = false;
	return {
		report: (text) => {
			const at = now();
			if (at - started < SHOW_AFTER_MS || at - last < EVERY_MS) return;
			last = at;
			shown = true;
			write(text);
		},
		end: () => {
			if (shown) write('');
		},
	};
}

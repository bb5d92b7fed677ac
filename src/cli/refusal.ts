import type { Io } from './io.js';

/** A refusal on stderr: the heading, then each reason indented. False when there is none. */
export function reportRefusal(reasons: readonly string[], io: Io, heading: string): boolean {
	if (reasons.length === 0) return false;
	io.err(heading);
	for (const reason of reasons) io.err(`  ${reason}`);
	return true;
}

import { inlineText } from '../core/untrusted/text.js';
import type { Io } from './io.js';

/** A refusal on stderr: the heading, then each reason indented. False when there is none. */
export function reportRefusal(reasons: readonly string[], io: Io, heading: string): boolean {
	if (reasons.length === 0) return false;
	io.err(heading);
	// A reason names keys, which may come from the Hub.
	for (const reason of reasons) io.err(`  ${inlineText(reason)}`);
	return true;
}

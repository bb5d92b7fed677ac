import type { HubCallCounts } from '../hub/types.js';

/** The calls made since `before`: a connection counts all of its calls, an operation its own. */
export function callsSince(before: HubCallCounts, after: Readonly<HubCallCounts>): HubCallCounts {
	const since = { ...after };
	for (const name of Object.keys(since) as (keyof HubCallCounts)[]) since[name] -= before[name];
	return since;
}

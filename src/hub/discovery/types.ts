/** What a discovery is asked for and what it gives: the live sessions a plan needs, and how they were found. */
import type { LiveSession } from '../../kinds/session/live.js';

export const DISCOVERY_MODES = ['auto', 'search', 'full'] as const;
/**
 * - `full`: list every session of the org, archived ones included, and read each one's detail.
 * - `search`: find the stack's sessions through the Hub's search, verified (search-read.ts);
 *   fails when the search cannot be verified.
 * - `auto`: a full read of an org that fits in one list page; else search when it is verified,
 *   else a full read.
 */
export type DiscoveryMode = (typeof DISCOVERY_MODES)[number];

export interface DiscoveryRequest {
	readonly stack: string;
	readonly mode: DiscoveryMode;
	/** Detail reads at once. */
	readonly parallelism: number;
	/** Sessions read by id whatever a search finds (`adopt:` targets). */
	readonly byId?: readonly string[];
	/** Given the stack's active sessions, whether its archived history is needed as well. */
	readonly needsArchived: (active: readonly LiveSession[]) => boolean;
	/** Told how far a long read is, as a short line ("read 12,000 of 20,000 sessions"). */
	readonly onProgress?: (text: string) => void;
	/** The local clock, in ms (tests). */
	readonly now?: () => number;
}

/** The session ids a discovery listed: a later listing tells what appeared since. */
export interface Listing {
	readonly ids: ReadonlySet<string>;
	/** False when only active sessions were listed. */
	readonly includeArchived: boolean;
}

export interface Discovery {
	/**
	 * The sessions the plan sees. A full read gives every session; a search gives the stack's
	 * own (active, and archived when needed) and those read by id.
	 */
	readonly live: LiveSession[];
	readonly listing: Listing;
	/** One line for the plan: which discovery was used, and why. */
	readonly note: string;
}

/** Which sessions a plan, apply, status or drift reads, by `--discovery` (types.ts). */
import { UserError } from '../../core/errors.js';
import type { HubReader, SummaryPage } from '../types.js';
import { fullRead, type FullRead } from './full-read.js';
import { count } from './reads.js';
import { searchRead, type SearchUnlisted } from './search-read.js';
import type { Discovery, DiscoveryRequest } from './types.js';
import { SEARCH_LAG_MS } from './witness.js';

/** `auto` reads an org this small in full: one list page, and no search to verify. */
export const SMALL_ORG = 100;

export async function discover(hub: HubReader, request: DiscoveryRequest): Promise<Discovery> {
	if (request.mode === 'full') {
		return fullNote(await fullRead(hub, request), 'full read (--discovery full)');
	}
	if (request.mode === 'auto') {
		const pages = hub.listSummaries({ includeArchived: true });
		const first = await pages.next();
		const page = first.done ? undefined : first.value;
		if (!page || orgSize(page) <= SMALL_ORG) {
			const read = await fullRead(hub, request, { pages, ...(page ? { first: page } : {}) });
			return fullNote(read, `full read (a small org: ${sessions(read.live.length)})`);
		}
		await pages.return?.(undefined);
	}
	const searched = await searchRead(hub, request);
	if (!searched.verified) {
		if (request.mode === 'search') {
			throw new UserError(
				`--discovery search: the Hub's ${searched.reason}; plan with --discovery auto (or full) to read every session`
			);
		}
		const read = await fullRead(hub, request, { known: searched.read });
		return fullNote(read, `full read (${searched.reason})`);
	}
	const { live, listing, found, read, recent, unlisted, witness } = searched;
	const matched =
		witness === 'stack' ? `stack ${request.stack}` : `the token of stack ${request.stack}`;
	const lag = `${SEARCH_LAG_MS / 60_000} minutes`;
	return {
		live,
		listing,
		note:
			`Discovery: search verified (it matches ${matched} in metadata); ` +
			`${sessions(found)} of the stack found, ${count(read, listing.ids.size)} active ` +
			`sessions read in detail (${recent} created or active within ${lag} of the newest ` +
			`listed)${unlistedText(unlisted)}.`,
	};
}

/** The sessions read beside the active listing: never counted among its sessions. */
function unlistedText(unlisted: SearchUnlisted): string {
	const total = unlisted.history + unlisted.byId + unlisted.other;
	if (total === 0) return '';
	const why = [
		...(unlisted.history > 0 ? ['archived history the plan needs'] : []),
		...(unlisted.byId > 0 ? ['adopt: targets'] : []),
	];
	return `, and ${count(total, undefined)} more not listed as active${why.length > 0 ? ` (${why.join(', ')})` : ''}`;
}

function fullNote(read: FullRead, why: string): Discovery {
	return {
		...read,
		note: `Discovery: ${why}; ${sessions(read.live.length)} read in detail.`,
	};
}

function sessions(n: number): string {
	return `${count(n, undefined)} ${n === 1 ? 'session' : 'sessions'}`;
}

/** The org's size by the first list page: its total, or without one, a short page's length. */
function orgSize(first: SummaryPage): number {
	if (first.total !== undefined) return first.total;
	return first.sessions.length < SMALL_ORG ? first.sessions.length : Infinity;
}

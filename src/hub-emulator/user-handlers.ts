/** GET /hub/users (users come from the fixture file) and GET /hub/init. */
import { readPaging, page } from './data-handlers.js';
import type { Handler } from './hub-context.js';
import type { UserRecord } from './library-record.js';

export function userWire(user: UserRecord): Record<string, unknown> {
	const { kind: _kind, org: _org, id, updatedAt: _updatedAt, ...rest } = user;
	return { userId: id, ...rest };
}

/** `search` is a case-insensitive substring of display name or email; `total` is before paging. */
export const listUsers: Handler = (hub, request) => {
	const paging = readPaging(request.query);
	const needle = request.query.get('search')?.toLowerCase() ?? '';
	const matches = hub.store
		.listRecords('user', request.org)
		.filter((user) => `${user.displayName}\n${user.email}`.toLowerCase().includes(needle));
	return {
		status: 200,
		body: {
			users: page(matches, paging).map(userWire),
			total: matches.length,
			...(request.query.has('limit') && paging.limit !== undefined ? { limit: paging.limit } : {}),
			...(request.query.has('offset') ? { offset: paging.offset } : {}),
		},
	};
};

/**
 * What the Hub's init endpoint answers an authorised caller (the official CLI probes it before
 * starting its TUI): a lead init message with nothing to offer, as no agents run here.
 */
export const getHubInit: Handler = () => ({
	status: 200,
	body: { type: 'init', role: 'lead', tools: [], commands: [], agents: [] },
});

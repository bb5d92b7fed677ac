/** `--discovery auto|search|full`: how plan, apply, status and drift find the stack's sessions. */
import { Option } from 'commander';
import { discover } from '../discovery/discover.js';
import {
	DISCOVERY_MODES,
	type Discovery,
	type DiscoveryMode,
	type DiscoveryRequest,
} from '../discovery/types.js';
import type { HubReader } from '../hub-client/types.js';
import type { Io } from './io.js';
import { startProgress } from './progress.js';

export function discoveryOption(): Option {
	return new Option(
		'--discovery <mode>',
		"how to find the stack's sessions: auto (search when it is verified, else read all), search (verified search or fail), full (read every session)"
	)
		.choices(DISCOVERY_MODES)
		.default('auto');
}

/** Discovery with progress on a terminal's stderr. */
export async function discoverWithProgress(
	hub: HubReader,
	io: Io,
	request: Omit<DiscoveryRequest, 'mode' | 'onProgress'> & { readonly mode?: DiscoveryMode }
): Promise<Discovery> {
	const progress = startProgress(io);
	try {
		return await discover(hub, {
			...request,
			mode: request.mode ?? 'auto',
			...(progress.report ? { onProgress: progress.report } : {}),
		});
	} finally {
		progress.end();
	}
}

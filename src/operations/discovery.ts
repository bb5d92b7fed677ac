/** Finding the stack's sessions (src/hub/discovery), with progress where the environment shows it. */
import { discover } from '../hub/discovery/discover.js';
import type { Discovery, DiscoveryMode, DiscoveryRequest } from '../hub/discovery/types.js';
import type { HubReader } from '../hub/types.js';
import type { Environment } from './environment.js';
import { startProgress } from './progress.js';

export async function discoverWithProgress(
	hub: HubReader,
	environment: Pick<Environment, 'progress'>,
	request: Omit<DiscoveryRequest, 'mode' | 'onProgress'> & { readonly mode?: DiscoveryMode }
): Promise<Discovery> {
	const progress = startProgress(environment.progress);
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

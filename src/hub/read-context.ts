import type { CoderClient } from '@agentuity/core/coder';
import type { HubError } from '../core/errors.js';
import type { Throttle } from './throttle.js';
import type { HubCallCounts } from './types.js';

/** What a read beside the session reads shares with them: the client, the 429 brake, the counts. */
export interface ReadContext {
	readonly client: CoderClient;
	readonly reads: Throttle;
	readonly calls: HubCallCounts;
	/** Our error for what the SDK threw (`what` names the call). */
	readonly fail: (error: unknown, what: string) => HubError;
}

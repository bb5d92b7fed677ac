/** The frame of the commands that read the spec and the Hub: load, connect, work, close. */
import type { KindTable } from '../kinds/kind.js';
import type { Spec } from '../kinds/session/desired.js';
import { connectHub, type ConnectedHub, type HubTarget } from './connect.js';
import type { Environment } from './environment.js';
import { loadSpecOrFail } from './planning.js';

export interface SpecAndHub {
	/** The spec files (empty: the default file). */
	readonly files: readonly string[];
	readonly target: HubTarget;
	/** The kinds the spec may declare (default: the built-in table). */
	readonly table?: KindTable;
}

/** Loads the spec (before the Hub is opened: a bad spec costs no call), then `then` on the open Hub. */
export async function withSpecAndHub<T>(
	request: SpecAndHub,
	environment: Environment,
	then: (spec: Spec, connected: ConnectedHub) => Promise<T>
): Promise<T> {
	const spec = await loadSpecOrFail(request.files, environment, request.table);
	const connected = await connectHub(request.target, environment);
	try {
		return await then(spec, connected);
	} finally {
		await connected.close();
	}
}

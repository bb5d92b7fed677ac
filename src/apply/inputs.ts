/** The Hub requests an action sends: ownership markers and stamps ride on every write. */
import type { CreateSessionInput, UpdateSessionInput } from '../hub/types.js';
import { MARKER } from '../ownership/markers.js';
import { stackToken } from '../ownership/search-token.js';
import { buildEnvStamp, buildStamp, formatStamp } from '../ownership/stamp.js';
import type { Action, FieldChange } from '../plan/types.js';
import type { EnvKey } from '../core/secrets/env-key.js';
import type { DesiredSession } from '../kinds/session/desired.js';
import { FIELD_TABLE, type FieldName } from '../kinds/session/fields/index.js';

export async function createInput(
	stack: string,
	desired: DesiredSession,
	env: Readonly<Record<string, string>>,
	key?: EnvKey
): Promise<CreateSessionInput> {
	const token = stackToken(stack);
	const envStamp = buildEnvStamp(desired, env, key);
	const fields: Record<string, unknown> = {};
	for (const row of FIELD_TABLE) {
		// Env is sent resolved: the values, never the spec's templates.
		const value = row.compare === 'env' ? env : valueOf(desired, row.name);
		if (value !== undefined) Object.assign(fields, row.create(value));
	}
	return {
		...fields,
		metadata: {
			...desired.metadata,
			[MARKER.stack]: stack,
			[MARKER.key]: desired.key,
			[MARKER.searchToken]: token,
			[MARKER.applied]: formatStamp(buildStamp(desired)),
			...(envStamp ? { [MARKER.appliedEnv]: formatStamp(envStamp) } : {}),
			...(desired.protect ? { [MARKER.protect]: 'true' } : {}),
		},
	};
}

/**
 * Sends the changed fields only, plus the new applied stamp (metadata merges on the Hub) and the
 * stack's search token: a session made before the token carries it from its next write on.
 */
export function updateInput(
	stack: string,
	desired: DesiredSession,
	changes: readonly FieldChange[],
	stamp: string
): UpdateSessionInput {
	const changed = new Set(changes.map((change) => change.field));
	const fields: Record<string, unknown> = {};
	for (const row of FIELD_TABLE) {
		const value = valueOf(desired, row.name);
		if (!changed.has(row.name as FieldName) || !row.update || row.compare === 'keys') continue;
		if (value !== undefined) Object.assign(fields, row.update(value));
	}
	const metadata: Record<string, string> = {
		[MARKER.applied]: stamp,
		[MARKER.searchToken]: stackToken(stack),
	};
	const metadataChange = changes.find((change) => change.field === 'metadata');
	if (metadataChange?.after && typeof metadataChange.after === 'object') {
		Object.assign(metadata, metadataChange.after);
	}
	if (changed.has('protect')) metadata[MARKER.protect] = desired.protect ? 'true' : 'false';
	return { ...fields, metadata };
}

const valueOf = (desired: DesiredSession, field: string): unknown =>
	(desired as unknown as Readonly<Record<string, unknown>>)[field];

/**
 * An adopt is one update: its in-place changes plus the ownership markers. Env was fixed when
 * the session was created elsewhere; its templates are recorded (no value digests: the values were
 * never seen) so a later template edit shows. A taken-over session keeps its own env stamp,
 * which plan has just found to agree with the spec.
 */
export async function adoptInput(
	stack: string,
	action: Extract<Action, { kind: 'adopt' }>,
	key?: EnvKey
): Promise<UpdateSessionInput> {
	const update = updateInput(stack, action.desired, action.changes, action.stamp);
	const envStamp = action.foreignStack ? undefined : buildEnvStamp(action.desired, {}, key);
	return {
		...update,
		metadata: {
			...update.metadata,
			[MARKER.stack]: stack,
			[MARKER.key]: action.desired.key,
			...(envStamp ? { [MARKER.appliedEnv]: formatStamp(envStamp) } : {}),
		},
	};
}

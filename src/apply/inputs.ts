/** The Hub requests an action sends: ownership markers and stamps ride on every write. */
import type { CreateSessionInput, UpdateSessionInput } from '../hub-client/types.js';
import { MARKER } from '../ownership/markers.js';
import { buildEnvStamp, buildStamp, formatStamp } from '../ownership/stamp.js';
import type { Action, FieldChange } from '../plan/types.js';
import type { EnvKey } from '../secrets/env-key.js';
import type { DesiredSession } from '../session/desired.js';

export async function createInput(
	stack: string,
	desired: DesiredSession,
	env: Readonly<Record<string, string>>,
	key?: EnvKey
): Promise<CreateSessionInput> {
	const envStamp = buildEnvStamp(desired, env, key);
	return {
		task: desired.task,
		label: desired.label,
		tags: desired.tags.length > 0 ? desired.tags : undefined,
		visibility: desired.visibility,
		workflowMode: desired.workflowMode,
		loop: desired.loop,
		agent: desired.agent,
		defaultAgent: desired.defaultAgent,
		enabledAgents: desired.enabledAgents,
		savedSkillIds: desired.savedSkillIds,
		skillBucketIds: desired.skillBucketIds,
		repo: desired.repo,
		repos: desired.repos,
		workspaceId: desired.workspaceId,
		sandbox: desired.sandbox,
		env: Object.keys(env).length > 0 ? env : undefined,
		metadata: {
			...desired.metadata,
			[MARKER.stack]: stack,
			[MARKER.key]: desired.key,
			[MARKER.applied]: formatStamp(buildStamp(desired)),
			...(envStamp ? { [MARKER.appliedEnv]: formatStamp(envStamp) } : {}),
			...(desired.protect ? { [MARKER.protect]: 'true' } : {}),
		},
	};
}

/** Sends the changed fields only, plus the new applied stamp (metadata merges on the Hub). */
export function updateInput(
	desired: DesiredSession,
	changes: readonly FieldChange[],
	stamp: string
): UpdateSessionInput {
	const changed = new Set(changes.map((change) => change.field));
	const metadata: Record<string, string> = { [MARKER.applied]: stamp };
	const metadataChange = changes.find((change) => change.field === 'metadata');
	if (metadataChange?.after && typeof metadataChange.after === 'object') {
		Object.assign(metadata, metadataChange.after);
	}
	if (changed.has('protect')) metadata[MARKER.protect] = desired.protect ? 'true' : 'false';
	const pick = <K extends keyof DesiredSession>(field: K & string) =>
		changed.has(field as FieldChange['field']) ? desired[field] : undefined;
	return {
		label: pick('label'),
		visibility: pick('visibility'),
		workflowMode: pick('workflowMode') ?? (changed.has('loop') ? desired.workflowMode : undefined),
		loop: pick('loop'),
		tags: pick('tags'),
		enabledAgents: pick('enabledAgents'),
		agent: pick('agent'),
		defaultAgent: pick('defaultAgent'),
		metadata,
	};
}

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
	const update = updateInput(action.desired, action.changes, action.stamp);
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

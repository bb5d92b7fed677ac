/** The Hub requests an action sends: ownership markers and stamps ride on every write. */
import type { CreateSessionInput, UpdateSessionInput } from '../hub/types.js';
import { MARKER } from '../plan/markers.js';
import { buildEnvStamp, buildStamp, formatStamp } from '../plan/stamp.js';
import type { FieldChange } from '../plan/types.js';
import type { DesiredSession } from '../spec/types.js';

export async function createInput(
	stack: string,
	desired: DesiredSession,
	env: Readonly<Record<string, string>>
): Promise<CreateSessionInput> {
	const envStamp = await buildEnvStamp(desired, env);
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
export function updateInput(desired: DesiredSession, changes: readonly FieldChange[]): UpdateSessionInput {
	const changed = new Set(changes.map((change) => change.field));
	const metadata: Record<string, string> = { [MARKER.applied]: formatStamp(buildStamp(desired)) };
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

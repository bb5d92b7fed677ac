/** Builds the SDK's request bodies from our inputs. */
import type { CoderCreateSessionRequest, CoderUpdateSessionRequest } from '@agentuity/core/coder';
import type { RepoRef } from '../session/desired.js';
import type { CreateSessionInput, UpdateSessionInput } from './types.js';

export function toCreateRequest(input: CreateSessionInput): CoderCreateSessionRequest {
	const { sandbox, repo, repos, ...fields } = input;
	return clean({
		...fields,
		...sandbox,
		tags: input.tags ? [...input.tags] : undefined,
		enabledAgents: input.enabledAgents ? [...input.enabledAgents] : undefined,
		savedSkillIds: input.savedSkillIds ? [...input.savedSkillIds] : undefined,
		skillBucketIds: input.skillBucketIds ? [...input.skillBucketIds] : undefined,
		dependencies: sandbox?.dependencies ? [...sandbox.dependencies] : undefined,
		packages: sandbox?.packages ? [...sandbox.packages] : undefined,
		scopes: sandbox?.scopes ? [...sandbox.scopes] : undefined,
		repo: repo ? toWireRepo(repo) : undefined,
		repos: repos?.map(toWireRepo),
		metadata: { ...input.metadata },
		env: input.env ? { ...input.env } : undefined,
	}) as CoderCreateSessionRequest;
}

export function toUpdateRequest(input: UpdateSessionInput): CoderUpdateSessionRequest {
	return clean({
		...input,
		tags: input.tags ? [...input.tags] : undefined,
		enabledAgents: input.enabledAgents ? [...input.enabledAgents] : undefined,
		metadata: input.metadata ? { ...input.metadata } : undefined,
	}) as CoderUpdateSessionRequest;
}

/** The Hub's repository reference: owner and name, plus the fullName the Hub lists. */
function toWireRepo(repo: RepoRef) {
	return clean({ ...repo, fullName: `${repo.owner}/${repo.name}` });
}

function clean<T extends Record<string, unknown>>(value: T): T {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

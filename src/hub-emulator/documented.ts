/**
 * What the Hub's REST reference (the SDK's `CoderAPIReference`, api-reference.ts) documents, read
 * from the reference itself so the local Hub and the SDK cannot drift apart: the request and
 * response wire schemas of each endpoint. Strict mode refuses what these do not allow.
 */
import { CoderAPIReference } from '@agentuity/core/coder';
import * as z from 'zod';

type Endpoint = (typeof CoderAPIReference.endpoints)[number];

/** The reference's endpoint of this id (`update-session`, `get-session-replay`, ...). */
export function documentedEndpoint(id: string): Endpoint {
	const endpoint = CoderAPIReference.endpoints.find((candidate) => candidate.id === id);
	if (!endpoint) throw new Error(`the Hub's REST reference has no endpoint ${id}`);
	return endpoint;
}

function schemaOf(fields: unknown): z.ZodType | undefined {
	if (fields && typeof fields === 'object' && 'schema' in fields) {
		return (fields as { schema: z.ZodType }).schema;
	}
	return undefined;
}

/** The request body schema an endpoint documents, if any. */
export function documentedRequestSchema(id: string): z.ZodType | undefined {
	return schemaOf(documentedEndpoint(id).requestBody?.fields);
}

/** The response schema an endpoint documents, if any. */
export function documentedResponseSchema(id: string): z.ZodType | undefined {
	return schemaOf(documentedEndpoint(id).responseFields);
}

const patchSchema = documentedRequestSchema('update-session');
if (!(patchSchema instanceof z.ZodObject)) {
	throw new Error("the Hub's REST reference documents no object body for PATCH /hub/session/{id}");
}

/**
 * The documented PATCH body (`label, agent, defaultAgent, enabledAgents, visibility, tags,
 * skills, metadata, savedSkillIds, skillBucketIds`), refusing any other key.
 */
export const DocumentedPatchSchema = patchSchema.strict();
export type DocumentedPatch = z.infer<typeof DocumentedPatchSchema> & {
	readonly label?: string;
	readonly agent?: string;
	readonly defaultAgent?: string;
	readonly enabledAgents?: string[];
	readonly visibility?: 'private' | 'organization' | 'collaborate';
	readonly tags?: string[];
	readonly skills?: {
		skillId: string;
		repo: string;
		name?: string;
		url?: string;
		content?: string;
	}[];
	readonly metadata?: Record<string, string>;
	readonly savedSkillIds?: string[];
	readonly skillBucketIds?: string[];
};

/** The keys the documented PATCH takes, in the reference's order. */
export const DOCUMENTED_PATCH_KEYS: readonly string[] = Object.keys(patchSchema.shape);

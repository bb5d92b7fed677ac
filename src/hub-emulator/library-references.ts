/**
 * What a write names in the org's library (sessions, workspaces, skill buckets, custom agents
 * naming saved skills, buckets and agents): each must exist, and an agent must be built in or a
 * custom agent that is not archived. Every problem is collected, so one 400 names them all.
 *
 * Ids a record already holds (`kept`) are not checked again: a PATCH that sends back a list
 * whose skill was deleted since, or whose agent was archived since, is not refused for it (a
 * delete in use leaves dangling ids; see README.md beside this file).
 */
import { HttpError } from './errors.js';
import type { HubContext } from './hub-context.js';
import type { AgentRecord } from './library-record.js';

/**
 * The Hub's built-in agents (the SDK documentation's "Choosing built-in agents" cookbook: lead,
 * builder, reviewer; the live protocol's sub-agent roles: scout). Any other agent name must be a
 * custom agent of the org, by id or slug.
 */
export const BUILT_IN_AGENTS: readonly string[] = ['lead', 'scout', 'builder', 'reviewer'];

/** A custom agent of the org by id or slug, archived ones included. */
export function findCustomAgent(
	hub: HubContext,
	org: string,
	name: string
): AgentRecord | undefined {
	return (
		hub.store.latestRecord('agent', org, name) ??
		hub.store.listRecords('agent', org).find((agent) => agent.draft.slug === name)
	);
}

const fresh = (ids: readonly string[], kept: readonly string[]): string[] =>
	ids.filter((id) => !kept.includes(id));

/** The ids of `kind` the request names anew that the org does not hold, one problem each. */
function missingProblems(
	hub: HubContext,
	org: string,
	kind: 'skill' | 'bucket',
	noun: string,
	field: string,
	ids: readonly string[],
	kept: readonly string[]
): string[] {
	return fresh(ids, kept)
		.filter((id) => !hub.store.latestRecord(kind, org, id))
		.map((id) => `${field}: no ${noun} ${id}`);
}

export function skillProblems(
	hub: HubContext,
	org: string,
	field: string,
	ids: readonly string[],
	kept: readonly string[] = []
): string[] {
	return missingProblems(hub, org, 'skill', 'saved skill', field, ids, kept);
}

export function bucketProblems(
	hub: HubContext,
	org: string,
	field: string,
	ids: readonly string[],
	kept: readonly string[] = []
): string[] {
	return missingProblems(hub, org, 'bucket', 'skill bucket', field, ids, kept);
}

export function agentProblems(
	hub: HubContext,
	org: string,
	field: string,
	names: readonly string[],
	kept: readonly string[] = []
): string[] {
	return fresh(names, kept).flatMap((name) => {
		if (BUILT_IN_AGENTS.includes(name)) return [];
		const agent = findCustomAgent(hub, org, name);
		if (!agent) {
			return [
				`${field}: no built-in agent (${BUILT_IN_AGENTS.join(', ')}) or custom agent ${name}`,
			];
		}
		return agent.archived ? [`${field}: custom agent ${name} is archived`] : [];
	});
}

/** 400 CODER_INVALID_REQUEST naming every problem, if there is one. */
export function refuseProblems(problems: readonly string[]): void {
	if (problems.length === 0) return;
	throw new HttpError(
		400,
		'CODER_INVALID_REQUEST',
		`Unknown or archived references: ${problems.join('; ')}`
	);
}

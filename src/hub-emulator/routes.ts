/** The /api route table: method + path pattern -> a route name (for stats) and its handler. */
import {
	archiveCustomAgent,
	createCustomAgent,
	getCustomAgent,
	listCustomAgents,
	listCustomAgentVersions,
	publishCustomAgent,
	updateCustomAgent,
} from './agent-handlers.js';
import { createAgentBuilderSession } from './builder-handlers.js';
import { getLoopState, getReplay, listEventHistory, listParticipants } from './data-handlers.js';
import { HttpError } from './errors.js';
import { openEventStream } from './event-stream.js';
import { listGithubAccounts, listGithubRepos } from './github.js';
import type { Handler } from './hub-context.js';
import {
	createSkillBucket,
	deleteSavedSkill,
	deleteSkillBucket,
	listSavedSkills,
	listSkillBuckets,
	saveSkill,
} from './skill-handlers.js';
import { getHubInit, listUsers } from './user-handlers.js';
import {
	createWorkspace,
	deleteWorkspace,
	getWorkspace,
	listWorkspaces,
	refreshWorkspaceSnapshot,
	updateWorkspace,
	validateWorkspaceDependencies,
} from './workspace-handlers.js';
import {
	archiveSession,
	createSession,
	deleteSession,
	getSession,
	listSessions,
	resumeSession,
	updateSession,
} from './session-handlers.js';

interface Route {
	readonly name: string;
	readonly method: string;
	/** Path segments after /api; ':id' matches one encodeURIComponent-encoded segment. */
	readonly pattern: readonly string[];
	readonly handler: Handler;
}

const route = (name: string, method: string, path: string, handler: Handler): Route => ({
	name,
	method,
	pattern: path.split('/').filter(Boolean),
	handler,
});

// Literal segments come before ':id' patterns of the same shape (`session/builder`).
const ROUTES: readonly Route[] = [
	route('create', 'POST', 'hub/session', createSession),
	route('createBuilder', 'POST', 'hub/session/builder', createAgentBuilderSession),
	route('list', 'GET', 'hub/sessions', listSessions),
	route('githubAccounts', 'GET', 'hub/github/accounts', listGithubAccounts),
	route('githubRepos', 'GET', 'hub/github/repos', listGithubRepos),
	route('get', 'GET', 'hub/session/:id', getSession),
	route('update', 'PATCH', 'hub/session/:id', updateSession),
	route('delete', 'DELETE', 'hub/session/:id', deleteSession),
	route('archive', 'POST', 'hub/session/:id/archive', archiveSession),
	route('resume', 'POST', 'hub/session/:id/resume', resumeSession),
	route('participants', 'GET', 'hub/session/:id/participants', listParticipants),
	route('eventHistory', 'GET', 'hub/session/:id/events/history', listEventHistory),
	route('replay', 'GET', 'hub/session/:id/replay', getReplay),
	route('loop', 'GET', 'hub/session/:id/loop', getLoopState),
	route('events', 'GET', 'hub/session/:id/events', openEventStream),
	route('init', 'GET', 'hub/init', getHubInit),
	route('users', 'GET', 'hub/users', listUsers),
	route('listWorkspaces', 'GET', 'hub/workspaces', listWorkspaces),
	route('createWorkspace', 'POST', 'hub/workspaces', createWorkspace),
	route(
		'validateDependencies',
		'POST',
		'hub/workspaces/dependencies/validate',
		validateWorkspaceDependencies
	),
	route('getWorkspace', 'GET', 'hub/workspaces/:id', getWorkspace),
	route('updateWorkspace', 'PATCH', 'hub/workspaces/:id', updateWorkspace),
	route('deleteWorkspace', 'DELETE', 'hub/workspaces/:id', deleteWorkspace),
	route('refreshSnapshot', 'POST', 'hub/workspaces/:id/snapshot/refresh', refreshWorkspaceSnapshot),
	route('listSkills', 'GET', 'hub/skills/library', listSavedSkills),
	route('saveSkill', 'POST', 'hub/skills/library', saveSkill),
	route('deleteSkill', 'DELETE', 'hub/skills/library/:id', deleteSavedSkill),
	route('listBuckets', 'GET', 'hub/skills/buckets', listSkillBuckets),
	route('createBucket', 'POST', 'hub/skills/buckets', createSkillBucket),
	route('deleteBucket', 'DELETE', 'hub/skills/buckets/:id', deleteSkillBucket),
	route('listAgents', 'GET', 'hub/agents', listCustomAgents),
	route('createAgent', 'POST', 'hub/agents', createCustomAgent),
	route('getAgent', 'GET', 'hub/agents/:id', getCustomAgent),
	route('updateAgent', 'PATCH', 'hub/agents/:id', updateCustomAgent),
	route('publishAgent', 'POST', 'hub/agents/:id/publish', publishCustomAgent),
	route('archiveAgent', 'POST', 'hub/agents/:id/archive', archiveCustomAgent),
	route('agentVersions', 'GET', 'hub/agents/:id/versions', listCustomAgentVersions),
];

export interface RouteMatch {
	readonly name: string;
	readonly handler: Handler;
	readonly id: string;
}

/**
 * Finds the route for `segments` (the raw path after /api). Unknown paths are 404, known paths
 * with another method 405; both come back as errors to send. Stats name them notFound/notAllowed.
 */
export function matchRoute(
	method: string,
	segments: readonly string[]
): RouteMatch | { readonly name: string; readonly error: HttpError } {
	let allowed: string[] = [];
	for (const candidate of ROUTES) {
		const id = matchPattern(candidate.pattern, segments);
		if (id === undefined) continue;
		if (candidate.method !== method) {
			allowed = [...allowed, candidate.method];
			continue;
		}
		const decoded = decodeId(id);
		if (decoded === undefined) {
			return {
				name: candidate.name,
				error: new HttpError(400, 'CODER_INVALID_REQUEST', `Malformed id in path: ${id}`),
			};
		}
		return { name: candidate.name, handler: candidate.handler, id: decoded };
	}
	if (allowed.length > 0) {
		return {
			name: 'notAllowed',
			error: new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not supported on this route`, {
				allow: allowed.join(', '),
			}),
		};
	}
	return {
		name: 'notFound',
		error: new HttpError(404, 'NOT_FOUND', `No route for ${method} /api/${segments.join('/')}`),
	};
}

/** The raw ':id' segment ('' when the pattern has none), or undefined when it does not match. */
function matchPattern(pattern: readonly string[], segments: readonly string[]): string | undefined {
	if (pattern.length !== segments.length) return undefined;
	let id = '';
	for (let index = 0; index < pattern.length; index++) {
		const part = pattern[index]!;
		const segment = segments[index]!;
		if (part === ':id') {
			if (segment === '') return undefined;
			id = segment;
		} else if (part !== segment) return undefined;
	}
	return id;
}

function decodeId(raw: string): string | undefined {
	try {
		return decodeURIComponent(raw);
	} catch {
		return undefined;
	}
}

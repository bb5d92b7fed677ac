/**
 * Every CoderClient method against the local Hub over HTTP, each answer parsed with the SDK's
 * own zod schema (what the SDK accepts from the real Hub) and, recorded on the way, with the REST
 * reference's wire schemas (what the Hub documents), every request body with the reference's
 * request schemas.
 */
import {
	CoderClient,
	CoderCustomAgentListResponseSchema,
	CoderCustomAgentSchema,
	CoderCustomAgentVersionListResponseSchema,
	CoderGitHubAccountListResponseSchema,
	CoderGitHubRepositoryListResponseSchema,
	CoderListUsersResponseSchema,
	CoderLoopStateResponseSchema,
	CoderSavedSkillListResponseSchema,
	CoderSavedSkillSchema,
	CoderSessionEventHistorySchema,
	CoderSessionListResponseSchema,
	CoderSessionParticipantsSchema,
	CoderSessionReplaySchema,
	CoderSessionSchema,
	CoderSkillBucketListResponseSchema,
	CoderSkillBucketSchema,
	CoderSSEClient,
	CoderWorkspaceDependencyValidationResponseSchema,
	CoderWorkspaceDetailSchema,
	CoderWorkspaceListResponseSchema,
	streamCoderSessionSSE,
	type CoderSSEEvent,
} from '@agentuity/core/coder';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_STATUSES, type LocalHub } from '../../src/hub-emulator/index.js';
import {
	checkAgainstReference,
	HUB_ENDPOINT_IDS,
	recordExchanges,
} from '../support/rest-reference.js';
import { raw, hubForThisTest } from './support.js';

const ORG = 'org_routes';
const TOKEN = 'routes-token';

function client(hub: LocalHub): CoderClient {
	return new CoderClient({ url: hub.url, apiKey: TOKEN, orgId: ORG });
}

/** The methods a test below exercised; the last test checks none of the client's is left out. */
const exercised = new Set<string>();
function call<T>(name: keyof CoderClient, run: () => Promise<T>): Promise<T> {
	exercised.add(name);
	return run();
}

/** Every exchange with the Hubs of this file, checked against the REST reference after each test. */
let recorder: ReturnType<typeof recordExchanges>;
const covered = new Set<string>();
beforeAll(() => {
	recorder = recordExchanges();
});
afterAll(() => recorder.stop());
afterEach(() => {
	const report = checkAgainstReference(recorder.exchanges.splice(0));
	for (const id of report.covered) covered.add(id);
	expect(report.problems).toEqual([]);
});

async function hubWithData(): Promise<LocalHub> {
	return hubForThisTest({
		token: TOKEN,
		simulateActivity: true,
		githubRepos: [{ account: 'agentuity', repos: ['sdk'] }],
		fixtures: {
			org: ORG,
			users: [
				{ displayName: 'Ada Lovelace', email: 'ada@example.com' },
				{ displayName: 'Grace Hopper', email: 'grace@example.com' },
			],
		},
	});
}

describe('every CoderClient route on the local Hub', () => {
	it('serves the session routes, builder sessions and session data', async () => {
		const hub = await hubWithData();
		const coder = client(hub);
		const created = await call('createSession', () =>
			coder.createSession({ task: 'Write the docs', workflowMode: 'loop', loop: { goal: 'docs' } })
		);
		const id = created.sessionId;
		CoderSessionSchema.parse(await call('getSession', () => coder.getSession(id)));
		expect(
			await call('updateSession', () => coder.updateSession(id, { label: 'Docs', tags: ['a'] }))
		).toMatchObject({ sessionId: id, label: 'Docs', tags: ['a'] });
		const list = CoderSessionListResponseSchema.parse(
			await call('listSessions', () => coder.listSessions({ limit: 10 }))
		);
		expect(list.sessions.map((session) => session.sessionId)).toEqual([id]);
		CoderSessionListResponseSchema.parse(
			await call('listConnectableSessions', () => coder.listConnectableSessions())
		);
		expect(await call('resumeSession', () => coder.resumeSession(id))).toMatchObject({
			sessionId: id,
		});
		CoderSessionSchema.parse(
			await call('prepareSessionForRemoteAttach', () => coder.prepareSessionForRemoteAttach(id))
		);

		const participants = CoderSessionParticipantsSchema.parse(
			await call('listParticipants', () => coder.listParticipants(id))
		);
		expect(participants.participants.length).toBeGreaterThan(0);
		// Newest first, as the reference's beforeId paging implies; the SDK's offset pages the same order.
		const history = CoderSessionEventHistorySchema.parse(
			await call('listEventHistory', () => coder.listEventHistory(id, { limit: 2, offset: 1 }))
		);
		expect(history).toMatchObject({ limit: 2, offset: 1 });
		expect(history).not.toHaveProperty('total');
		expect(history.events.map((event) => event.id)).toEqual([3, 2]);
		const replay = CoderSessionReplaySchema.parse(
			await call('getReplay', () => coder.getReplay(id, { limit: 1 }))
		);
		expect(replay).toMatchObject({
			entriesSource: 'session_entries',
			sourceCounts: { durableStream: 0, sessionEntries: 2, eventHistory: 0 },
		});
		expect((replay as { entries?: unknown[] }).entries).toHaveLength(1);
		const loop = CoderLoopStateResponseSchema.parse(
			await call('getLoopState', () => coder.getLoopState(id))
		);
		expect(loop.loop).toMatchObject({ goal: 'docs', iteration: 0 });

		const builder = await call('createAgentBuilderSession', () =>
			coder.createAgentBuilderSession({ prompt: 'A reviewer', label: 'Builder' })
		);
		const builderDetail = CoderSessionSchema.parse(await coder.getSession(builder.sessionId));
		expect(builderDetail).toMatchObject({ label: 'Builder', builder: { mode: 'new' } });

		expect(await call('archiveSession', () => coder.archiveSession(id))).toMatchObject({
			sessionId: id,
			status: 'archived',
		});
		await call('deleteSession', () => coder.deleteSession(id));
		await expect(coder.getSession(id)).rejects.toMatchObject({ status: 404 });
		expect(await call('getUrl', () => coder.getUrl())).toBe(hub.url);
	});

	it('serves users, GitHub and hub init', async () => {
		const hub = await hubWithData();
		const coder = client(hub);
		const users = CoderListUsersResponseSchema.parse(
			await call('listUsers', () => coder.listUsers({ search: 'GRACE' }))
		);
		expect(users.users.map((user) => user.displayName)).toEqual(['Grace Hopper']);
		expect(users.total).toBe(1);
		const accounts = CoderGitHubAccountListResponseSchema.parse(
			await call('listGitHubAccounts', () => coder.listGitHubAccounts())
		);
		const repos = CoderGitHubRepositoryListResponseSchema.parse(
			await call('listGitHubRepos', () => coder.listGitHubRepos(accounts.accounts[0]!.accountId))
		);
		expect(repos.repositories.map((repo) => repo.fullName)).toEqual(['agentuity/sdk']);
		const init = await raw(hub, 'GET', '/api/hub/init', {
			org: ORG,
			headers: { authorization: `Bearer ${TOKEN}` },
		});
		expect(init).toMatchObject({ status: 200, body: { type: 'init' } });
	});

	it('round-trips workspaces', async () => {
		const hub = await hubWithData();
		const coder = client(hub);
		const skill = await coder.saveSkill({
			repo: 'agentuity/skills',
			skillId: 'lint',
			name: 'Lint',
		});
		const created = CoderWorkspaceDetailSchema.parse(
			await call('createWorkspace', () =>
				coder.createWorkspace({
					name: 'SDK',
					repos: [{ fullName: 'agentuity/sdk' }],
					savedSkillIds: [skill.id],
				})
			)
		);
		expect(created).toMatchObject({ name: 'SDK', repoCount: 1, selectionCount: 2 });
		const updated = CoderWorkspaceDetailSchema.parse(
			await call('updateWorkspace', () =>
				coder.updateWorkspace(created.id, { description: 'The SDK', dependencies: ['jq'] })
			)
		);
		expect(updated).toMatchObject({ description: 'The SDK', dependencies: ['jq'], name: 'SDK' });
		expect(
			CoderWorkspaceDetailSchema.parse(
				await call('getWorkspace', () => coder.getWorkspace(created.id))
			)
		).toEqual(updated);
		const refreshed = CoderWorkspaceDetailSchema.parse(
			await call('refreshWorkspaceSnapshot', () => coder.refreshWorkspaceSnapshot(created.id))
		);
		expect(refreshed.snapshot?.status).toBe('ready');
		const validation = CoderWorkspaceDependencyValidationResponseSchema.parse(
			await call('validateWorkspaceDependencies', () =>
				coder.validateWorkspaceDependencies(['jq', 'curl=8.5.0', 'Not A Package'])
			)
		);
		expect(validation.valid).toEqual(['jq', 'curl=8.5.0']);
		expect(validation.invalid.map((entry) => entry.package)).toEqual(['Not A Package']);
		const list = CoderWorkspaceListResponseSchema.parse(
			await call('listWorkspaces', () => coder.listWorkspaces())
		);
		expect(list.workspaces.map((workspace) => workspace.id)).toEqual([created.id]);
		await call('deleteWorkspace', () => coder.deleteWorkspace(created.id));
		await expect(coder.getWorkspace(created.id)).rejects.toMatchObject({ status: 404 });
		await expect(
			coder.createWorkspace({ name: 'Bad', savedSkillIds: ['skill_missing'] })
		).rejects.toMatchObject({ status: 400 });
	});

	it('round-trips saved skills and skill buckets', async () => {
		const hub = await hubWithData();
		const coder = client(hub);
		const saved = CoderSavedSkillSchema.parse(
			await call('saveSkill', () =>
				coder.saveSkill({ repo: 'agentuity/skills', skillId: 'review', name: 'Review' })
			)
		);
		expect(saved).toMatchObject({ source: 'registry', skillId: 'review' });
		const again = await coder.saveSkill({
			repo: 'agentuity/skills',
			skillId: 'review',
			name: 'Review v2',
		});
		expect(again).toMatchObject({ id: saved.id, name: 'Review v2' });
		const custom = CoderSavedSkillSchema.parse(
			await call('createCustomSkill', () =>
				coder.createCustomSkill({ skillId: 'mine', name: 'Mine', content: '# Mine' })
			)
		);
		expect(custom).toMatchObject({ source: 'custom', repo: 'custom', content: '# Mine' });
		const bucket = CoderSkillBucketSchema.parse(
			await call('createSkillBucket', () =>
				coder.createSkillBucket({ name: 'Reviewers', savedSkillIds: [saved.id, custom.id] })
			)
		);
		expect(bucket).toMatchObject({ skillCount: 2 });
		await call('deleteSavedSkill', () => coder.deleteSavedSkill(custom.id));
		const skills = CoderSavedSkillListResponseSchema.parse(
			await call('listSavedSkills', () => coder.listSavedSkills())
		);
		expect(skills.skills.map((skill) => skill.id)).toEqual([saved.id]);
		const buckets = CoderSkillBucketListResponseSchema.parse(
			await call('listSkillBuckets', () => coder.listSkillBuckets())
		);
		expect(buckets.buckets[0]).toMatchObject({ id: bucket.id, skillCount: 1 });
		await call('deleteSkillBucket', () => coder.deleteSkillBucket(bucket.id));
		expect((await coder.listSkillBuckets()).buckets).toEqual([]);
	});

	it('round-trips custom agents through draft, publish and archive', async () => {
		const hub = await hubWithData();
		const coder = client(hub);
		const created = CoderCustomAgentSchema.parse(
			await call('createCustomAgent', () =>
				coder.createCustomAgent({
					slug: 'reviewer',
					displayName: 'Reviewer',
					instructions: 'Review the change',
				})
			)
		);
		expect(created).toMatchObject({ lifecycle: 'draft', visibility: 'private_draft' });
		const updated = CoderCustomAgentSchema.parse(
			await call('updateCustomAgent', () =>
				coder.updateCustomAgent('reviewer', { description: 'Reviews', model: 'sonnet' })
			)
		);
		expect(updated).toMatchObject({ id: created.id, description: 'Reviews', model: 'sonnet' });
		const published = CoderCustomAgentSchema.parse(
			await call('publishCustomAgent', () => coder.publishCustomAgent(created.id))
		);
		expect(published).toMatchObject({
			lifecycle: 'published',
			latestPublishedVersion: 1,
			hasUnpublishedChanges: false,
		});
		const cleared = await coder.updateCustomAgent(created.id, { model: null });
		expect(cleared.model).toBeUndefined();
		expect(cleared.hasUnpublishedChanges).toBe(true);
		expect(
			CoderCustomAgentSchema.parse(
				await call('getCustomAgent', () => coder.getCustomAgent('reviewer'))
			).id
		).toBe(created.id);
		const versions = CoderCustomAgentVersionListResponseSchema.parse(
			await call('listCustomAgentVersions', () => coder.listCustomAgentVersions(created.id))
		);
		expect(versions.versions.map((version) => version.version)).toEqual([1]);
		const archived = CoderCustomAgentSchema.parse(
			await call('archiveCustomAgent', () => coder.archiveCustomAgent(created.id))
		);
		expect(archived.lifecycle).toBe('archived');
		const visible = CoderCustomAgentListResponseSchema.parse(
			await call('listCustomAgents', () => coder.listCustomAgents())
		);
		expect(visible.agents).toEqual([]);
		const all = await coder.listCustomAgents({ includeArchived: true });
		expect(all.agents.map((agent) => agent.id)).toEqual([created.id]);
	});

	it('streams session events over SSE, authenticated by the api_key query', async () => {
		const hub = await hubWithData();
		const coder = client(hub);
		const { sessionId } = await coder.createSession({ task: 'Observe me' });
		const controller = new AbortController();
		const seen: CoderSSEEvent[] = [];
		for await (const event of streamCoderSessionSSE({
			url: hub.url,
			apiKey: TOKEN,
			orgId: ORG,
			sessionId,
			reconnect: false,
			signal: controller.signal,
		})) {
			seen.push(event);
			if (seen.filter((item) => item.event === 'broadcast').length === 4) controller.abort();
		}
		expect(seen.slice(0, 3).map((event) => event.event)).toEqual([
			'snapshot',
			'hydration',
			'presence',
		]);
		expect(seen[0]!.data).toMatchObject({ type: 'snapshot', sessionId, label: 'Observe me' });

		// The class client: a wrong key is an auth failure, the right one connects.
		const failure = await new Promise<Error>((resolve) => {
			const observer = new CoderSSEClient({
				url: hub.url,
				apiKey: 'wrong',
				orgId: ORG,
				sessionId,
				reconnect: false,
				onError: (error) => {
					observer.close();
					resolve(error);
				},
			});
			observer.connect();
		});
		expect(failure).toMatchObject({ code: 'auth_failed' });
		const snapshot = await new Promise<unknown>((resolve, reject) => {
			const observer = new CoderSSEClient({
				url: hub.url,
				apiKey: TOKEN,
				orgId: ORG,
				sessionId,
				reconnect: false,
				onSnapshot: (data) => {
					observer.close();
					resolve(data);
				},
				onError: reject,
			});
			observer.connect();
		});
		expect(snapshot).toMatchObject({ sessionId, status: 'active' });
		const withoutKey = await raw(hub, 'GET', `/api/hub/session/${sessionId}/events`, {
			org: ORG,
		});
		expect(withoutKey.status).toBe(401);
	});

	it('puts a session into every status through /_local, each read back in a valid shape', async () => {
		const hub = await hubForThisTest({});
		const coder = new CoderClient({ url: hub.url });
		const buckets: Record<string, string> = {};
		for (const status of [...SESSION_STATUSES, 'archived']) {
			const { sessionId } = await coder.createSession({ task: `Be ${status}` });
			const set = await raw(hub, 'POST', `/_local/sessions/${sessionId}/status`, {
				org: 'default',
				body: { status },
			});
			expect(set).toMatchObject({ status: 200, body: { sessionId, status } });
			const detail = CoderSessionSchema.parse(await coder.getSession(sessionId));
			expect(detail.status).toBe(status);
			buckets[status] = detail.bucket;
		}
		expect(buckets).toEqual({
			creating: 'provisioning',
			provisioning: 'provisioning',
			resuming: 'provisioning',
			active: 'running',
			running: 'running',
			connected: 'running',
			paused: 'paused',
			shutdown: 'history',
			stopped: 'history',
			error: 'history',
			failed: 'history',
			archived: 'history',
		});
		const list = CoderSessionListResponseSchema.parse(
			await coder.listSessions({ includeArchived: true })
		);
		expect(list.sessions).toHaveLength(12);
		const unknown = await raw(
			hub,
			'POST',
			`/_local/sessions/${list.sessions[0]!.sessionId}/status`,
			{
				org: 'default',
				body: { status: 'sleeping' },
			}
		);
		expect(unknown.status).toBe(400);
	});

	it('ends open event streams when the Hub closes, and streams events recorded later', async () => {
		const hub = await hubForThisTest({});
		const { sessionId } = await new CoderClient({ url: hub.url }).createSession({ task: 'Live' });
		const response = await fetch(`${hub.url}/api/hub/session/${sessionId}/events`);
		expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
		const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
		let text = '';
		while (!text.includes('event: presence')) text += (await reader.read()).value ?? '';
		const recorded = await raw(hub, 'POST', `/_local/sessions/${sessionId}/activity`, {
			org: 'default',
			body: { events: [{ event: 'agent_activity', category: 'agent' }] },
		});
		expect(recorded.status).toBe(200);
		while (!text.includes('agent_activity')) text += (await reader.read()).value ?? '';
		expect(text).toMatch(/event: broadcast\ndata: \{"type":"broadcast","event":"agent_activity"/);
		await hub.close();
		for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
			text += chunk.value;
		}
	});

	it('pages event history and participants as the REST reference documents', async () => {
		const hub = await hubWithData();
		const coder = client(hub);
		const { sessionId } = await coder.createSession({ task: 'Page me' });
		const get = (query: string) =>
			raw(hub, 'GET', `/api/hub/session/${sessionId}/${query}`, {
				org: ORG,
				headers: { authorization: `Bearer ${TOKEN}` },
			});
		const ids = async (query: string) =>
			((await get(query)).body as { events: { id: number }[] }).events.map((event) => event.id);
		expect(await ids('events/history')).toEqual([4, 3, 2, 1]);
		expect(await ids('events/history?limit=2')).toEqual([4, 3]);
		expect(await ids('events/history?limit=2&beforeId=3')).toEqual([2, 1]);
		expect(await ids('events/history?beforeId=1')).toEqual([]);
		expect((await get('events/history?beforeId=soon')).status).toBe(400);

		const roles = async (query: string) =>
			((await get(query)).body as { participants: { role: string }[] }).participants.map(
				(participant) => participant.role
			);
		// The observer of the simulated activity has left: listed only when asked for.
		expect(await roles('participants')).toEqual(['lead']);
		expect(await roles('participants?limit=200&includeDisconnected=true')).toEqual([
			'lead',
			'observer',
		]);
		expect(await roles('participants?includeDisconnected=false')).toEqual(['lead']);
		expect((await get('participants?includeDisconnected=1')).status).toBe(400);
	});

	it('reports a loop set through /_local in GET /loop and the list', async () => {
		const hub = await hubWithData();
		const coder = client(hub);
		const { sessionId } = await coder.createSession({
			task: 'Loop me',
			workflowMode: 'loop',
			loop: { goal: 'Ship', maxIterations: 5 },
		});
		const set = await raw(hub, 'POST', `/_local/sessions/${sessionId}/loop`, {
			org: ORG,
			headers: { authorization: `Bearer ${TOKEN}` },
			body: { status: 'blocked', iteration: 3, summary: 'Tests fail', nextAction: 'Fix CI' },
		});
		expect(set.status).toBe(200);
		expect((await coder.getLoopState(sessionId)).loop).toEqual({
			goal: 'Ship',
			maxIterations: 5,
			status: 'blocked',
			iteration: 3,
			summary: 'Tests fail',
			nextAction: 'Fix CI',
		});
		const item = (await coder.listSessions()).sessions.find((s) => s.sessionId === sessionId);
		expect(item).toMatchObject({ loopStatus: 'blocked', loopIteration: 3 });
		const { sessionId: plain } = await coder.createSession({ task: 'No loop' });
		const refused = await raw(hub, 'POST', `/_local/sessions/${plain}/loop`, {
			org: ORG,
			headers: { authorization: `Bearer ${TOKEN}` },
			body: { status: 'running' },
		});
		expect(refused.status).toBe(400);
	});

	it('leaves no CoderClient method unexercised', () => {
		const methods = Object.getOwnPropertyNames(CoderClient.prototype).filter(
			(name) => name !== 'constructor'
		);
		expect(methods.filter((name) => !exercised.has(name))).toEqual([]);
	});

	it('answers every endpoint of the REST reference in its documented shape', () => {
		expect(HUB_ENDPOINT_IDS.filter((id) => !covered.has(id))).toEqual([]);
	});
});
